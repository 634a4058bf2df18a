//! What the de escalation kinds check beyond their shape; their types
//! and vocabularies are in `models/activity/kinds/de_escalation.rs`.

use super::{check_choices, check_reference, KindRules, Span};
use crate::models::activity::kinds::*;
use crate::validate::Errors;

impl KindRules for DeEscalation {
    fn check(&self, _: &Span, e: &mut Errors) {
        check_choices(e, "approaches", &self.approaches, 7);
        if self.outcome == DeEscalationOutcome::RestraintUsed && self.restraint_avoided {
            e.add(
                "restraint_avoided",
                "inconsistent",
                "cannot be true when the outcome is `restraint_used`",
            );
        }
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
