//! Checking a person's answers against a definition and scoring them, and
//! the change between a person's first and latest scores. Pure functions:
//! the worked examples below are the rule's specification.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::definition::{MeasureDefinition, ScoreMethod, GOALS};
use crate::validate::Errors;

/// One goal the person set and how close they feel to it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GoalRating {
    /// Which of the person's goals (1 to the definition's maximum); the
    /// goal's own words stay with the person and their care team.
    #[schema(minimum = 1, maximum = 5)]
    pub goal: i32,
    pub rating: i32,
}

/// What the person answered: item id → value; an item answered "prefer not
/// to say" is left out. Goal-based measures rate `goals` instead.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Answers {
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub items: BTreeMap<String, i32>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub goals: Vec<GoalRating>,
}

/// Score id → value; a score none of whose items were answered is absent.
pub type Scores = BTreeMap<String, f64>;

/// Checks answers against the definition, under the field prefix `at`.
pub fn check(def: &MeasureDefinition, answers: &Answers, at: &str, e: &mut Errors) {
    for (id, value) in &answers.items {
        match def.items.iter().find(|i| &i.id == id) {
            None => e.add(
                format!("{at}.items.{id}"),
                "unknown_item",
                "not an item of this measure",
            ),
            Some(item) => {
                let scale = &def.scales[&item.scale];
                if !scale.allows(*value) {
                    e.add(
                        format!("{at}.items.{id}"),
                        "out_of_scale",
                        "not an answer on this item's scale",
                    );
                }
            }
        }
    }
    match &def.goals {
        None if !answers.goals.is_empty() => e.add(
            format!("{at}.goals"),
            "no_goals",
            "this measure has no goals",
        ),
        None => {}
        Some(goals) => {
            let scale = &def.scales[&goals.scale];
            let mut seen = std::collections::BTreeSet::new();
            for (i, g) in answers.goals.iter().enumerate() {
                if !(1..=goals.max).contains(&g.goal) || !seen.insert(g.goal) {
                    e.add(
                        format!("{at}.goals[{i}].goal"),
                        "invalid",
                        format!("goals are numbered 1 to {}, once each", goals.max),
                    );
                }
                if !scale.allows(g.rating) {
                    e.add(
                        format!("{at}.goals[{i}].rating"),
                        "out_of_scale",
                        "not a rating on the goals' scale",
                    );
                }
            }
        }
    }
}

/// The scores of checked answers, by the definition's rule: each item's
/// value (reversed as `min + max - value` where the item says so, unscored
/// options such as "Don't know" left out) summed or averaged.
pub fn score(def: &MeasureDefinition, answers: &Answers) -> Scores {
    let mut out = Scores::new();
    for s in &def.scores {
        let mut values = Vec::new();
        for item_id in &s.items {
            if item_id == GOALS {
                values.extend(answers.goals.iter().map(|g| f64::from(g.rating)));
                continue;
            }
            let (Some(item), Some(&v)) = (
                def.items.iter().find(|i| &i.id == item_id),
                answers.items.get(item_id),
            ) else {
                continue;
            };
            let scale = &def.scales[&item.scale];
            if !scale.scored(v) {
                continue;
            }
            let (min, max) = scale.bounds();
            let v = if item.reverse { min + max - v } else { v };
            values.push(f64::from(v));
        }
        if values.is_empty() {
            continue;
        }
        let sum: f64 = values.iter().sum();
        let value = match s.method {
            ScoreMethod::Sum => sum,
            ScoreMethod::Mean => sum / values.len() as f64,
        };
        out.insert(s.id.clone(), (value * 100.0).round() / 100.0);
    }
    out
}

crate::text_enum! {
    /// How a person's score moved from their first answer to their latest.
    pub enum Direction {
        Improved = "improved",
        Unchanged = "unchanged",
        Worse = "worse",
    }
}

/// A person's change on one score.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Change {
    pub direction: Direction,
    /// The change is at least the definition's reliable-change threshold
    /// (never, where the definition has none).
    pub reliable: bool,
}

