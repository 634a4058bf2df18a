//! A person's answers to a measure ("Your say", ONS4, Goal Based Outcomes,
//! the Friends and Family Test, or a licensed measure the trust loaded):
//! - a **QuestionnaireResponse** (UK Core) of what they answered, item by
//!   item ("prefer not to say" items are absent, as they are stored), with
//!   the measure definition as its `questionnaire` canonical;
//! - an **Observation** (UK Core) of the scores made from it, one
//!   component per score, derived from the QuestionnaireResponse. A
//!   declined answer, or one with no score, has none.
//!
//! Both have the answer's id: an answer is locked when it is given, so
//! neither is versioned. Who may read them is decided in
//! `fhir::access` (a person's individual answers are not for ward staff
//! or managers, who see them only in aggregate).

use chrono::{DateTime, Utc};
use serde_json::{json, Value};
use uuid::Uuid;

use super::meta;
use crate::fhir::coding::CANONICAL_BASE;
use crate::fhir::instant;

/// The code system of measures (Observation.code): the definition's code.
pub const MEASURE_SYSTEM: &str = "https://fhir.peerlog.org.uk/CodeSystem/measure";
/// The code system of measure scores (Observation.component.code):
/// `{measure}.{score}`.
pub const MEASURE_SCORE_SYSTEM: &str = "https://fhir.peerlog.org.uk/CodeSystem/measure-score";
/// HL7's observation categories (`survey`).
const OBSERVATION_CATEGORY_SYSTEM: &str =
    "http://terminology.hl7.org/CodeSystem/observation-category";

/// One answered item: its id in the definition, its question and the value.
#[derive(Debug, Clone, PartialEq)]
pub struct AnsweredItem {
    pub link_id: String,
    pub text: String,
    pub value: i32,
}

/// One score made from the answers.
#[derive(Debug, Clone, PartialEq)]
pub struct ScoreValue {
    pub id: String,
    pub label: String,
    pub value: f64,
}

/// A stored answer with what its definition says about it: the input of
/// both resources, made by the domain from the stored row and definition.
#[derive(Debug, Clone, PartialEq)]
pub struct AnswerSheet {
    pub id: Uuid,
    pub measure_code: String,
    pub measure_version: i32,
    pub measure_title: String,
    pub service_user_id: Uuid,
    pub ward_id: Uuid,
    /// The contact it followed, when there was one.
    pub activity_id: Option<Uuid>,
    /// Answered by the person's carer rather than the person.
    pub by_carer: bool,
    pub completed_at: DateTime<Utc>,
    /// When peerlog stored it (`meta.lastUpdated`).
    pub stored_at: DateTime<Utc>,
    pub declined: bool,
    pub items: Vec<AnsweredItem>,
    pub scores: Vec<ScoreValue>,
}

impl AnswerSheet {
    /// The canonical of the definition answered (`url|version`).
    pub fn questionnaire(&self) -> String {
        format!(
            "{CANONICAL_BASE}/Questionnaire/{}|{}",
            self.measure_code, self.measure_version
        )
    }

    fn patient(&self) -> Value {
        json!({ "reference": format!("Patient/{}", self.service_user_id) })
    }

    fn encounter(&self) -> Option<Value> {
        self.activity_id
            .map(|a| json!({ "reference": format!("Encounter/{a}") }))
    }
}

/// The QuestionnaireResponse of an answer.
pub fn questionnaire_response(s: &AnswerSheet) -> Value {
    let items: Vec<Value> = s
        .items
        .iter()
        .map(|i| {
            json!({
                "linkId": i.link_id,
                "text": i.text,
                "answer": [{ "valueInteger": i.value }],
            })
        })
        .collect();
    let mut r = json!({
        "resourceType": "QuestionnaireResponse",
        "id": s.id.to_string(),
        "meta": meta(None, s.stored_at, Some("QuestionnaireResponse")),
        "questionnaire": s.questionnaire(),
        // A person who declined stopped before answering.
        "status": if s.declined { "stopped" } else { "completed" },
        "subject": s.patient(),
        "authored": instant(s.completed_at),
    });
    if let Some(e) = s.encounter() {
        r["encounter"] = e;
    }
    r["source"] = if s.by_carer {
        json!({ "display": "The person's carer" })
    } else {
        s.patient()
    };
    if !items.is_empty() {
        r["item"] = json!(items);
    }
    r
}

