//! Encounter (UK Core): one per peer support contact, what a trust's EPR
//! shows in the person's record.

use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;
use serde_json::Value;
use uuid::Uuid;

use super::{has_group, workers};
use crate::fhir::coding::{kind_coding, Coding};
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

/// A reference written as `Type/id` without building a string first.
struct Ref(&'static str, Uuid);

impl Serialize for Ref {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(1))?;
        m.serialize_entry("reference", &format_args!("{}/{}", self.0, self.1))?;
        m.end()
    }
}

#[derive(Serialize)]
struct CodingOut {
    system: &'static str,
    code: &'static str,
    display: &'static str,
}

#[derive(Serialize)]
struct ConceptOut {
    coding: [CodingOut; 1],
    text: &'static str,
}

impl ConceptOut {
    fn of(c: Coding) -> Self {
        ConceptOut {
            coding: [CodingOut {
                system: c.system,
                code: c.code,
                display: c.display,
            }],
            text: c.display,
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct MetaOut {
    version_id: String,
    last_updated: String,
    profile: [&'static str; 1],
}

#[derive(Serialize)]
struct ParticipantOut {
    #[serde(rename = "type")]
    kind: [CodedOut; 1],
    individual: Ref,
}

#[derive(Serialize)]
struct CodedOut {
    coding: [CodingOut; 1],
}

#[derive(Serialize)]
struct PeriodOut {
    start: String,
    end: String,
}

#[derive(Serialize)]
struct LengthOut {
    value: i32,
    unit: &'static str,
    system: &'static str,
    code: &'static str,
}

#[derive(Serialize)]
struct LocationOut {
    location: Ref,
}

#[derive(Serialize)]
struct OrganizationRef<'a> {
    reference: String,
    display: &'a str,
}

/// An activity's Encounter, serialised as it is written (no JSON tree is
/// built: a search page of Encounters costs little more than the REST
/// list's page).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EncounterOut<'a> {
    resource_type: &'static str,
    id: Uuid,
    meta: MetaOut,
    status: &'static str,
    class: CodingOut,
    #[serde(rename = "type")]
    kind: [ConceptOut; 1],
    #[serde(skip_serializing_if = "Option::is_none")]
    subject: Option<Ref>,
    participant: Vec<ParticipantOut>,
    period: PeriodOut,
    length: LengthOut,
    location: [LocationOut; 1],
    service_provider: OrganizationRef<'a>,
}

/// The profile every Encounter claims.
const PROFILE: &str = "https://fhir.hl7.org.uk/StructureDefinition/UKCore-Encounter";

/// The Encounter of an activity. The class is inpatient (`IMP`): peer
/// support happens on the ward, during a stay. Workers are participants,
/// the one who recorded it the primary performer.
pub fn encounter_out<'a>(a: &Activity, trust: &'a Trust) -> EncounterOut<'a> {
    let participant = workers(a)
        .map(|(i, w)| {
            let (code, display) = if i == 0 {
                ("PPRF", "primary performer")
            } else {
                ("SPRF", "secondary performer")
            };
            ParticipantOut {
                kind: [CodedOut {
                    coding: [CodingOut {
                        system: "http://terminology.hl7.org/CodeSystem/v3-ParticipationType",
                        code,
                        display,
                    }],
                }],
                individual: Ref("Practitioner", w),
            }
        })
        .collect();
    let subject = if has_group(a) {
        Some(Ref("Group", a.id))
    } else {
        a.service_user_ids.first().map(|p| Ref("Patient", *p))
    };
    EncounterOut {
        resource_type: "Encounter",
        id: a.id,
        meta: MetaOut {
            version_id: a.version.to_string(),
            last_updated: instant(a.updated_at),
            profile: [PROFILE],
        },
        status: status(a.status),
        class: CodingOut {
            system: "http://terminology.hl7.org/CodeSystem/v3-ActCode",
            code: "IMP",
            display: "inpatient encounter",
        },
        kind: [ConceptOut::of(kind_coding(a.details.kind()))],
        subject,
        participant,
        period: PeriodOut {
            start: instant(a.started_at),
            end: instant(a.ended_at),
        },
        length: LengthOut {
            value: a.duration_minutes,
            unit: "min",
            system: "http://unitsofmeasure.org",
            code: "min",
        },
        location: [LocationOut {
            location: Ref("Location", a.ward_id),
        }],
        service_provider: OrganizationRef {
            reference: format!("Organization/{}", trust.ods_code),
            display: &trust.name,
        },
    }
}

/// The Encounter of an activity as a JSON tree (see [`encounter_out`]).
pub fn encounter(a: &Activity, trust: &Trust) -> Value {
    serde_json::to_value(encounter_out(a, trust)).expect("an Encounter serialises")
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
    fn the_encounter_reads_as_the_uk_core_profile_and_the_trust_name_it() {
        let a = examples::one_to_one();
        let trust = examples::trust();
        let e = encounter(&a, &trust);
        assert_eq!(
            e["meta"]["profile"][0],
            crate::fhir::uk_core_profile("Encounter")
        );
        assert_eq!(e["serviceProvider"], trust.reference());
        assert_eq!(e["type"][0], kind_coding(a.details.kind()).concept());
        let keys: Vec<&str> = e.as_object().unwrap().keys().map(|k| k.as_str()).collect();
        assert_eq!(
            keys,
            [
                "resourceType",
                "id",
                "meta",
                "status",
                "class",
                "type",
                "subject",
                "participant",
                "period",
                "length",
                "location",
                "serviceProvider"
            ],
            "FHIR's element order"
        );
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
