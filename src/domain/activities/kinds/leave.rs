//! What the leave kinds check beyond their shape; their types
//! and vocabularies are in `models/activity/kinds/leave.rs`.

use super::{check_instant, check_reference, KindRules, Span};
use crate::models::activity::kinds::*;
use crate::validate::Errors;

impl KindRules for EscortedLeave {
    fn check(&self, span: &Span, e: &mut Errors) {
        e.text("authorised_by", &self.authorised_by, 1, 200);
        check_instant(e, "departed_at", self.departed_at, span);
        // The leave is what the activity was: it happens within it, so the
        // hours off the ward reports sum can never exceed the activity.
        if self.departed_at >= span.ended_at {
            e.add("departed_at", "after_end", "must be before `ended_at`");
        }
        match self.returned_at {
            Some(back) if back <= self.departed_at => e.add(
                "returned_at",
                "before_departure",
                "must be after `departed_at`",
            ),
            Some(back) if back > span.ended_at => e.add(
                "returned_at",
                "after_end",
                "cannot be after the activity's `ended_at`",
            ),
            Some(back) if back > span.latest => {
                e.add("returned_at", "in_future", "cannot be in the future")
            }
            None if self.returned_as_planned => e.add(
                "returned_at",
                "required",
                "required when the person returned as planned",
            ),
            _ => {}
        }
        if self.incident_reference.is_some() && !self.incident {
            e.add(
                "incident_reference",
                "not_allowed",
                "only when `incident` is true",
            );
        }
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
