//! What the groups kinds check beyond their shape; their types
//! and vocabularies are in `models/activity/kinds/groups.rs`.

use super::{KindRules, Span};
use crate::models::activity::kinds::*;
use crate::validate::Errors;

impl KindRules for GroupSession {
    fn check(&self, span: &Span, e: &mut Errors) {
        if !(0..=500).contains(&self.unnamed_attendees) {
            e.add("unnamed_attendees", "out_of_range", "must be 0 to 500");
        }
        if self.format == GroupFormat::GroupTherapy {
            if self.unnamed_attendees > 0 {
                e.add(
                    "unnamed_attendees",
                    "not_allowed",
                    "group therapy records each attendee by name",
                );
            }
            if span.named == 0 {
                e.add(
                    "format",
                    "attendees_required",
                    "group therapy needs its attendees in `service_user_ids`",
                );
            }
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
    fn check(&self, span: &Span, e: &mut Errors) {
        if !(0..=500).contains(&self.attendees) {
            e.add("attendees", "out_of_range", "must be 0 to 500");
        } else if (self.attendees as usize) < span.named {
            e.add(
                "attendees",
                "too_few",
                "cannot be fewer than the service users named",
            );
        }
    }
}
