//! Escorted leave: taking someone off the ward when staff are too busy,
//! on the leave's authority, to a category of destination.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

crate::text_enum! {
    /// On what authority a service user left the ward.
    pub enum LeaveAuthorisation {
        /// Mental Health Act section 17 leave.
        Section17 = "section_17",
        /// An informal (voluntary) patient's agreed leave.
        Informal = "informal",
        Other = "other",
    }
}

crate::text_enum! {
    /// Where escorted leave went, as a category (never an address).
    pub enum DestinationCategory {
        HospitalGrounds = "hospital_grounds",
        LocalCommunity = "local_community",
        Shops = "shops",
        ParkOrOutdoors = "park_or_outdoors",
        Cafe = "cafe",
        HomeVisit = "home_visit",
        Appointment = "appointment",
        Other = "other",
    }
}

/// `escorted_leave` details.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EscortedLeave {
    pub authorisation: LeaveAuthorisation,
    /// Who authorised the leave (name or role), e.g. "Dr Patel (RC)".
    #[schema(min_length = 1, max_length = 200)]
    pub authorised_by: String,
    pub destination: DestinationCategory,
    #[serde(serialize_with = "crate::rfc3339::serialize")]
    pub departed_at: DateTime<Utc>,
    /// Absent only when the person did not return with the worker.
    #[serde(serialize_with = "crate::rfc3339::serialize_option")]
    pub returned_at: Option<DateTime<Utc>>,
    pub returned_as_planned: bool,
    /// Whether an incident happened during the leave.
    pub incident: bool,
    /// The incident's reference in the trust's incident system.
    #[schema(max_length = 64)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub incident_reference: Option<String>,
    /// Whether the leave would have been cancelled without a peer support
    /// worker to escort (the impact report counts this as leave enabled).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub would_have_been_cancelled: Option<bool>,
}
