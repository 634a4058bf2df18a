//! The moves of a planned leave: a nurse authorises it, a worker records
//! leaving and coming back, either cancels it before anyone leaves. Each
//! is one transaction on the locked row: scope, role, version, state,
//! then the change and its audit row.

use chrono::{DateTime, Duration, SubsecRound, Utc};
use diesel_async::{AsyncConnection, AsyncPgConnection};
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::plan::latest;
use super::{audit_write, may_authorise, may_escort, named};
use crate::access::Actor;
use crate::domain::activities::check::DURATION_MAX;
use crate::domain::activities::create::{self, AuthorisedBy, Created};
use crate::domain::activities::NewActivity;
use crate::domain::{DomainError, DomainResult};
use crate::models::activity::kinds::EscortedLeave;
use crate::models::activity::ActivityDetails;
use crate::models::leave::{self, Leave, LeaveRow, LeaveState};
use crate::validate::Errors;

/// Recording that the person has left the ward with the worker.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DepartLeave {
    /// When they left; default now. Not in the future, nor more than a day
    /// ago.
    pub departed_at: Option<DateTime<Utc>>,
}

/// Recording that the person is back on the ward.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReturnLeave {
    /// When they got back; default now. After leaving, not in the future,
    /// and at most 1440 minutes after leaving.
    pub returned_at: Option<DateTime<Utc>>,
    /// Whether the leave went as planned; default true.
    pub returned_as_planned: Option<bool>,
    /// Whether an incident happened; default false.
    pub incident: Option<bool>,
    /// The incident's reference in the trust's incident system; only with
    /// `incident: true`.
    #[schema(max_length = 64)]
    pub incident_reference: Option<String>,
    /// Anything else to keep with the record (added to the plan's purpose
    /// in the activity's note).
    #[schema(max_length = 1500)]
    pub note: Option<String>,
    /// Whether the leave would have been cancelled without a peer worker
    /// to escort.
    pub would_have_been_cancelled: Option<bool>,
}

/// Cancelling a leave before anyone leaves.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CancelLeave {
    /// Why, 1 to 1000 characters (e.g. "not well enough today").
    #[schema(min_length = 1, max_length = 1000)]
    pub reason: String,
}

/// The longest return note, in characters.
pub const RETURN_NOTE_MAX: usize = 1500;

/// A move this leave's state does not allow.
fn invalid_transition(current: &Leave, to: &str) -> DomainError {
    let why = match current.row.state {
        LeaveState::Planned => "it is waiting for a nurse to authorise it",
        LeaveState::Authorised => "it is authorised and nobody has left yet",
        LeaveState::Out => "the person is out on it",
        LeaveState::Returned => "the person is back and the leave is recorded",
        LeaveState::Cancelled => "it was cancelled",
    };
    DomainError::Conflict {
        code: "invalid_transition",
        detail: format!(
            "This leave cannot be {to}: {why} (state `{}`).",
            current.row.state
        ),
        current: Some(current.to_json()),
    }
}

/// Who may make a move, given the leave's row.
#[derive(Debug, Clone, Copy)]
enum Who {
    Authoriser,
    Escort,
    EitherSide,
}

/// The locked leave, if the actor may see it, act on it in their role,
/// and has read its current version.
async fn lock_for(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    id: Uuid,
    if_match: Option<&str>,
    who: Who,
) -> DomainResult<(LeaveRow, Leave)> {
    let row = leave::lock(conn, id)
        .await?
        .filter(|r| actor.ward_scope().contains(r.ward_id))
        .ok_or(DomainError::NotFound)?;
    let allowed = match who {
        Who::Authoriser => may_authorise(actor, row.ward_id),
        Who::Escort => may_escort(actor, row.ward_id),
        Who::EitherSide => may_authorise(actor, row.ward_id) || may_escort(actor, row.ward_id),
    };
    if !allowed {
        return Err(DomainError::Forbidden);
    }
    let current = named(conn, row.clone()).await?;
    if let Some(tag) = if_match {
        if row.etag() != tag.trim().trim_start_matches("W/") {
            return Err(DomainError::PreconditionFailed {
                current: current.to_json(),
            });
        }
    }
    Ok((row, current))
}

/// Reads the row back after a change, audits it, and answers it named.
async fn changed(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    action: &str,
    id: Uuid,
) -> DomainResult<Leave> {
    let row = leave::find(conn, id)
        .await?
        .ok_or_else(|| DomainError::internal("leave vanished"))?;
    audit_write(conn, actor, action, &row).await?;
    named(conn, row).await
}

/// A nurse on the ward authorises a planned leave (never their own plan).
pub async fn authorise(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    id: Uuid,
    if_match: Option<&str>,
) -> DomainResult<Leave> {
    let actor = actor.clone();
    let if_match = if_match.map(str::to_string);
    conn.transaction::<_, DomainError, _>(async move |conn| {
        let (row, current) =
            lock_for(conn, &actor, id, if_match.as_deref(), Who::Authoriser).await?;
        if row.planned_by == actor.id {
            return Err(DomainError::Forbidden);
        }
        if row.state != LeaveState::Planned {
            return Err(invalid_transition(&current, "authorised"));
        }
        leave::authorise(conn, id, actor.id, row.version + 1).await?;
        changed(conn, &actor, "leave_authorise", id).await
    })
    .await
}

