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

/// An advocacy that keeps its rules.
pub const ADVOCACY_EXAMPLE: &str =
    r#"{"setting": "ward_review", "mode": "advocating", "outcome": "views_heard"}"#;

/// A ward review support that keeps its rules.
pub const REVIEW_EXAMPLE: &str =
    r#"{"support": ["preparing_questions"], "home_leave_recommended": false}"#;

/// A discharge support that keeps its rules.
pub const DISCHARGE_EXAMPLE: &str = r#"{"focus": ["housing"], "home_leave_recommended": false}"#;
