//! What the wellbeing kinds check beyond their shape; their types
//! and vocabularies are in `models/activity/kinds/wellbeing.rs`.

use super::{check_choices, KindRules, Span};
use crate::models::activity::kinds::*;
use crate::validate::Errors;

impl KindRules for Wellbeing {
    fn check(&self, _: &Span, e: &mut Errors) {
        check_choices(e, "focus", &self.focus, 7);
    }
}

impl KindRules for StaffSupport {
    fn check(&self, _: &Span, e: &mut Errors) {
        if !(1..=50).contains(&self.staff_count) {
            e.add("staff_count", "out_of_range", "must be 1 to 50");
        }
    }
}

/// A wellbeing activity that keeps its rules.
pub const WELLBEING_EXAMPLE: &str = r#"{"focus": ["physical_exercise"]}"#;

/// A staff support that keeps its rules.
pub const STAFF_EXAMPLE: &str = r#"{"reason": "stress", "staff_count": 2}"#;
