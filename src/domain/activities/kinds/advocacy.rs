//! What the advocacy kinds check beyond their shape; their types
//! and vocabularies are in `models/activity/kinds/advocacy.rs`.

use super::{check_choices, KindRules, Span};
use crate::models::activity::kinds::*;
use crate::validate::Errors;

impl KindRules for Advocacy {
    fn check(&self, _: &Span, _: &mut Errors) {}
}

impl KindRules for WardReviewSupport {
    fn check(&self, _: &Span, e: &mut Errors) {
        check_choices(e, "support", &self.support, 4);
    }
}

impl KindRules for DischargeSupport {
    fn check(&self, _: &Span, e: &mut Errors) {
        check_choices(e, "focus", &self.focus, 7);
    }
}
