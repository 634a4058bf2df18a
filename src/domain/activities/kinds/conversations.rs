//! What the conversations kinds check beyond their shape; their types
//! and vocabularies are in `models/activity/kinds/conversations.rs`.

use super::{check_choices, KindRules, Span};
use crate::domain::activities::rules::dsl::*;
use crate::models::activity::kinds::*;
use crate::validate::Errors;

/// A one-to-one that keeps its rules.
pub const ONE_TO_ONE_EXAMPLE: &str = r#"{"topics": ["listening"]}"#;

/// A crisis support that keeps its rules.
pub const CRISIS_EXAMPLE: &str =
    r#"{"presentation": "panic_attack", "approaches": ["breathing"], "staff_informed": true}"#;

/// A suicide-prevention conversation must record its escalation: to whom
/// and when, within the activity.
pub const SUICIDE_RULES: &[Rule] = &[
    Rule {
        field: "details.escalated_to",
        code: "required",
        message: "record who on the ward this was escalated to",
        when: &[missing("details.escalated_to")],
        breaks: r#"{"details": {"escalated_to": null}}"#,
    },
    Rule {
        field: "details.escalated_at",
        code: "required",
        message: "record when it was escalated",
        when: &[missing("details.escalated_at")],
        breaks: r#"{"details": {"escalated_at": null}}"#,
    },
    Rule {
        field: "details.escalated_at",
        code: "in_future",
        message: "cannot be in the future",
        when: &[cmp(at("details.escalated_at"), Greater, LATEST)],
        breaks: r#"{"details": {"escalated_at": "2026-03-02T12:30:00Z"}}"#,
    },
    Rule {
        field: "details.escalated_at",
        code: "before_start",
        message: "cannot be before `started_at`",
        when: &[cmp(at("details.escalated_at"), Less, at("started_at"))],
        breaks: r#"{"details": {"escalated_at": "2026-03-02T09:30:00Z"}}"#,
    },
];

/// A suicide-prevention conversation that keeps its rules.
pub const SUICIDE_EXAMPLE: &str = r#"{"escalated_to": "Charge nurse J. Okafor",
    "escalated_at": "2026-03-02T10:40:00Z", "safety_plan_discussed": true}"#;

impl KindRules for OneToOne {
    fn check(&self, _: &Span, e: &mut Errors) {
        check_choices(e, "topics", &self.topics, 10);
    }
}

impl KindRules for CrisisSupport {
    fn check(&self, _: &Span, e: &mut Errors) {
        check_choices(e, "approaches", &self.approaches, 5);
    }
}

impl KindRules for SuicidePrevention {
    fn check(&self, _: &Span, e: &mut Errors) {
        if let Some(who) = self.escalated_to.as_deref() {
            e.text("escalated_to", who, 1, 200);
        }
    }
}
