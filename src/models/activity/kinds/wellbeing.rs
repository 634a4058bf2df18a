//! Wellbeing: encouraging a service user's, and supporting stressed staff.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

crate::text_enum! {
    /// The area of wellbeing encouraged.
    pub enum WellbeingFocus {
        PhysicalExercise = "physical_exercise",
        Eating = "eating",
        SelfCare = "self_care",
        Sleep = "sleep",
        SubstanceCessation = "substance_cessation",
        PracticalIssuesAtHome = "practical_issues_at_home",
        Other = "other",
    }
}

/// `wellbeing` details.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Wellbeing {
    #[schema(min_items = 1, max_items = 7)]
    pub focus: Vec<WellbeingFocus>,
}

crate::text_enum! {
    /// Why staff needed support.
    pub enum StaffSupportReason {
        Stress = "stress",
        Overwhelmed = "overwhelmed",
        AfterIncident = "after_incident",
        Other = "other",
    }
}

/// `staff_support` details. Staff are counted, never named.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StaffSupport {
    pub reason: StaffSupportReason,
    #[schema(minimum = 1, maximum = 50)]
    pub staff_count: i32,
}
