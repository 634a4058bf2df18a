//! A measure definition: the questions, their answer scales, the scoring
//! rule, the threshold of a reliable change and when it is due. Definitions
//! are data (the shipped ones are JSON files in `measures/`, a trust loads
//! its licensed ones through the API), checked here on load: every fault is
//! named by its JSON path, so a trust can fix a file in one pass.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::validate::{Errors, Invalid};

crate::text_enum! {
    /// Who may fill a measure in (`MeasureRespondent` in the document:
    /// the Buddy Scheme has a `Respondent` of its own).
    #[schema(as = MeasureRespondent)]
    pub enum Respondent {
        /// The person the ward cares for.
        ServiceUser = "service_user",
        /// Their carer or family member.
        Carer = "carer",
    }
}

crate::text_enum! {
    /// How a score is made from its items' values (after reversing).
    pub enum ScoreMethod {
        Sum = "sum",
        Mean = "mean",
    }
}

/// A measure definition, as loaded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MeasureDefinition {
    /// Lower-case code, the same for every version, e.g. `ons4`.
    #[schema(example = "ons4", pattern = "^[a-z][a-z0-9_]{1,39}$")]
    pub code: String,
    /// Version of this code's definition; a new version is a new load.
    #[schema(example = 1, minimum = 1, maximum = 1000)]
    pub version: i32,
    #[schema(example = "ONS personal well-being (ONS4)")]
    pub title: String,
    /// The licence the trust holds or the measure is published under.
    #[schema(example = "Open Government Licence v3.0")]
    pub licence: String,
    /// Where the items, scales and thresholds come from.
    pub source: String,
    /// Who may fill it in.
    pub respondents: Vec<Respondent>,
    pub schedule: Schedule,
    /// Answer scales by name.
    pub scales: BTreeMap<String, Scale>,
    /// Fixed questions (none for a goal-based measure).
    #[serde(default)]
    pub items: Vec<Item>,
    /// Goals the person sets and rates (Goal Based Outcomes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub goals: Option<Goals>,
    /// An optional question answered in the person's own words; kept only
    /// when they agree to share it anonymously as a quote.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub free_text: Option<FreeText>,
    /// The scores and how each is made.
    pub scores: Vec<Score>,
}

/// When a measure is due for a person on a ward.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Schedule {
    /// Due once the person has had a first contact and has no answer yet.
    pub at_first_contact: bool,
    /// Due again this many weeks after the last answer.
    #[schema(minimum = 1, maximum = 52)]
    pub every_weeks: Option<i32>,
    /// Due when discharge support was recorded and nothing was answered since.
    pub before_discharge: bool,
}

impl Schedule {
    /// Whether the measure is asked again over a stay, so that a person's
    /// first and latest answers show change (an outcome measure), rather
    /// than after a contact ("Your say", the Friends and Family Test).
    pub fn over_a_stay(&self) -> bool {
        self.at_first_contact || self.every_weeks.is_some() || self.before_discharge
    }
}

/// An answer scale: a range of whole numbers, or a list of options.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum Scale {
    Range(RangeScale),
    Options(OptionsScale),
}

/// Whole numbers from `min` to `max`, with words for the ends.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RangeScale {
    pub min: i32,
    pub max: i32,
    pub min_label: String,
    pub max_label: String,
}

/// A list of options, each with its value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OptionsScale {
    pub options: Vec<ScaleOption>,
}

/// One option of a scale.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScaleOption {
    pub value: i32,
    pub label: String,
    /// Words for the children's version (CAMHS wards).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub child_label: Option<String>,
    /// The face shown in the children's version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub face: Option<Face>,
    /// An answer that counts as given but not in any score ("Don't know").
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unscored: bool,
}

crate::text_enum! {
    /// The faces of the children's version.
    pub enum Face {
        VeryHappy = "very_happy",
        Happy = "happy",
        Neutral = "neutral",
        Sad = "sad",
        VerySad = "very_sad",
        Unsure = "unsure",
    }
}

