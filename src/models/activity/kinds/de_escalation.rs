//! Intervening in a situation, and whether restraint was avoided.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

crate::text_enum! {
    /// Who a situation involved.
    pub enum DeEscalationSituation {
        BetweenServiceUsers = "between_service_users",
        TowardStaff = "toward_staff",
        SelfDirected = "self_directed",
        Other = "other",
    }
}

crate::text_enum! {
    /// What the worker tried ("efforts made to avoid force").
    pub enum DeEscalationApproach {
        VerbalCalming = "verbal_calming",
        Distraction = "distraction",
        SpaceAndTime = "space_and_time",
        Validation = "validation",
        ProblemSolving = "problem_solving",
        SensoryTools = "sensory_tools",
        Other = "other",
    }
}

crate::text_enum! {
    /// How a de-escalation ended.
    pub enum DeEscalationOutcome {
        Resolved = "resolved",
        PartiallyResolved = "partially_resolved",
        HandedToStaff = "handed_to_staff",
        RestraintUsed = "restraint_used",
        Other = "other",
    }
}

/// `de_escalation` details.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeEscalation {
    pub situation: DeEscalationSituation,
    /// What was tried, one or more.
    #[schema(min_items = 1, max_items = 7)]
    pub approaches: Vec<DeEscalationApproach>,
    pub restraint_avoided: bool,
    pub staff_called: bool,
    pub outcome: DeEscalationOutcome,
    /// The reference in the trust's incident system, if one was raised.
    #[schema(max_length = 64)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub incident_reference: Option<String>,
}