/// A worker on the ward records that the person has left with them.
pub async fn depart(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    id: Uuid,
    if_match: Option<&str>,
    body: DepartLeave,
) -> DomainResult<Leave> {
    let now = Utc::now();
    // Microseconds, as PostgreSQL keeps them, so the activity's details
    // and columns say the same instant.
    let at = body.departed_at.unwrap_or(now).trunc_subsecs(6);
    let mut errors = Errors::new();
    if at > latest(now) {
        errors.add("departed_at", "in_future", "cannot be in the future");
    } else if at < now - Duration::days(1) {
        errors.add("departed_at", "too_old", "cannot be more than a day ago");
    }
    let actor = actor.clone();
    let if_match = if_match.map(str::to_string);
    conn.transaction::<_, DomainError, _>(async move |conn| {
        let (row, current) = lock_for(conn, &actor, id, if_match.as_deref(), Who::Escort).await?;
        if row.state != LeaveState::Authorised {
            return Err(invalid_transition(&current, "started"));
        }
        if row
            .authorised_at
            .is_some_and(|a| at < a - Duration::minutes(1))
        {
            errors.add(
                "departed_at",
                "before_authorised",
                "cannot be before the leave was authorised",
            );
        }
        errors.finish()?;
        leave::depart(conn, id, at, row.version + 1).await?;
        changed(conn, &actor, "leave_depart", id).await
    })
    .await
}

/// A worker on the ward records that the person is back: the leave is
/// returned, and its escorted-leave activity is recorded by the worker
/// through the activities' own create, authorised by the nurse who
/// authorised the leave. Both commit together or not at all.
pub async fn return_(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    id: Uuid,
    if_match: Option<&str>,
    max_age_days: i64,
    body: ReturnLeave,
) -> DomainResult<Leave> {
    let now = Utc::now();
    let at = body.returned_at.unwrap_or(now).trunc_subsecs(6);
    let returned_as_planned = body.returned_as_planned.unwrap_or(true);
    let incident = body.incident.unwrap_or(false);
    let incident_reference = body
        .incident_reference
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(str::to_string);
    let note = body
        .note
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_string);
    let mut errors = Errors::new();
    if at > latest(now) {
        errors.add("returned_at", "in_future", "cannot be in the future");
    }
    if incident_reference.is_some() && !incident {
        errors.add(
            "incident_reference",
            "not_allowed",
            "only when `incident` is true",
        );
    }
    if let Some(n) = &note {
        errors.text("note", n, 1, RETURN_NOTE_MAX);
    }
    let actor = actor.clone();
    let if_match = if_match.map(str::to_string);
    conn.transaction::<_, DomainError, _>(async move |conn| {
        let (row, current) = lock_for(conn, &actor, id, if_match.as_deref(), Who::Escort).await?;
        if row.state != LeaveState::Out {
            return Err(invalid_transition(&current, "ended"));
        }
        let (Some(departed_at), Some(authorised_by), Some(authorised_at)) =
            (row.departed_at, row.authorised_by, row.authorised_at)
        else {
            return Err(DomainError::internal("a leave out without its times"));
        };
        if at <= departed_at {
            errors.add("returned_at", "before_departure", "must be after leaving");
        } else if (at - departed_at).num_minutes() > i64::from(DURATION_MAX) {
            errors.add(
                "returned_at",
                "too_long",
                format!("a leave lasts at most {DURATION_MAX} minutes"),
            );
        }
        errors.finish()?;
        let note = match (row.purpose.as_deref(), note.as_deref()) {
            (Some(p), Some(n)) => Some(format!("{p}\n{n}")),
            (Some(p), None) => Some(p.to_string()),
            (None, n) => n.map(str::to_string),
        };
        let activity = NewActivity {
            id: Some(Uuid::now_v7()),
            ward_id: row.ward_id,
            started_at: departed_at,
            ended_at: Some(at),
            duration_minutes: None,
            co_worker_ids: Vec::new(),
            service_user_ids: vec![row.service_user_id],
            note,
            details: ActivityDetails::EscortedLeave(EscortedLeave {
                authorisation: row.authorisation,
                authorised_by: current
                    .authorised_by_name
                    .clone()
                    .unwrap_or_else(|| "Ward staff".into()),
                destination: row.destination,
                departed_at,
                returned_at: Some(at),
                returned_as_planned,
                incident,
                incident_reference,
                would_have_been_cancelled: body.would_have_been_cancelled,
            }),
        };
        let authorised = AuthorisedBy {
            user_id: authorised_by,
            at: authorised_at,
        };
        let recorded =
            create::create_authorised(conn, &actor, max_age_days, activity, Some(authorised))
                .await?;
        let activity_id = match recorded {
            Created::New(a) | Created::AlreadyPresent(a) => a.id,
        };
        leave::returned(conn, id, at, activity_id, row.version + 1).await?;
        changed(conn, &actor, "leave_return", id).await
    })
    .await
}

/// A worker or a nurse on the ward cancels a leave before anyone leaves,
/// saying why.
pub async fn cancel(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    id: Uuid,
    if_match: Option<&str>,
    body: CancelLeave,
) -> DomainResult<Leave> {
    let reason = body.reason.trim().to_string();
    let actor = actor.clone();
    let if_match = if_match.map(str::to_string);
    conn.transaction::<_, DomainError, _>(async move |conn| {
        let (row, current) =
            lock_for(conn, &actor, id, if_match.as_deref(), Who::EitherSide).await?;
        if !matches!(row.state, LeaveState::Planned | LeaveState::Authorised) {
            return Err(invalid_transition(&current, "cancelled"));
        }
        let mut errors = Errors::new();
        errors.text("reason", &reason, 1, 1000);
        errors.finish()?;
        leave::cancel(conn, id, actor.id, &reason, row.version + 1).await?;
        changed(conn, &actor, "leave_cancel", id).await
    })
    .await
}