/// One question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Item {
    #[schema(example = "life_satisfaction")]
    pub id: String,
    pub text: String,
    /// Words for the children's version (CAMHS wards).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub child_text: Option<String>,
    /// The name of its scale in `scales`.
    pub scale: String,
    /// Scored as `min + max - value`, so that higher is better.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub reverse: bool,
}

/// Goals the person sets, each rated on a scale.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Goals {
    #[schema(minimum = 1, maximum = 5)]
    pub max: i32,
    pub scale: String,
}

/// A question answered in the person's own words.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FreeText {
    pub id: String,
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub child_text: Option<String>,
    #[schema(minimum = 1, maximum = 500)]
    pub max_length: i32,
}

/// One score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Score {
    pub id: String,
    pub label: String,
    /// The items it is made of; `goals` for the goals' ratings.
    pub items: Vec<String>,
    pub method: ScoreMethod,
    /// Whether a higher score is the better outcome.
    pub higher_is_better: bool,
    /// The least change, in score points, that counts as reliable; `null`
    /// where no published threshold exists.
    pub reliable_change: Option<f64>,
}

/// The item name that stands for a goal-based measure's ratings.
pub const GOALS: &str = "goals";

const ID: fn(&str) -> bool = |s| {
    let mut chars = s.chars();
    matches!(chars.next(), Some('a'..='z'))
        && s.len() <= 40
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
};

impl MeasureDefinition {
    /// Parses and checks a definition, naming every fault by its path.
    pub fn from_json(value: serde_json::Value) -> Result<Self, Invalid> {
        let def: MeasureDefinition = serde_path_to_error::deserialize(value).map_err(|e| {
            let path = e.path().to_string();
            let field = if path == "." { String::new() } else { path };
            Invalid(vec![crate::validate::FieldError::new(
                field,
                "invalid",
                e.into_inner().to_string(),
            )])
        })?;
        def.check()?;
        Ok(def)
    }

    /// Checks what the types alone cannot.
    pub fn check(&self) -> Result<(), Invalid> {
        let mut e = Errors::new();
        if !ID(&self.code) || self.code.len() < 2 {
            e.add(
                "code",
                "invalid",
                "lower-case letters, digits and _, 2 to 40, starting with a letter",
            );
        }
        if !(1..=1000).contains(&self.version) {
            e.add("version", "out_of_range", "must be from 1 to 1000");
        }
        e.text("title", &self.title, 1, 200);
        e.text("licence", &self.licence, 1, 500);
        e.text("source", &self.source, 1, 1000);
        if self.respondents.is_empty() {
            e.add("respondents", "required", "name at least one respondent");
        }
        if let Some(w) = self.schedule.every_weeks {
            if !(1..=52).contains(&w) {
                e.add(
                    "schedule.every_weeks",
                    "out_of_range",
                    "must be from 1 to 52",
                );
            }
        }
        if self.scales.is_empty() {
            e.add("scales", "required", "define at least one scale");
        }
        for (name, scale) in &self.scales {
            check_scale(&mut e, &format!("scales.{name}"), name, scale);
        }
        self.check_items(&mut e);
        self.check_scores(&mut e);
        e.finish()
    }

