//! What the leave kinds check beyond their shape; their types
//! and vocabularies are in `models/activity/kinds/leave.rs`.

use super::{check_reference, KindRules, Span};
use crate::domain::activities::rules::dsl::*;
use crate::models::activity::kinds::*;
use crate::validate::Errors;

/// Escorted leave's cross-field rules. The leave is what the activity
/// was: it happens within it, so the hours off the ward reports sum can
/// never exceed the activity.
pub const RULES: &[Rule] = &[
    Rule {
        field: "details.departed_at",
        code: "in_future",
        message: "cannot be in the future",
        when: &[cmp(at("details.departed_at"), Greater, LATEST)],
        breaks: r#"{"ended_at": "2026-03-02T12:04:00Z", "details": {"departed_at": "2026-03-02T12:30:00Z", "returned_at": null, "returned_as_planned": false}}"#,
    },
    Rule {
        field: "details.departed_at",
        code: "before_start",
        message: "cannot be before `started_at`",
        when: &[cmp(at("details.departed_at"), Less, at("started_at"))],
        breaks: r#"{"details": {"departed_at": "2026-03-02T09:50:00Z"}}"#,
    },
    Rule {
        field: "details.departed_at",
        code: "after_end",
        message: "must be before `ended_at`",
        when: &[cmp(
            at("details.departed_at"),
            GreaterOrEqual,
            at("ended_at"),
        )],
        breaks: r#"{"details": {"departed_at": "2026-03-02T11:00:00Z", "returned_at": null, "returned_as_planned": false}}"#,
    },
    Rule {
        field: "details.returned_at",
        code: "before_departure",
        message: "must be after `departed_at`",
        when: &[cmp(
            at("details.returned_at"),
            LessOrEqual,
            at("details.departed_at"),
        )],
        breaks: r#"{"details": {"departed_at": "2026-03-02T10:30:00Z", "returned_at": "2026-03-02T10:20:00Z"}}"#,
    },
    Rule {
        field: "details.returned_at",
        code: "after_end",
        message: "cannot be after the activity's `ended_at`",
        when: &[cmp(at("details.returned_at"), Greater, at("ended_at"))],
        breaks: r#"{"details": {"returned_at": "2026-03-02T11:30:00Z"}}"#,
    },
    Rule {
        field: "details.returned_at",
        code: "in_future",
        message: "cannot be in the future",
        when: &[cmp(at("details.returned_at"), Greater, LATEST)],
        breaks: r#"{"ended_at": "2026-03-02T12:30:00Z", "details": {"returned_at": "2026-03-02T12:20:00Z"}}"#,
    },
    Rule {
        field: "details.returned_at",
        code: "required",
        message: "required when the person returned as planned",
        when: &[
            is("details.returned_as_planned", YES),
            missing("details.returned_at"),
        ],
        breaks: r#"{"details": {"returned_at": null, "returned_as_planned": true}}"#,
    },
    Rule {
        field: "details.incident_reference",
        code: "not_allowed",
        message: "only when `incident` is true",
        when: &[
            present("details.incident_reference"),
            is("details.incident", NO),
        ],
        breaks: r#"{"details": {"incident": false, "incident_reference": "INC-123"}}"#,
    },
];

/// Escorted leave that keeps its rules: out for the whole activity.
pub const EXAMPLE: &str = r#"{"authorisation": "section_17", "authorised_by": "Dr Patel (RC)",
    "destination": "cafe", "departed_at": "2026-03-02T10:00:00Z",
    "returned_at": "2026-03-02T11:00:00Z", "returned_as_planned": true, "incident": false}"#;

impl KindRules for EscortedLeave {
    fn check(&self, _: &Span, e: &mut Errors) {
        e.text("authorised_by", &self.authorised_by, 1, 200);
        check_reference(e, "incident_reference", self.incident_reference.as_deref());
    }

    fn report_columns(&self, _: &Span) -> ReportColumns {
        ReportColumns {
            returned_as_planned: Some(self.returned_as_planned),
            leave_minutes: self
                .returned_at
                .map(|back| (back - self.departed_at).num_minutes().max(0) as i32),
            ..Default::default()
        }
    }
}
