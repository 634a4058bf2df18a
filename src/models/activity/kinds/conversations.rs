//! Conversations with one person: one-to-one engagement on controlled
//! topics, calming a crisis, and a conversation about suicidal thoughts.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

crate::text_enum! {
    /// Topics of one-to-one engagement.
    pub enum Topic {
        Listening = "listening",
        CopingStrategies = "coping_strategies",
        TraumaInsight = "trauma_insight",
        HearingVoices = "hearing_voices",
        MedicationAdherence = "medication_adherence",
        DischargeWorries = "discharge_worries",
        Relationships = "relationships",
        SelfHarm = "self_harm",
        Sleep = "sleep",
        PhysicalHealth = "physical_health",
        Other = "other",
    }
}

/// `one_to_one` details.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OneToOne {
    /// One to ten topics, no repeats.
    #[schema(min_items = 1, max_items = 10)]
    pub topics: Vec<Topic>,
}

crate::text_enum! {
    /// What the crisis looked like.
    pub enum CrisisPresentation {
        PanicAttack = "panic_attack",
        Distress = "distress",
        Dissociation = "dissociation",
        Flashback = "flashback",
        Other = "other",
    }
}

crate::text_enum! {
    /// How the worker helped in a crisis.
    pub enum CrisisApproach {
        Grounding = "grounding",
        Breathing = "breathing",
        Reassurance = "reassurance",
        QuietSpace = "quiet_space",
        Other = "other",
    }
}

/// `crisis_support` details.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CrisisSupport {
    pub presentation: CrisisPresentation,
    #[schema(min_items = 1, max_items = 5)]
    pub approaches: Vec<CrisisApproach>,
    /// Whether ward staff were told.
    pub staff_informed: bool,
}

/// `suicide_prevention` details. Safety rule: never saved without who on the
/// ward it was escalated to, and when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SuicidePrevention {
    /// Who on the ward it was escalated to (name and role). Required.
    #[schema(
        required = true,
        min_length = 1,
        max_length = 200,
        example = "Charge nurse J. Okafor"
    )]
    pub escalated_to: Option<String>,
    /// When it was escalated. Required.
    #[schema(required = true)]
    #[serde(serialize_with = "crate::rfc3339::serialize_option")]
    pub escalated_at: Option<DateTime<Utc>>,
    pub safety_plan_discussed: bool,
}
