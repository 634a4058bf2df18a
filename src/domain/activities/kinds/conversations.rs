//! What the conversations kinds check beyond their shape; their types
//! and vocabularies are in `models/activity/kinds/conversations.rs`.

use super::{check_choices, check_instant, KindRules, Span};
use crate::models::activity::kinds::*;
use crate::validate::Errors;

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
    fn check(&self, span: &Span, e: &mut Errors) {
        match self.escalated_to.as_deref() {
            Some(who) => e.text("escalated_to", who, 1, 200),
            None => e.add(
                "escalated_to",
                "required",
                "record who on the ward this was escalated to",
            ),
        }
        match self.escalated_at {
            Some(at) => check_instant(e, "escalated_at", at, span),
            None => e.add("escalated_at", "required", "record when it was escalated"),
        }
    }
}