    fn check_items(&self, e: &mut Errors) {
        let mut seen = BTreeSet::new();
        for (i, item) in self.items.iter().enumerate() {
            let at = format!("items[{i}]");
            if !ID(&item.id) {
                e.add(
                    format!("{at}.id"),
                    "invalid",
                    "lower-case letters, digits and _, starting with a letter",
                );
            } else if item.id == GOALS || !seen.insert(item.id.as_str()) {
                e.add(
                    format!("{at}.id"),
                    "duplicate",
                    "item ids must be unique and not `goals`",
                );
            }
            e.text(&format!("{at}.text"), &item.text, 1, 500);
            e.opt_text(
                &format!("{at}.child_text"),
                item.child_text.as_deref(),
                1,
                500,
            );
            if !self.scales.contains_key(&item.scale) {
                e.add(
                    format!("{at}.scale"),
                    "unknown_scale",
                    "must name one of `scales`",
                );
            }
        }
        match (&self.goals, self.items.is_empty()) {
            (None, true) => e.add("items", "required", "define items, or goals"),
            (Some(_), false) => e.add(
                "goals",
                "not_with_items",
                "a measure has items or goals, not both",
            ),
            _ => {}
        }
        if let Some(goals) = &self.goals {
            if !(1..=5).contains(&goals.max) {
                e.add("goals.max", "out_of_range", "must be from 1 to 5");
            }
            match self.scales.get(&goals.scale) {
                None => e.add("goals.scale", "unknown_scale", "must name one of `scales`"),
                Some(Scale::Options(_)) => e.add(
                    "goals.scale",
                    "not_a_range",
                    "goals are rated on a range scale",
                ),
                Some(Scale::Range(_)) => {}
            }
        }
        if let Some(ft) = &self.free_text {
            if !ID(&ft.id) || seen.contains(ft.id.as_str()) {
                e.add(
                    "free_text.id",
                    "invalid",
                    "a lower-case id unlike any item's",
                );
            }
            e.text("free_text.text", &ft.text, 1, 500);
            e.opt_text("free_text.child_text", ft.child_text.as_deref(), 1, 500);
            if !(1..=500).contains(&ft.max_length) {
                e.add(
                    "free_text.max_length",
                    "out_of_range",
                    "must be from 1 to 500",
                );
            }
        }
    }

    fn check_scores(&self, e: &mut Errors) {
        if self.scores.is_empty() {
            e.add("scores", "required", "define at least one score");
        }
        let mut seen = BTreeSet::new();
        for (i, score) in self.scores.iter().enumerate() {
            let at = format!("scores[{i}]");
            if !ID(&score.id) || !seen.insert(score.id.as_str()) {
                e.add(format!("{at}.id"), "invalid", "unique lower-case ids");
            }
            e.text(&format!("{at}.label"), &score.label, 1, 200);
            if score.items.is_empty() {
                e.add(format!("{at}.items"), "required", "name at least one item");
            }
            for (j, item) in score.items.iter().enumerate() {
                let known = if item == GOALS {
                    self.goals.is_some()
                } else {
                    self.items.iter().any(|it| &it.id == item)
                };
                if !known {
                    e.add(
                        format!("{at}.items[{j}]"),
                        "unknown_item",
                        "must name an item (or `goals`)",
                    );
                }
            }
            if let Some(rc) = score.reliable_change {
                if !(rc.is_finite() && rc > 0.0) {
                    e.add(
                        format!("{at}.reliable_change"),
                        "out_of_range",
                        "must be a positive number",
                    );
                }
            }
        }
    }

    /// The scale of an item (or of the goals), once checked.
    pub fn scale_of(&self, item: &str) -> Option<&Scale> {
        let name = if item == GOALS {
            &self.goals.as_ref()?.scale
        } else {
            &self.items.iter().find(|i| i.id == item)?.scale
        };
        self.scales.get(name)
    }
}

fn check_scale(e: &mut Errors, at: &str, name: &str, scale: &Scale) {
    if !ID(name) {
        e.add(at, "invalid", "scale names are lower-case ids");
    }
    match scale {
        Scale::Range(r) => {
            if r.min >= r.max || r.min < -100 || r.max > 100 {
                e.add(
                    format!("{at}.max"),
                    "invalid_range",
                    "min < max, both within -100..100",
                );
            }
            e.text(&format!("{at}.min_label"), &r.min_label, 1, 100);
            e.text(&format!("{at}.max_label"), &r.max_label, 1, 100);
        }
        Scale::Options(o) => {
            if o.options.len() < 2 || o.options.len() > 11 {
                e.add(
                    format!("{at}.options"),
                    "out_of_range",
                    "from 2 to 11 options",
                );
            }
            let mut values = BTreeSet::new();
            for (i, opt) in o.options.iter().enumerate() {
                if !values.insert(opt.value) {
                    e.add(
                        format!("{at}.options[{i}].value"),
                        "duplicate",
                        "option values must be unique",
                    );
                }
                e.text(&format!("{at}.options[{i}].label"), &opt.label, 1, 100);
                e.opt_text(
                    &format!("{at}.options[{i}].child_label"),
                    opt.child_label.as_deref(),
                    1,
                    100,
                );
            }
        }
    }
}

