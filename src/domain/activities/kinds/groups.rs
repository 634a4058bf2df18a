//! What the groups kinds check beyond their shape; their types
//! and vocabularies are in `models/activity/kinds/groups.rs`.

use super::{KindRules, Span};
use crate::domain::activities::rules::dsl::*;
use crate::models::activity::kinds::*;
use crate::validate::Errors;

/// A group session's cross-field rules: group therapy names everyone.
pub const GROUP_RULES: &[Rule] = &[
    Rule {
        field: "details.unnamed_attendees",
        code: "not_allowed",
        message: "group therapy records each attendee by name",
        when: &[
            is("details.format", code("group_therapy")),
            cmp(at("details.unnamed_attendees"), Greater, number(0)),
        ],
        breaks: r#"{"details": {"format": "group_therapy", "unnamed_attendees": 3}}"#,
    },
    Rule {
        field: "details.format",
        code: "attendees_required",
        message: "group therapy needs its attendees in `service_user_ids`",
        when: &[
            is("details.format", code("group_therapy")),
            cmp(count("service_user_ids"), Less, number(1)),
        ],
        breaks: r#"{"service_user_ids": [], "details": {"format": "group_therapy", "unnamed_attendees": 0}}"#,
    },
];

/// A group session that keeps its rules.
pub const GROUP_EXAMPLE: &str =
    r#"{"activity": "art", "format": "group_session", "unnamed_attendees": 2}"#;

/// An awareness session's cross-field rule.
pub const AWARENESS_RULES: &[Rule] = &[Rule {
    field: "details.attendees",
    code: "too_few",
    message: "cannot be fewer than the service users named",
    when: &[cmp(
        at("details.attendees"),
        Less,
        count("service_user_ids"),
    )],
    breaks: r#"{"details": {"attendees": 1}}"#,
}];

/// An awareness session that keeps its rule.
pub const AWARENESS_EXAMPLE: &str = r#"{"topic": "stigma", "audience": "mixed", "attendees": 12}"#;

impl KindRules for GroupSession {
    fn check(&self, _: &Span, e: &mut Errors) {
        if !(0..=500).contains(&self.unnamed_attendees) {
            e.add("unnamed_attendees", "out_of_range", "must be 0 to 500");
        }
    }

    fn report_columns(&self, span: &Span) -> ReportColumns {
        ReportColumns {
            attendees_named: Some(span.named as i32),
            attendees_unnamed: Some(self.unnamed_attendees.max(0)),
            ..Default::default()
        }
    }
}

impl KindRules for Awareness {
    fn check(&self, _: &Span, e: &mut Errors) {
        if !(0..=500).contains(&self.attendees) {
            e.add("attendees", "out_of_range", "must be 0 to 500");
        }
    }
}
