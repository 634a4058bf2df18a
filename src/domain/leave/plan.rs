//! Planning a leave: a worker on the ward names the person, when they mean
//! to go, for how long, where and on what authority. The plan waits for a
//! nurse ([`super::transitions::authorise`]).

use chrono::{DateTime, Duration, Utc};
use diesel_async::{AsyncConnection, AsyncPgConnection};
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::{audit_write, may_escort, named};
use crate::access::Actor;
use crate::domain::activities::check::CLOCK_SKEW_MINUTES;
use crate::domain::{DomainError, DomainResult};
use crate::models::activity::kinds::{DestinationCategory, LeaveAuthorisation};
use crate::models::activity::refs;
use crate::models::leave::{self, Leave, NewLeaveRow};
use crate::models::service_user;
use crate::validate::Errors;

/// The shortest and longest leave a plan may expect, in minutes.
pub const EXPECTED_MINUTES: std::ops::RangeInclusive<i32> = 5..=1440;
/// The longest purpose, in characters.
pub const PURPOSE_MAX: usize = 200;
/// How far ahead a leave may be planned, in days.
pub const PLAN_AHEAD_DAYS: i64 = 7;

/// A leave to plan.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanLeave {
    /// Chosen by the client so that a retried plan is recognised and never
    /// stored twice; the server chooses one when absent.
    pub id: Option<Uuid>,
    pub ward_id: Uuid,
    /// The person going on leave; on the ward.
    pub service_user_id: Uuid,
    /// When they mean to leave; default now. At most 7 days ahead, and not
    /// more than a day ago.
    pub planned_out_at: Option<DateTime<Utc>>,
    /// How long the leave is expected to last, 5 to 1440 minutes.
    #[schema(minimum = 5, maximum = 1440)]
    pub expected_minutes: i32,
    pub authorisation: LeaveAuthorisation,
    pub destination: DestinationCategory,
    /// What the leave is for, in a few words (no address), e.g. "buy
    /// toiletries"; kept as the activity's note on return.
    #[schema(max_length = 200)]
    pub purpose: Option<String>,
}

/// What a plan did.
#[derive(Debug)]
pub enum Planned {
    /// A new plan (201).
    New(Leave),
    /// The same plan was already stored under its id (200).
    AlreadyPresent(Leave),
}

/// Plans a leave (peer workers and team leaders on the ward), or answers
/// the stored plan for a retried one.
pub async fn plan(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    body: PlanLeave,
) -> DomainResult<Planned> {
    let now = Utc::now();
    let id = body.id.unwrap_or_else(Uuid::now_v7);
    let purpose = body
        .purpose
        .as_deref()
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_string);
    let planned_out_at = body.planned_out_at.unwrap_or(now);
    let mut errors = Errors::new();
    if !EXPECTED_MINUTES.contains(&body.expected_minutes) {
        errors.add(
            "expected_minutes",
            "out_of_range",
            "must be 5 to 1440 minutes",
        );
    }
    if let Some(p) = &purpose {
        errors.text("purpose", p, 1, PURPOSE_MAX);
    }
    if planned_out_at > now + Duration::days(PLAN_AHEAD_DAYS) {
        errors.add(
            "planned_out_at",
            "too_far_ahead",
            format!("cannot be more than {PLAN_AHEAD_DAYS} days ahead"),
        );
    } else if planned_out_at < now - Duration::days(1) {
        errors.add(
            "planned_out_at",
            "too_old",
            "cannot be more than a day ago; record a past leave as an activity instead",
        );
    }
    match refs::ward_active(conn, body.ward_id).await? {
        Some(active) if actor.ward_ids.contains(&body.ward_id) => {
            if !active {
                errors.add("ward_id", "inactive", "the ward takes no new records");
            }
        }
        _ => errors.add("ward_id", "not_found", "no such ward among your wards"),
    }
    let person = service_user::by_ids(conn, &[body.service_user_id]).await?;
    match person.first() {
        None => errors.add("service_user_id", "not_found", "no such service user"),
        Some(s) if s.ward_id != body.ward_id => {
            errors.add("service_user_id", "not_on_ward", "not on this ward")
        }
        Some(s) if s.discharged_on.is_some() => {
            errors.add("service_user_id", "discharged", "discharged from the ward")
        }
        _ => {}
    }
    errors.finish()?;
    if !may_escort(actor, body.ward_id) {
        return Err(DomainError::Forbidden);
    }
    let actor = actor.clone();
    conn.transaction::<_, DomainError, _>(async move |conn| {
        let row = NewLeaveRow {
            id,
            ward_id: body.ward_id,
            service_user_id: body.service_user_id,
            planned_by: actor.id,
            authorisation: body.authorisation,
            destination: body.destination,
            purpose: purpose.as_deref(),
            planned_out_at,
            expected_minutes: body.expected_minutes,
        };
        if leave::insert(conn, &row).await? == 0 {
            // A retry (or a concurrent one that committed first): the same
            // plan by the same worker is answered as stored.
            let stored = leave::find(conn, id)
                .await?
                .ok_or_else(|| DomainError::internal("conflicting leave vanished"))?;
            let same = stored.planned_by == actor.id
                && stored.ward_id == row.ward_id
                && stored.service_user_id == row.service_user_id
                && stored.authorisation == row.authorisation
                && stored.destination == row.destination
                && stored.expected_minutes == row.expected_minutes
                && stored.purpose.as_deref() == row.purpose
                && (body.planned_out_at.is_none()
                    || body.planned_out_at == Some(stored.planned_out_at));
            if same {
                return Ok(Planned::AlreadyPresent(named(conn, stored).await?));
            }
            return Err(DomainError::Conflict {
                code: "id_conflict",
                detail: format!("Another leave is already stored with id {id}."),
                current: None,
            });
        }
        let stored = leave::find(conn, id)
            .await?
            .ok_or_else(|| DomainError::internal("new leave vanished"))?;
        audit_write(conn, &actor, "leave_plan", &stored).await?;
        Ok(Planned::New(named(conn, stored).await?))
    })
    .await
}

/// How far ahead of the server's clock a tablet's times may be.
pub(super) fn latest(now: DateTime<Utc>) -> DateTime<Utc> {
    now + Duration::minutes(CLOCK_SKEW_MINUTES)
}
