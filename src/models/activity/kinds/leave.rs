//! Escorted leave: taking someone off the ward when staff are too busy,
//! on the leave's authority, to a category of destination.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{check_instant, check_reference, KindRules, ReportColumns, Span};
use crate::validate::Errors;

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
