//! Outcome measures over a stay (those asked again over a stay, not the
//! feedback after a contact): for each score, how many people improved,
//! stayed the same or got worse from their first answer to their latest,
//! and how many of those changes were reliable by the definition's
//! threshold.

use std::collections::BTreeMap;

use diesel_async::AsyncPgConnection;
use serde::Serialize;
use utoipa::ToSchema;

use super::{Count, Groups, ImpactScope};
use crate::domain::measures::scoring::{change, Direction};
use crate::domain::measures::{self};
use crate::domain::DomainResult;
use crate::models::impact;

/// One score's change, in one group.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OutcomeRow {
    pub group: String,
    pub measure: String,
    pub score: String,
    pub label: String,
    /// People with a first and a latest answer, the latest in the period.
    pub people: Count,
    pub improved: Count,
    pub unchanged: Count,
    pub worse: Count,
    /// `null` where the measure has no published reliable-change threshold.
    pub reliably_improved: Option<Count>,
    pub reliably_worse: Option<Count>,
}

#[derive(Default)]
struct Tally {
    people: i64,
    improved: i64,
    unchanged: i64,
    worse: i64,
    reliably_improved: i64,
    reliably_worse: i64,
}

/// The period's changes on every score of every measure.
pub async fn outcomes(
    conn: &mut AsyncPgConnection,
    scope: &ImpactScope,
) -> DomainResult<Vec<OutcomeRow>> {
    let defs: BTreeMap<String, _> = measures::list(conn)
        .await?
        .into_iter()
        .filter(|m| m.definition.schedule.over_a_stay())
        .map(|m| (m.definition.code.clone(), m.definition))
        .collect();
    let groups = Groups::load(conn, scope).await?;
    let changes = impact::score_changes(conn, scope.from, scope.to, scope.wards.as_deref()).await?;
    let mut tally: BTreeMap<(String, String, String), Tally> = BTreeMap::new();
    for c in changes {
        let Some(score) = defs
            .get(&c.measure)
            .and_then(|d| d.scores.iter().find(|s| s.id == c.score))
        else {
            continue;
        };
        let moved = change(
            c.first,
            c.latest,
            score.higher_is_better,
            score.reliable_change,
        );
        for g in groups.both(c.ward_id) {
            let t = tally
                .entry((g, c.measure.clone(), c.score.clone()))
                .or_default();
            t.people += 1;
            match moved.direction {
                Direction::Improved => {
                    t.improved += 1;
                    t.reliably_improved += i64::from(moved.reliable);
                }
                Direction::Unchanged => t.unchanged += 1,
                Direction::Worse => {
                    t.worse += 1;
                    t.reliably_worse += i64::from(moved.reliable);
                }
            }
        }
    }
    Ok(tally
        .into_iter()
        .map(|((group, measure, score), t)| {
            let def = defs
                .get(&measure)
                .and_then(|d| d.scores.iter().find(|s| s.id == score));
            let has_threshold = def.is_some_and(|s| s.reliable_change.is_some());
            OutcomeRow {
                group,
                label: def.map_or(score.clone(), |s| s.label.clone()),
                measure,
                score,
                people: Count(t.people),
                improved: Count(t.improved),
                unchanged: Count(t.unchanged),
                worse: Count(t.worse),
                reliably_improved: has_threshold.then_some(Count(t.reliably_improved)),
                reliably_worse: has_threshold.then_some(Count(t.reliably_worse)),
            }
        })
        .collect())
}
