//! Procedure (UK Core): what the peer support worker did, coded by kind,
//! with a one-to-one's topics as its reasons.

use serde_json::{json, Value};

use super::{meta, subject, workers};
use crate::fhir::coding::{kind_coding, topic_coding};
use crate::fhir::instant;
use crate::models::activity::{Activity, ActivityDetails, ActivityStatus};

/// The Procedure status of an activity.
pub fn status(status: ActivityStatus) -> &'static str {
    match status {
        ActivityStatus::Recorded | ActivityStatus::Amended => "completed",
        ActivityStatus::EnteredInError => "entered-in-error",
    }
}

/// The Procedure of an activity. Its subject is required by FHIR; every
/// activity with a Procedure has one (see the module notes of
/// `resources`). The worker's note and a void's reason go with it: they
/// are part of the record a subject access request returns.
pub fn procedure(a: &Activity) -> Value {
    let performers: Vec<Value> = workers(a)
        .map(|(_, w)| json!({ "actor": { "reference": format!("Practitioner/{w}") } }))
        .collect();
    let mut r = json!({
        "resourceType": "Procedure",
        "id": a.id.to_string(),
        "meta": meta(Some(a.version), a.updated_at, Some("Procedure")),
        "status": status(a.status),
        "code": kind_coding(a.details.kind()).concept(),
        "subject": subject(a).unwrap_or_else(|| json!({ "display": "nobody named" })),
        "encounter": { "reference": format!("Encounter/{}", a.id) },
        "performedPeriod": { "start": instant(a.started_at), "end": instant(a.ended_at) },
        "performer": performers,
        "location": { "reference": format!("Location/{}", a.ward_id) },
    });
    if let ActivityDetails::OneToOne(o) = &a.details {
        let reasons: Vec<Value> = o
            .topics
            .iter()
            .map(|t| topic_coding(*t).concept())
            .collect();
        r["reasonCode"] = json!(reasons);
    }
    if let Some(note) = &a.note {
        r["note"] = json!([{ "text": note }]);
    }
    if let Some(reason) = &a.void_reason {
        r["statusReason"] = json!({ "text": reason });
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fhir::resources::examples;

    #[test]
    fn a_one_to_one_is_a_completed_procedure_coded_by_kind_with_its_topics() {
        let a = examples::one_to_one();
        let p = procedure(&a);
        assert_eq!(p["status"], "completed");
        assert_eq!(p["code"]["coding"][0]["code"], "one_to_one");
        assert_eq!(p["reasonCode"][0]["coding"][0]["code"], "hearing_voices");
        assert_eq!(p["reasonCode"][1]["coding"][0]["code"], "discharge_worries");
        assert_eq!(
            p["subject"]["reference"],
            format!("Patient/{}", examples::PERSON)
        );
        assert_eq!(p["encounter"]["reference"], format!("Encounter/{}", a.id));
        assert_eq!(p["note"][0]["text"], "Talked about voices at night.");
        assert!(p.get("statusReason").is_none());
    }

    #[test]
    fn a_voided_activity_is_an_entered_in_error_procedure_with_its_reason() {
        let mut a = examples::one_to_one();
        a.status = ActivityStatus::EnteredInError;
        a.void_reason = Some("Wrong person".into());
        let p = procedure(&a);
        assert_eq!(p["status"], "entered-in-error");
        assert_eq!(p["statusReason"]["text"], "Wrong person");
    }
}
