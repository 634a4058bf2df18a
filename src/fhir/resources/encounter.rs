//! Encounter (UK Core): one per peer support contact, what a trust's EPR
//! shows in the person's record.

use serde_json::{json, Value};

use super::{meta, subject, workers};
use crate::fhir::coding::kind_coding;
use crate::fhir::{instant, Trust};
use crate::models::activity::{Activity, ActivityStatus};

/// The Encounter status of an activity: a record is of a contact that has
/// happened (`finished`), unless it was entered in error.
pub fn status(status: ActivityStatus) -> &'static str {
    match status {
        ActivityStatus::Recorded | ActivityStatus::Amended => "finished",
        ActivityStatus::EnteredInError => "entered-in-error",
    }
}

/// The Encounter of an activity. The class is inpatient (`IMP`): peer
/// support happens on the ward, during a stay. Workers are participants,
/// the one who recorded it the primary performer.
pub fn encounter(a: &Activity, trust: &Trust) -> Value {
    let participants: Vec<Value> = workers(a)
        .map(|(i, w)| {
            let (code, display) = if i == 0 {
                ("PPRF", "primary performer")
            } else {
                ("SPRF", "secondary performer")
            };
            json!({
                "type": [{ "coding": [{
                    "system": "http://terminology.hl7.org/CodeSystem/v3-ParticipationType",
                    "code": code, "display": display,
                }]}],
                "individual": { "reference": format!("Practitioner/{w}") },
            })
        })
        .collect();
    let mut r = json!({
        "resourceType": "Encounter",
        "id": a.id.to_string(),
        "meta": meta(Some(a.version), a.updated_at, Some("Encounter")),
        "status": status(a.status),
        "class": {
            "system": "http://terminology.hl7.org/CodeSystem/v3-ActCode",
            "code": "IMP",
            "display": "inpatient encounter",
        },
        "type": [kind_coding(a.details.kind()).concept()],
        "participant": participants,
        "period": { "start": instant(a.started_at), "end": instant(a.ended_at) },
        "length": {
            "value": a.duration_minutes, "unit": "min",
            "system": "http://unitsofmeasure.org", "code": "min",
        },
        "location": [{ "location": { "reference": format!("Location/{}", a.ward_id) } }],
        "serviceProvider": trust.reference(),
    });
    if let Some(s) = subject(a) {
        r["subject"] = s;
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fhir::resources::examples;

    #[test]
    fn a_one_to_one_is_a_finished_inpatient_encounter_with_its_patient_ward_and_workers() {
        let a = examples::one_to_one();
        let e = encounter(&a, &examples::trust());
        assert_eq!(e["resourceType"], "Encounter");
        assert_eq!(e["id"], a.id.to_string());
        assert_eq!(e["meta"]["versionId"], "2");
        assert_eq!(
            e["meta"]["profile"][0],
            "https://fhir.hl7.org.uk/StructureDefinition/UKCore-Encounter"
        );
        assert_eq!(e["status"], "finished");
        assert_eq!(e["class"]["code"], "IMP");
        assert_eq!(e["type"][0]["coding"][0]["code"], "one_to_one");
        assert_eq!(
            e["subject"]["reference"],
            format!("Patient/{}", examples::PERSON)
        );
        assert_eq!(
            e["location"][0]["location"]["reference"],
            format!("Location/{}", examples::WARD)
        );
        assert_eq!(
            e["participant"][0]["individual"]["reference"],
            format!("Practitioner/{}", examples::WORKER)
        );
        assert_eq!(e["participant"][0]["type"][0]["coding"][0]["code"], "PPRF");
        assert_eq!(e["period"]["start"], "2026-11-02T10:00:00Z");
        assert_eq!(e["length"]["value"], 30);
        assert_eq!(e["serviceProvider"]["reference"], "Organization/RX4");
    }

    #[test]
    fn an_activity_entered_in_error_is_an_entered_in_error_encounter() {
        let mut a = examples::one_to_one();
        a.status = ActivityStatus::EnteredInError;
        assert_eq!(
            encounter(&a, &examples::trust())["status"],
            "entered-in-error"
        );
        assert_eq!(status(ActivityStatus::Amended), "finished");
    }

    #[test]
    fn a_group_session_encounter_is_about_its_group() {
        let a = examples::group_session();
        let e = encounter(&a, &examples::trust());
        assert_eq!(e["subject"]["reference"], format!("Group/{}", a.id));
        assert_eq!(e["participant"].as_array().unwrap().len(), 2);
        assert_eq!(e["participant"][1]["type"][0]["coding"][0]["code"], "SPRF");
    }
}
