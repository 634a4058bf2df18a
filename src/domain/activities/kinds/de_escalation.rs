//! What the de escalation kinds check beyond their shape; their types
//! and vocabularies are in `models/activity/kinds/de_escalation.rs`.

use super::{check_choices, check_reference, KindRules, Span};
use crate::domain::activities::rules::dsl::*;
use crate::models::activity::kinds::*;
use crate::validate::Errors;

/// De-escalation's cross-field rules.
pub const RULES: &[Rule] = &[Rule {
    field: "details.restraint_avoided",
    code: "inconsistent",
    message: "cannot be true when the outcome is `restraint_used`",
    when: &[
        is("details.outcome", code("restraint_used")),
        is("details.restraint_avoided", YES),
    ],
    breaks: r#"{"details": {"outcome": "restraint_used", "restraint_avoided": true}}"#,
}];

/// A de-escalation that keeps its rules.
pub const EXAMPLE: &str = r#"{"situation": "toward_staff", "approaches": ["verbal_calming"],
    "restraint_avoided": true, "staff_called": false, "outcome": "resolved"}"#;

impl KindRules for DeEscalation {
    fn check(&self, _: &Span, e: &mut Errors) {
        check_choices(e, "approaches", &self.approaches, 7);
        check_reference(e, "incident_reference", self.incident_reference.as_deref());
    }

    fn report_columns(&self, _: &Span) -> ReportColumns {
        ReportColumns {
            restraint_avoided: Some(self.restraint_avoided),
            staff_called: Some(self.staff_called),
            ..Default::default()
        }
    }
}