/// The change from `first` to `latest` on a score where higher is better
/// (or not), judged against the reliable-change threshold.
pub fn change(
    first: f64,
    latest: f64,
    higher_is_better: bool,
    reliable_change: Option<f64>,
) -> Change {
    let delta = if higher_is_better {
        latest - first
    } else {
        first - latest
    };
    let direction = if delta.abs() < 1e-9 {
        Direction::Unchanged
    } else if delta > 0.0 {
        Direction::Improved
    } else {
        Direction::Worse
    };
    let reliable = reliable_change.is_some_and(|t| delta.abs() + 1e-9 >= t);
    Change {
        direction,
        reliable,
    }
}

#[cfg(test)]
mod tests {
    use super::super::definition::SHIPPED;
    use super::*;

    fn def(i: usize) -> MeasureDefinition {
        MeasureDefinition::from_json(serde_json::from_str(SHIPPED[i]).unwrap()).unwrap()
    }

    fn items(pairs: &[(&str, i32)]) -> Answers {
        Answers {
            items: pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect(),
            goals: vec![],
        }
    }

    #[test]
    fn ons4_reverses_anxiety_so_that_higher_is_better() {
        let ons4 = def(2);
        let s = score(
            &ons4,
            &items(&[
                ("life_satisfaction", 6),
                ("worthwhile", 7),
                ("happiness", 5),
                ("anxiety", 8),
            ]),
        );
        assert_eq!(s["life_satisfaction"], 6.0);
        assert_eq!(s["worthwhile"], 7.0);
        assert_eq!(s["happiness"], 5.0);
        // 0 + 10 - 8: very anxious is a low score.
        assert_eq!(s["low_anxiety"], 2.0);
    }

    #[test]
    fn an_item_not_answered_leaves_its_score_out() {
        let s = score(&def(2), &items(&[("happiness", 9)]));
        assert_eq!(s.keys().collect::<Vec<_>>(), ["happiness"]);
    }

    #[test]
    fn dont_know_counts_as_answered_but_not_scored() {
        let ys = def(0);
        let s = score(&ys, &items(&[("experience", 0), ("listened", 2)]));
        assert_eq!(s.get("experience"), None);
        assert_eq!(s["listened"], 2.0);
    }

    #[test]
    fn goals_are_averaged() {
        let gbo = def(3);
        let a = Answers {
            items: Default::default(),
            goals: vec![
                GoalRating { goal: 1, rating: 3 },
                GoalRating { goal: 2, rating: 4 },
                GoalRating { goal: 3, rating: 6 },
            ],
        };
        assert_eq!(score(&gbo, &a)["goal_progress"], 4.33);
    }

    #[test]
    fn answers_off_the_scale_or_unknown_are_named() {
        let mut e = Errors::new();
        check(
            &def(2),
            &items(&[("happiness", 11), ("mood", 3)]),
            "answers",
            &mut e,
        );
        assert_eq!(
            e.fields(),
            ["answers.items.happiness", "answers.items.mood"]
        );
        let mut e = Errors::new();
        let a = Answers {
            items: Default::default(),
            goals: vec![
                GoalRating { goal: 4, rating: 2 },
                GoalRating {
                    goal: 1,
                    rating: 12,
                },
            ],
        };
        check(&def(3), &a, "answers", &mut e);
        assert_eq!(
            e.fields(),
            ["answers.goals[0].goal", "answers.goals[1].rating"]
        );
    }

    #[test]
    fn change_against_the_reliable_threshold() {
        // GBO: 2.45 points is a reliable change (Edbrooke-Childs et al. 2015).
        assert_eq!(
            change(3.0, 5.45, true, Some(2.45)),
            Change {
                direction: Direction::Improved,
                reliable: true
            }
        );
        assert_eq!(
            change(3.0, 5.0, true, Some(2.45)),
            Change {
                direction: Direction::Improved,
                reliable: false
            }
        );
        assert_eq!(
            change(6.0, 3.0, true, Some(2.45)),
            Change {
                direction: Direction::Worse,
                reliable: true
            }
        );
        assert_eq!(
            change(4.0, 4.0, true, Some(2.45)).direction,
            Direction::Unchanged
        );
        // Lower is better: a fall is an improvement.
        assert_eq!(
            change(8.0, 5.0, false, None),
            Change {
                direction: Direction::Improved,
                reliable: false
            }
        );
    }
}
