//! The twelve activity kinds of DESIGN.md, each with its own details type,
//! its controlled vocabularies and its rules. The same enums feed the
//! validation, the OpenAPI document and `GET /api/v1/vocabulary`.
//!
//! Here: what every kind shares (how many people it names, the times its
//! rules compare against, the report columns) and the macro that makes the
//! kind enum and the details union from one list. Each kind's details type,
//! vocabularies and rules are in the file of its group.

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

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::validate::Errors;
use crate::validate::FieldError;

/// How many service users a kind names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Involvement {
    /// None may be named (`staff_support`: staff are not named either).
    None,
    /// Exactly one person (`one_to_one`, `suicide_prevention`).
    One,
    /// One or more.
    AtLeastOne,
    /// Any number, none included (groups and awareness sessions).
    Any,
}

/// The times a kind's rules compare against.
#[derive(Debug, Clone, Copy)]
pub struct Span {
    pub started_at: DateTime<Utc>,
    pub ended_at: DateTime<Utc>,
    /// The latest instant a recorded time may have (now plus clock skew).
    pub latest: DateTime<Utc>,
    /// How many service users the activity names.
    pub named: usize,
}

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

/// What each details type checks beyond its shape.
trait KindRules {
    /// Adds errors with paths relative to `details`.
    fn check(&self, span: &Span, errors: &mut Errors);
    fn report_columns(&self, _span: &Span) -> ReportColumns {
        ReportColumns::default()
    }
}

macro_rules! activity_kinds {
    ($( $(#[$doc:meta])* $variant:ident($details:ident) = $value:tt, $involvement:expr; )+) => {
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

        impl ActivityKind {
            /// How many service users an activity of this kind names.
            pub fn involvement(self) -> Involvement {
                match self { $( ActivityKind::$variant => $involvement ),+ }
            }
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

            fn rules(&self) -> &dyn KindRules {
                match self { $( ActivityDetails::$variant(d) => d ),+ }
            }
        }
    };
}

activity_kinds! {
    /// Taking someone off the ward when staff are too busy.
    EscortedLeave(EscortedLeave) = "escorted_leave", Involvement::AtLeastOne;
    /// Therapeutic one-to-one engagement on controlled topics.
    OneToOne(OneToOne) = "one_to_one", Involvement::One;
    /// Advocating, or supporting self-advocacy, at a tribunal or meeting.
    Advocacy(Advocacy) = "advocacy", Involvement::AtLeastOne;
    /// Running a peer group; named attendees are the activity's service users.
    GroupSession(GroupSession) = "group_session", Involvement::Any;
    /// Intervening in a situation; whether restraint was avoided.
    DeEscalation(DeEscalation) = "de_escalation", Involvement::AtLeastOne;
    /// Calming a panic attack or distress.
    CrisisSupport(CrisisSupport) = "crisis_support", Involvement::AtLeastOne;
    /// A conversation about suicidal thoughts; must record its escalation.
    SuicidePrevention(SuicidePrevention) = "suicide_prevention", Involvement::One;
    /// Exercise, eating, self-care, substance cessation, practical issues.
    Wellbeing(Wellbeing) = "wellbeing", Involvement::AtLeastOne;
    /// Assisting with a ward review.
    WardReviewSupport(WardReviewSupport) = "ward_review_support", Involvement::AtLeastOne;
    /// Assisting with discharge planning.
    DischargeSupport(DischargeSupport) = "discharge_support", Involvement::AtLeastOne;
    /// An awareness session, e.g. LGBTQ+ awareness.
    Awareness(Awareness) = "awareness", Involvement::Any;
    /// Supporting stressed or overwhelmed staff; nobody is named.
    StaffSupport(StaffSupport) = "staff_support", Involvement::None;
}

/// Incident references in the trust's incident system: letters, digits, `-`.
fn check_reference(errors: &mut Errors, field: &str, value: Option<&str>) {
    if let Some(v) = value {
        let ok = (1..=64).contains(&v.len())
            && v.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'/');
        if !ok {
            errors.add(field, "invalid", "1 to 64 letters, digits, '-' or '/'");
        }
    }
}

/// A list drawn from a vocabulary: at least one, at most `max`, no repeats.
fn check_choices<T: PartialEq>(errors: &mut Errors, field: &str, values: &[T], max: usize) {
    if values.is_empty() {
        errors.add(field, "required", "choose at least one");
    } else if values.len() > max {
        errors.add(field, "too_many", format!("at most {max}"));
    }
    for (i, v) in values.iter().enumerate() {
        if values[..i].contains(v) {
            errors.add(format!("{field}[{i}]"), "duplicate", "listed twice");
        }
    }
}

/// A time inside the activity's record: not in the future, not before it began.
fn check_instant(errors: &mut Errors, field: &str, at: DateTime<Utc>, span: &Span) {
    if at > span.latest {
        errors.add(field, "in_future", "cannot be in the future");
    } else if at < span.started_at {
        errors.add(field, "before_start", "cannot be before `started_at`");
    }
}

impl ActivityDetails {
    /// The kind's own rules; errors are named `details.<field>`.
    pub fn check(&self, span: &Span, errors: &mut Errors) {
        let mut own = Errors::new();
        self.rules().check(span, &mut own);
        errors.extend_prefixed("details", own);
    }

    /// The typed report columns for these details.
    pub fn report_columns(&self, span: &Span) -> ReportColumns {
        self.rules().report_columns(span)
    }
}
