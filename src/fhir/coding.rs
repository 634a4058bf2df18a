//! Coding that travels: how peerlog's controlled vocabulary is written in
//! FHIR. Each activity kind, one-to-one topic and practitioner role has a
//! coding in one of peerlog's own code systems, whose canonical URLs are
//! below and published in the README and by `GET /api/v1/vocabulary`.
//!
//! No SNOMED CT concept is used: a concept id goes in only where it can be
//! confirmed from a published source (the SNOMED CT UK edition browser or
//! an NHS England reference set), and none was confirmed for these values
//! when this was written. A guessed SNOMED id would travel into a care
//! record and be read as a fact, so until a terminologist confirms one,
//! every value is a local code, never a guess. The list is one table
//! ([`kind_coding`], [`topic_coding`]), so adding a confirmed SNOMED CT
//! coding beside a local one is a one-line change.

use serde::Serialize;
use utoipa::ToSchema;

use crate::access::Role;
use crate::models::activity::kinds::Topic;
use crate::models::activity::ActivityKind;

/// The root of peerlog's canonical URLs (code systems, identifier systems,
/// extensions). A canonical URL names a system; it need not resolve.
pub const CANONICAL_BASE: &str = "https://fhir.peerlog.org.uk";

/// peerlog's code system of activity kinds.
pub const ACTIVITY_KIND_SYSTEM: &str = "https://fhir.peerlog.org.uk/CodeSystem/activity-kind";
/// peerlog's code system of one-to-one topics.
pub const TOPIC_SYSTEM: &str = "https://fhir.peerlog.org.uk/CodeSystem/one-to-one-topic";
/// peerlog's code system of practitioner roles.
pub const PRACTITIONER_ROLE_SYSTEM: &str =
    "https://fhir.peerlog.org.uk/CodeSystem/practitioner-role";
/// SNOMED CT's system URI (for codings confirmed from a published source).
pub const SNOMED_CT: &str = "http://snomed.info/sct";

/// One coding of a vocabulary value: its system, code and display.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Coding {
    /// The code system's canonical URL.
    #[schema(example = "https://fhir.peerlog.org.uk/CodeSystem/activity-kind")]
    pub system: &'static str,
    #[schema(example = "one_to_one")]
    pub code: &'static str,
    #[schema(example = "One-to-one peer support")]
    pub display: &'static str,
}

impl Coding {
    /// The coding as FHIR JSON.
    pub fn to_fhir(&self) -> serde_json::Value {
        serde_json::json!({ "system": self.system, "code": self.code, "display": self.display })
    }

    /// A CodeableConcept of this coding, with its display as text.
    pub fn concept(&self) -> serde_json::Value {
        serde_json::json!({ "coding": [self.to_fhir()], "text": self.display })
    }
}

/// The coding of an activity kind.
pub fn kind_coding(kind: ActivityKind) -> Coding {
    use ActivityKind::*;
    let display = match kind {
        EscortedLeave => "Escorted leave by a peer support worker",
        OneToOne => "One-to-one peer support",
        Advocacy => "Advocacy or support for self-advocacy",
        GroupSession => "Peer support group session",
        DeEscalation => "De-escalation by a peer support worker",
        CrisisSupport => "Crisis support",
        SuicidePrevention => "Suicide prevention conversation",
        Wellbeing => "Wellbeing support",
        WardReviewSupport => "Ward review support",
        DischargeSupport => "Discharge planning support",
        Awareness => "Awareness session",
        StaffSupport => "Support for ward staff",
    };
    Coding {
        system: ACTIVITY_KIND_SYSTEM,
        code: kind.as_str(),
        display,
    }
}

/// The coding of a one-to-one topic.
pub fn topic_coding(topic: Topic) -> Coding {
    use Topic::*;
    let display = match topic {
        Listening => "Listening",
        CopingStrategies => "Coping strategies",
        TraumaInsight => "Insight into trauma",
        HearingVoices => "Hearing voices",
        MedicationAdherence => "Medication adherence",
        DischargeWorries => "Worries about discharge",
        Relationships => "Relationships",
        SelfHarm => "Self-harm",
        Sleep => "Sleep",
        PhysicalHealth => "Physical health",
        Other => "Other topic",
    };
    Coding {
        system: TOPIC_SYSTEM,
        code: topic.as_str(),
        display,
    }
}

/// The practitioner role code of an account whose role records peer
/// support (`None` for roles that are not practitioners in FHIR).
pub fn practitioner_role_coding(role: Role) -> Option<Coding> {
    let (code, display) = match role {
        Role::PeerSupportWorker => ("peer-support-worker", "Peer support worker"),
        Role::PeerTeamLeader => ("peer-support-team-leader", "Peer support team leader"),
        _ => return None,
    };
    Some(Coding {
        system: PRACTITIONER_ROLE_SYSTEM,
        code,
        display,
    })
}

/// Every coding peerlog emits, by vocabulary: what `/api/v1/vocabulary`
/// shows and the README tabulates.
#[derive(Debug, Serialize, ToSchema)]
pub struct Codings {
    pub activity_kinds: Vec<Coding>,
    pub topics: Vec<Coding>,
    pub practitioner_roles: Vec<Coding>,
}

impl Codings {
    /// The codings as the code defines them.
    pub fn current() -> Self {
        Codings {
            activity_kinds: ActivityKind::ALL.iter().map(|k| kind_coding(*k)).collect(),
            topics: Topic::ALL.iter().map(|t| topic_coding(*t)).collect(),
            practitioner_roles: Role::ALL
                .iter()
                .filter_map(|r| practitioner_role_coding(*r))
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_and_topic_has_a_local_coding_and_no_guessed_snomed_id() {
        let all = Codings::current();
        assert_eq!(all.activity_kinds.len(), ActivityKind::ALL.len());
        assert_eq!(all.topics.len(), Topic::ALL.len());
        for c in all.activity_kinds.iter().chain(&all.topics) {
            assert!(c.system.starts_with(CANONICAL_BASE), "{c:?}");
            assert_ne!(c.system, SNOMED_CT);
            assert!(!c.display.is_empty());
        }
        let one = kind_coding(ActivityKind::OneToOne);
        assert_eq!(one.code, "one_to_one");
        assert_eq!(one.concept()["coding"][0]["system"], ACTIVITY_KIND_SYSTEM);
    }

    #[test]
    fn peer_workers_have_a_role_code_and_others_none() {
        let worker = practitioner_role_coding(Role::PeerSupportWorker).unwrap();
        assert_eq!(worker.code, "peer-support-worker");
        assert!(practitioner_role_coding(Role::Admin).is_none());
        assert_eq!(Codings::current().practitioner_roles.len(), 2);
    }
}
