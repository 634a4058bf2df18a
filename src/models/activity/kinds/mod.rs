//! The twelve activity kinds of DESIGN.md, each with its own details type,
//! its controlled vocabularies and its rules. The same enums feed the
//! validation, the OpenAPI document and `GET /api/v1/vocabulary`.
//!
//! Here: the report columns every kind fills, and the macro that makes the
//! kind enum and the details union from one list. Each kind's details type
//! and vocabularies are in the file of its group; what each kind checks
//! beyond its shape, and how many people it names, are the domain's
//! (`crate::domain::activities::kinds`).

mod advocacy;
mod conversations;
mod de_escalation;
mod groups;
mod leave;
mod wellbeing;

pub use advocacy::{
    Advocacy, AdvocacyMode, AdvocacyOutcome, AdvocacySetting, DischargeFocus, DischargeSupport,
    ReviewSupport, WardReviewSupport,
};
pub use conversations::{
    CrisisApproach, CrisisPresentation, CrisisSupport, OneToOne, SuicidePrevention, Topic,
};
pub use de_escalation::{
    DeEscalation, DeEscalationApproach, DeEscalationOutcome, DeEscalationSituation,
};
pub use groups::{Audience, Awareness, AwarenessTopic, GroupActivity, GroupFormat, GroupSession};
pub use leave::{DestinationCategory, EscortedLeave, LeaveAuthorisation};
pub use wellbeing::{StaffSupport, StaffSupportReason, Wellbeing, WellbeingFocus};

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::validate::FieldError;

/// Values reports group and sum by, copied into typed columns.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReportColumns {
    pub restraint_avoided: Option<bool>,
    pub staff_called: Option<bool>,
    pub leave_minutes: Option<i32>,
    pub returned_as_planned: Option<bool>,
    pub attendees_named: Option<i32>,
    pub attendees_unnamed: Option<i32>,
}

macro_rules! activity_kinds {
    ($( $(#[$doc:meta])* $variant:ident($details:ident) = $value:tt; )+) => {
        crate::text_enum! {
            /// What kind of peer-support activity a record is.
            pub enum ActivityKind {
                $( $(#[$doc])* $variant = $value ),+
            }
        }

        /// An activity's kind and its kind-specific details: a union
        /// discriminated by `kind`, one schema per kind.
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
        // `rename_all` rather than a per-variant rename: utoipa reads it here,
        // and each kind's value is its variant's snake_case name.
        #[serde(tag = "kind", content = "details", rename_all = "snake_case")]
        pub enum ActivityDetails {
            $( $(#[$doc])* $variant($details) ),+
        }

        impl ActivityDetails {
            /// The kind these details belong to.
            pub fn kind(&self) -> ActivityKind {
                match self { $( ActivityDetails::$variant(_) => ActivityKind::$variant ),+ }
            }

            /// Reads `details` as the type its `kind` calls for; errors
            /// name `details.<field>`.
            pub fn parse(kind: ActivityKind, details: serde_json::Value) -> Result<Self, FieldError> {
                match kind {
                    $( ActivityKind::$variant => crate::json_path::parse_json_value::<$details>(details, "details")
                        .map(ActivityDetails::$variant) ),+
                }
            }

            /// Reads `details` from its raw JSON text, as [`Self::parse`]
            /// does from a tree: a request's details are never made a tree.
            pub fn parse_raw(kind: ActivityKind, details: &serde_json::value::RawValue) -> Result<Self, FieldError> {
                match kind {
                    $( ActivityKind::$variant => crate::json_path::parse_raw::<$details>(details, "details")
                        .map(ActivityDetails::$variant) ),+
                }
            }

            /// The details alone, as stored in the `details` column.
            pub fn to_value(&self) -> serde_json::Value {
                match self { $( ActivityDetails::$variant(d) => serde_json::to_value(d).unwrap_or_default() ),+ }
            }
        }
    };
}

activity_kinds! {
    /// Taking someone off the ward when staff are too busy.
    EscortedLeave(EscortedLeave) = "escorted_leave";
    /// Therapeutic one-to-one engagement on controlled topics.
    OneToOne(OneToOne) = "one_to_one";
    /// Advocating, or supporting self-advocacy, at a tribunal or meeting.
    Advocacy(Advocacy) = "advocacy";
    /// Running a peer group; named attendees are the activity's service users.
    GroupSession(GroupSession) = "group_session";
    /// Intervening in a situation; whether restraint was avoided.
    DeEscalation(DeEscalation) = "de_escalation";
    /// Calming a panic attack or distress.
    CrisisSupport(CrisisSupport) = "crisis_support";
    /// A conversation about suicidal thoughts; must record its escalation.
    SuicidePrevention(SuicidePrevention) = "suicide_prevention";
    /// Exercise, eating, self-care, substance cessation, practical issues.
    Wellbeing(Wellbeing) = "wellbeing";
    /// Assisting with a ward review.
    WardReviewSupport(WardReviewSupport) = "ward_review_support";
    /// Assisting with discharge planning.
    DischargeSupport(DischargeSupport) = "discharge_support";
    /// An awareness session, e.g. LGBTQ+ awareness.
    Awareness(Awareness) = "awareness";
    /// Supporting stressed or overwhelmed staff; nobody is named.
    StaffSupport(StaffSupport) = "staff_support";
}