/// The Observation of an answer's scores; `None` when declined or unscored.
pub fn observation(s: &AnswerSheet) -> Option<Value> {
    if s.declined || s.scores.is_empty() {
        return None;
    }
    let components: Vec<Value> = s
        .scores
        .iter()
        .map(|c| {
            json!({
                "code": {
                    "coding": [{
                        "system": MEASURE_SCORE_SYSTEM,
                        "code": format!("{}.{}", s.measure_code, c.id),
                        "display": c.label,
                    }],
                    "text": c.label,
                },
                "valueQuantity": {
                    "value": c.value,
                    "unit": "score",
                    "system": "http://unitsofmeasure.org",
                    "code": "{score}",
                },
            })
        })
        .collect();
    let mut r = json!({
        "resourceType": "Observation",
        "id": s.id.to_string(),
        "meta": meta(None, s.stored_at, Some("Observation")),
        "status": "final",
        "category": [{
            "coding": [{
                "system": OBSERVATION_CATEGORY_SYSTEM,
                "code": "survey",
                "display": "Survey",
            }],
        }],
        "code": {
            "coding": [{
                "system": MEASURE_SYSTEM,
                "code": s.measure_code,
                "display": s.measure_title,
            }],
            "text": s.measure_title,
        },
        "subject": s.patient(),
        "effectiveDateTime": instant(s.completed_at),
        "issued": instant(s.stored_at),
        "derivedFrom": [{ "reference": format!("QuestionnaireResponse/{}", s.id) }],
        "component": components,
    });
    if let Some(e) = s.encounter() {
        r["encounter"] = e;
    }
    Some(r)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sheet(declined: bool) -> AnswerSheet {
        let at = "2026-11-02T10:30:00Z".parse().unwrap();
        AnswerSheet {
            id: Uuid::now_v7(),
            measure_code: "ons4".into(),
            measure_version: 1,
            measure_title: "ONS personal well-being (ONS4)".into(),
            service_user_id: Uuid::now_v7(),
            ward_id: Uuid::now_v7(),
            activity_id: Some(Uuid::now_v7()),
            by_carer: false,
            completed_at: at,
            stored_at: at,
            declined,
            items: if declined {
                vec![]
            } else {
                vec![AnsweredItem {
                    link_id: "anxiety".into(),
                    text: "How anxious did you feel yesterday?".into(),
                    value: 3,
                }]
            },
            scores: if declined {
                vec![]
            } else {
                vec![ScoreValue {
                    id: "low_anxiety".into(),
                    label: "Low anxiety".into(),
                    value: 7.0,
                }]
            },
        }
    }

    #[test]
    fn an_answer_is_a_completed_response_and_an_observation_derived_from_it() {
        let s = sheet(false);
        let qr = questionnaire_response(&s);
        assert_eq!(qr["status"], "completed");
        assert_eq!(
            qr["questionnaire"],
            format!("{CANONICAL_BASE}/Questionnaire/ons4|1")
        );
        assert_eq!(qr["item"][0]["linkId"], "anxiety");
        assert_eq!(qr["item"][0]["answer"][0]["valueInteger"], 3);
        assert_eq!(qr["subject"], qr["source"]);
        let obs = observation(&s).unwrap();
        assert_eq!(obs["code"]["coding"][0]["code"], "ons4");
        assert_eq!(
            obs["component"][0]["code"]["coding"][0]["code"],
            "ons4.low_anxiety"
        );
        assert_eq!(obs["component"][0]["valueQuantity"]["value"], 7.0);
        assert_eq!(
            obs["derivedFrom"][0]["reference"],
            format!("QuestionnaireResponse/{}", s.id)
        );
        assert_eq!(obs["encounter"], qr["encounter"]);
    }

    #[test]
    fn a_declined_answer_is_stopped_with_no_items_and_no_observation() {
        let s = sheet(true);
        let qr = questionnaire_response(&s);
        assert_eq!(qr["status"], "stopped");
        assert!(qr.get("item").is_none());
        assert!(observation(&s).is_none());
    }
}
