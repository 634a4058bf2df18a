//! Sessions for many: peer groups and awareness sessions.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{KindRules, ReportColumns, Span};
use crate::validate::Errors;

crate::text_enum! {
    /// What a group did.
    pub enum GroupActivity {
        ClothesSwap = "clothes_swap",
        CoffeeAndChat = "coffee_and_chat",
        Music = "music",
        Dance = "dance",
        Art = "art",
        Walking = "walking",
        Football = "football",
        TableTennis = "table_tennis",
        Cooking = "cooking",
        Gardening = "gardening",
        Other = "other",
    }
}

crate::text_enum! {
    /// NHS data definitions: a group session records attendance as a count;
    /// group therapy records each attendee.
    pub enum GroupFormat {
        GroupSession = "group_session",
        GroupTherapy = "group_therapy",
    }
}

/// `group_session` details. Named attendees are the activity's
/// `service_user_ids`; others are counted in `unnamed_attendees`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GroupSession {
    pub activity: GroupActivity,
    pub format: GroupFormat,
    /// Attendees not recorded individually (0 for group therapy).
    #[schema(minimum = 0, maximum = 500)]
    pub unnamed_attendees: i32,
}

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

crate::text_enum! {
    /// What an awareness session was about.
    pub enum AwarenessTopic {
        LgbtqPlus = "lgbtq_plus",
        Stigma = "stigma",
        Cultural = "cultural",
        Neurodiversity = "neurodiversity",
        Other = "other",
    }
}

crate::text_enum! {
    /// Who an awareness session was for.
    pub enum Audience {
        ServiceUsers = "service_users",
        Staff = "staff",
        Mixed = "mixed",
    }
}

/// `awareness` details.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Awareness {
    pub topic: AwarenessTopic,
    pub audience: Audience,
    /// How many attended, named or not.
    #[schema(minimum = 0, maximum = 500)]
    pub attendees: i32,
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
