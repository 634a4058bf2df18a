//! Sessions for many: peer groups and awareness sessions.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

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
