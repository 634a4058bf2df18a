//! The rules of the twelve activity kinds beyond their shape: how many
//! service users each names, what each checks in its `details`, and the
//! report columns each fills. The kinds' types and vocabularies are the
//! stored record's (`crate::models::activity::kinds`); the rules that
//! decide whether a record may be written are here, beside
//! [`super::check`], which calls them.

mod advocacy;
mod conversations;
mod de_escalation;
mod groups;
mod leave;
mod wellbeing;

use chrono::{DateTime, Utc};

use super::rules::{KindRuleSet, Rule};
use crate::models::activity::kinds::{ActivityDetails, ActivityKind, ReportColumns};
use crate::validate::Errors;

/// Each kind's cross-field rules and a record of it that keeps them, in
/// the kinds' order. A kind whose fields relate to nothing has none.
pub const KIND_RULES: &[KindRuleSet] = &[
    set(ActivityKind::EscortedLeave, leave::RULES, leave::EXAMPLE, 1),
    set(
        ActivityKind::OneToOne,
        &[],
        conversations::ONE_TO_ONE_EXAMPLE,
        1,
    ),
    set(ActivityKind::Advocacy, &[], advocacy::ADVOCACY_EXAMPLE, 1),
    set(
        ActivityKind::GroupSession,
        groups::GROUP_RULES,
        groups::GROUP_EXAMPLE,
        2,
    ),
    set(
        ActivityKind::DeEscalation,
        de_escalation::RULES,
        de_escalation::EXAMPLE,
        1,
    ),
    set(
        ActivityKind::CrisisSupport,
        &[],
        conversations::CRISIS_EXAMPLE,
        1,
    ),
    set(
        ActivityKind::SuicidePrevention,
        conversations::SUICIDE_RULES,
        conversations::SUICIDE_EXAMPLE,
        1,
    ),
    set(
        ActivityKind::Wellbeing,
        &[],
        wellbeing::WELLBEING_EXAMPLE,
        1,
    ),
    set(
        ActivityKind::WardReviewSupport,
        &[],
        advocacy::REVIEW_EXAMPLE,
        1,
    ),
    set(
        ActivityKind::DischargeSupport,
        &[],
        advocacy::DISCHARGE_EXAMPLE,
        1,
    ),
    set(
        ActivityKind::Awareness,
        groups::AWARENESS_RULES,
        groups::AWARENESS_EXAMPLE,
        3,
    ),
    set(ActivityKind::StaffSupport, &[], wellbeing::STAFF_EXAMPLE, 0),
];

const fn set(
    kind: ActivityKind,
    rules: &'static [Rule],
    example: &'static str,
    example_people: usize,
) -> KindRuleSet {
    KindRuleSet {
        kind,
        rules,
        example,
        example_people,
    }
}

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

impl ActivityKind {
    /// How many service users an activity of this kind names.
    pub fn involvement(self) -> Involvement {
        match self {
            ActivityKind::EscortedLeave => Involvement::AtLeastOne,
            ActivityKind::OneToOne => Involvement::One,
            ActivityKind::Advocacy => Involvement::AtLeastOne,
            ActivityKind::GroupSession => Involvement::Any,
            ActivityKind::DeEscalation => Involvement::AtLeastOne,
            ActivityKind::CrisisSupport => Involvement::AtLeastOne,
            ActivityKind::SuicidePrevention => Involvement::One,
            ActivityKind::Wellbeing => Involvement::AtLeastOne,
            ActivityKind::WardReviewSupport => Involvement::AtLeastOne,
            ActivityKind::DischargeSupport => Involvement::AtLeastOne,
            ActivityKind::Awareness => Involvement::Any,
            ActivityKind::StaffSupport => Involvement::None,
        }
    }
}

/// What each details type checks of its own fields that its schema
/// cannot state; rules relating fields are declared in [`KIND_RULES`].
trait KindRules {
    /// Adds errors with paths relative to `details`.
    fn check(&self, span: &Span, errors: &mut Errors);
    fn report_columns(&self, _span: &Span) -> ReportColumns {
        ReportColumns::default()
    }
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

impl ActivityDetails {
    /// The kind's own rules; errors are named `details.<field>`.
    pub fn check(&self, span: &Span, errors: &mut Errors) {
        let mut own = Errors::new();
        rules(self).check(span, &mut own);
        errors.extend_prefixed("details", own);
    }

    /// The typed report columns for these details.
    pub fn report_columns(&self, span: &Span) -> ReportColumns {
        rules(self).report_columns(span)
    }
}

/// The rules of these details' kind.
fn rules(details: &ActivityDetails) -> &dyn KindRules {
    match details {
        ActivityDetails::EscortedLeave(d) => d,
        ActivityDetails::OneToOne(d) => d,
        ActivityDetails::Advocacy(d) => d,
        ActivityDetails::GroupSession(d) => d,
        ActivityDetails::DeEscalation(d) => d,
        ActivityDetails::CrisisSupport(d) => d,
        ActivityDetails::SuicidePrevention(d) => d,
        ActivityDetails::Wellbeing(d) => d,
        ActivityDetails::WardReviewSupport(d) => d,
        ActivityDetails::DischargeSupport(d) => d,
        ActivityDetails::Awareness(d) => d,
        ActivityDetails::StaffSupport(d) => d,
    }
}