impl Scale {
    /// Whether `value` is an answer on this scale.
    pub fn allows(&self, value: i32) -> bool {
        match self {
            Scale::Range(r) => (r.min..=r.max).contains(&value),
            Scale::Options(o) => o.options.iter().any(|opt| opt.value == value),
        }
    }

    /// Whether `value` counts in scores ("Don't know" does not).
    pub fn scored(&self, value: i32) -> bool {
        match self {
            Scale::Range(_) => true,
            Scale::Options(o) => o
                .options
                .iter()
                .any(|opt| opt.value == value && !opt.unscored),
        }
    }

    /// The lowest and highest scored values.
    pub fn bounds(&self) -> (i32, i32) {
        match self {
            Scale::Range(r) => (r.min, r.max),
            Scale::Options(o) => {
                let scored = o.options.iter().filter(|x| !x.unscored).map(|x| x.value);
                let min = scored.clone().min().unwrap_or(0);
                (min, scored.max().unwrap_or(0))
            }
        }
    }
}

/// The definitions peerlog ships: freely usable measures only.
pub const SHIPPED: &[&str] = &[
    include_str!("../../../measures/your_say.json"),
    include_str!("../../../measures/fft.json"),
    include_str!("../../../measures/ons4.json"),
    include_str!("../../../measures/gbo.json"),
];

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn shipped() -> Vec<MeasureDefinition> {
        SHIPPED
            .iter()
            .map(|s| MeasureDefinition::from_json(serde_json::from_str(s).unwrap()).unwrap())
            .collect()
    }

    #[test]
    fn every_shipped_definition_is_valid() {
        let codes: Vec<_> = shipped().into_iter().map(|d| d.code).collect();
        assert_eq!(codes, ["your_say", "fft", "ons4", "gbo"]);
    }

    #[test]
    fn a_bad_definition_names_every_fault_by_path() {
        let mut v: serde_json::Value = serde_json::from_str(SHIPPED[2]).unwrap();
        v["code"] = json!("ONS 4");
        v["items"][1]["scale"] = json!("nowhere");
        v["items"][2]["id"] = json!("life_satisfaction");
        v["scores"][0]["items"] = json!(["missing"]);
        v["scores"][1]["reliable_change"] = json!(-1);
        v["schedule"]["every_weeks"] = json!(0);
        let Invalid(errs) = MeasureDefinition::from_json(v).unwrap_err();
        let fields: Vec<_> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "code",
                "schedule.every_weeks",
                "items[1].scale",
                "items[2].id",
                "scores[0].items[0]",
                "scores[1].reliable_change",
                // items[2] is no longer `happiness`, so its score names nothing.
                "scores[2].items[0]",
            ]
        );
    }

    #[test]
    fn a_wrong_type_is_named_by_its_path() {
        let mut v: serde_json::Value = serde_json::from_str(SHIPPED[2]).unwrap();
        v["scales"]["zero_to_ten"]["min"] = json!("zero");
        let Invalid(errs) = MeasureDefinition::from_json(v).unwrap_err();
        assert_eq!(errs[0].field, "scales.zero_to_ten");
        let mut v: serde_json::Value = serde_json::from_str(SHIPPED[2]).unwrap();
        v["items"][0]["colour"] = json!("red");
        let Invalid(errs) = MeasureDefinition::from_json(v).unwrap_err();
        assert_eq!(errs[0].field, "items[0].colour");
    }
}
