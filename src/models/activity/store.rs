//! Writing activities. Each write is one transaction holding the row, its
//! links, a version row, an outbox event and an audit row, so none exists
//! without the others.
//!
//! Creates are idempotent on the client's id: `INSERT … ON CONFLICT (id) DO
//! NOTHING`, then a comparison of the stored content hash, so concurrent
//! retries from many connections still leave one row.

use chrono::Utc;
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::check::{self, CheckContext, Draft, NewActivity};
use super::kinds::{ActivityDetails, ReportColumns};
use super::{Activity, ActivityKind, ActivityStatus};
use crate::audit::{self, AuditEvent};
use crate::auth::{CurrentUser, Role, WardScope};
use crate::error::ApiError;
use crate::schema::{
    activities, activity_co_workers, activity_events, activity_service_users, activity_versions,
};
use crate::validate::Errors;

/// The longest reason for an amendment or a void.
pub const REASON_MAX: usize = 1000;

/// What a create did.
#[derive(Debug)]
pub enum Created {
    /// A new record (201).
    New(Activity),
    /// The same create was already stored (200).
    AlreadyPresent(Activity),
}

/// Changes to an activity; absent fields stay as they are. The kind cannot
/// change: void the record and record a new one instead.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActivityAmendment {
    /// Why the record is changed; kept with the previous version.
    #[schema(min_length = 1, max_length = 1000)]
    pub reason: String,
    pub started_at: Option<chrono::DateTime<Utc>>,
    pub ended_at: Option<chrono::DateTime<Utc>>,
    #[schema(minimum = 1, maximum = 1440)]
    pub duration_minutes: Option<i32>,
    pub co_worker_ids: Option<Vec<Uuid>>,
    pub service_user_ids: Option<Vec<Uuid>>,
    /// The new note; an empty string removes it.
    #[schema(max_length = 2000)]
    pub note: Option<String>,
    /// The whole new `details` object, of the record's own kind.
    // Kept as raw JSON text until the record's kind is known, then read
    // straight into that kind's shape: no JSON tree of a request.
    #[schema(value_type = Option<Object>)]
    pub details: Option<Box<serde_json::value::RawValue>>,
}

/// Marking a record entered in error.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VoidRequest {
    #[schema(min_length = 1, max_length = 1000)]
    pub reason: String,
}

#[derive(Insertable, AsChangeset)]
#[diesel(table_name = activities)]
#[diesel(treat_none_as_null = true)]
struct ActivityColumns<'a> {
    ward_id: Uuid,
    kind: super::ActivityKind,
    started_at: chrono::DateTime<Utc>,
    ended_at: chrono::DateTime<Utc>,
    duration_minutes: i32,
    note: Option<&'a str>,
    details: serde_json::Value,
    restraint_avoided: Option<bool>,
    staff_called: Option<bool>,
    leave_minutes: Option<i32>,
    returned_as_planned: Option<bool>,
    attendees_named: Option<i32>,
    attendees_unnamed: Option<i32>,
}

impl<'a> ActivityColumns<'a> {
    fn of(draft: &'a Draft, report: ReportColumns) -> Self {
        ActivityColumns {
            ward_id: draft.ward_id,
            kind: draft.details.kind(),
            started_at: draft.started_at,
            ended_at: draft.ended_at,
            duration_minutes: draft.duration_minutes(),
            note: draft.note.as_deref(),
            details: draft.details.to_value(),
            restraint_avoided: report.restraint_avoided,
            staff_called: report.staff_called,
            leave_minutes: report.leave_minutes,
            returned_as_planned: report.returned_as_planned,
            attendees_named: report.attendees_named,
            attendees_unnamed: report.attendees_unnamed,
        }
    }
}

/// A note as stored: trimmed, and absent rather than empty.
fn clean_note(note: Option<&str>) -> Option<String> {
    note.map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_string)
}

/// Replaces an activity's co-workers and service users.
async fn link(conn: &mut AsyncPgConnection, id: Uuid, draft: &Draft) -> QueryResult<()> {
    diesel::delete(activity_co_workers::table.filter(activity_co_workers::activity_id.eq(id)))
        .execute(conn)
        .await?;
    diesel::delete(
        activity_service_users::table.filter(activity_service_users::activity_id.eq(id)),
    )
    .execute(conn)
    .await?;
    let workers: Vec<_> = draft
        .co_worker_ids
        .iter()
        .map(|w| {
            (
                activity_co_workers::activity_id.eq(id),
                activity_co_workers::user_id.eq(*w),
            )
        })
        .collect();
    diesel::insert_into(activity_co_workers::table)
        .values(workers)
        .execute(conn)
        .await?;
    let people: Vec<_> = draft
        .service_user_ids
        .iter()
        .map(|s| {
            (
                activity_service_users::activity_id.eq(id),
                activity_service_users::service_user_id.eq(*s),
            )
        })
        .collect();
    diesel::insert_into(activity_service_users::table)
        .values(people)
        .execute(conn)
        .await?;
    Ok(())
}

/// Records a version, an outbox event and an audit row for a change that
/// produced `activity`.
async fn record_change(
    conn: &mut AsyncPgConnection,
    user: &CurrentUser,
    activity: &Activity,
    change: &str,
    reason: Option<&str>,
) -> QueryResult<()> {
    let snapshot = activity.to_json();
    diesel::insert_into(activity_versions::table)
        .values((
            activity_versions::activity_id.eq(activity.id),
            activity_versions::version.eq(activity.version),
            activity_versions::change.eq(change),
            activity_versions::changed_by.eq(user.id),
            activity_versions::reason.eq(reason),
            activity_versions::snapshot.eq(&snapshot),
        ))
        .execute(conn)
        .await?;
    diesel::insert_into(activity_events::table)
        .values((
            activity_events::activity_id.eq(activity.id),
            activity_events::ward_id.eq(activity.ward_id),
            activity_events::event_type.eq(change),
            activity_events::version.eq(activity.version),
            activity_events::payload.eq(&snapshot),
        ))
        .execute(conn)
        .await?;
    let action = match change {
        "created" => "create",
        "amended" => "amend",
        _ => "void",
    };
    audit::record(
        conn,
        &user.audit_actor(),
        AuditEvent::new(action, "activity", activity.id)
            .ward(Some(activity.ward_id))
            .details(serde_json::json!({
                "kind": activity.details.kind(),
                "version": activity.version,
                "service_user_ids": activity.service_user_ids,
                // The reason is free text, kept in the version history,
                // not in the audit log that admins read.
                "reason_given": reason.is_some(),
            })),
    )
    .await
}

/// Loads an activity that is known to exist.
async fn reload(conn: &mut AsyncPgConnection, id: Uuid) -> Result<Activity, ApiError> {
    super::find(conn, id, &WardScope::All)
        .await?
        .ok_or_else(|| ApiError::internal(format!("activity {id} vanished")))
}

/// Compares a create with what is stored under its id.
async fn compare_stored(
    conn: &mut AsyncPgConnection,
    user: &CurrentUser,
    id: Uuid,
    hash: &str,
) -> Result<Option<Created>, ApiError> {
    let Some(row) = super::find_row(conn, id).await? else {
        return Ok(None);
    };
    // A caller no longer on the record's ward learns nothing of it, not even
    // by re-sending the create that made it.
    let visible = user.ward_scope().contains(row.ward_id);
    if row.content_hash == hash && visible {
        return Ok(Some(Created::AlreadyPresent(reload(conn, id).await?)));
    }
    Err(ApiError::Conflict {
        code: "id_conflict",
        detail: format!("Another activity is already stored with id {id}."),
        current: if visible {
            Some(reload(conn, id).await?.to_json())
        } else {
            None
        },
    })
}

/// Creates an activity, or answers the stored one for a repeated create.
pub async fn create(
    conn: &mut AsyncPgConnection,
    user: &CurrentUser,
    max_age_days: i64,
    body: NewActivity,
) -> Result<Created, ApiError> {
    let id = body.id.unwrap_or_else(Uuid::now_v7);
    let hash = body.content_hash(user.id);
    if let Some(done) = compare_stored(conn, user, id, &hash).await? {
        return Ok(done);
    }
    let mut errors = Errors::new();
    let ended_at = Draft::end_of(
        body.started_at,
        body.ended_at,
        body.duration_minutes,
        &mut errors,
    );
    errors.finish()?;
    let draft = Draft {
        ward_id: body.ward_id,
        started_at: body.started_at,
        ended_at,
        co_worker_ids: body.co_worker_ids,
        service_user_ids: body.service_user_ids,
        note: clean_note(body.note.as_deref()),
        details: body.details,
    };
    let ctx = CheckContext {
        user,
        now: Utc::now(),
        max_age_days,
        previous: None,
    };
    let report = check::check(conn, &draft, &ctx).await?;
    let user = user.clone();
    conn.transaction::<_, ApiError, _>(async move |conn| {
        let inserted = diesel::insert_into(activities::table)
            .values((
                activities::id.eq(id),
                activities::recorded_by.eq(user.id),
                activities::content_hash.eq(&hash),
                ActivityColumns::of(&draft, report),
            ))
            .on_conflict(activities::id)
            .do_nothing()
            .execute(conn)
            .await?;
        if inserted == 0 {
            // A concurrent retry won the race; it has committed by now.
            return compare_stored(conn, &user, id, &hash)
                .await?
                .ok_or_else(|| ApiError::internal("conflicting activity vanished"));
        }
        link(conn, id, &draft).await?;
        let activity = reload(conn, id).await?;
        record_change(conn, &user, &activity, "created", None).await?;
        Ok(Created::New(activity))
    })
    .await
}

/// The record to change, locked, if the caller may change it: workers
/// their own, team leaders any on their wards. Out of scope reads as 404.
async fn lock_for_change(
    conn: &mut AsyncPgConnection,
    user: &CurrentUser,
    id: Uuid,
    if_match: &str,
) -> Result<Activity, ApiError> {
    let row: Option<(Uuid, Uuid)> = activities::table
        .find(id)
        .select((activities::ward_id, activities::recorded_by))
        .for_update()
        .first(conn)
        .await
        .optional()?;
    let Some((ward_id, recorded_by)) = row else {
        return Err(ApiError::NotFound);
    };
    if !user.ward_scope().contains(ward_id) {
        return Err(ApiError::NotFound);
    }
    let allowed = match user.role {
        Role::PeerTeamLeader => user.ward_ids.contains(&ward_id),
        Role::PeerSupportWorker => recorded_by == user.id && user.ward_ids.contains(&ward_id),
        _ => false,
    };
    if !allowed {
        return Err(ApiError::Forbidden);
    }
    let current = reload(conn, id).await?;
    if current.etag() != if_match.trim().trim_start_matches("W/") {
        return Err(ApiError::PreconditionFailed {
            current: current.to_json(),
        });
    }
    if current.status == ActivityStatus::EnteredInError {
        return Err(ApiError::Conflict {
            code: "entered_in_error",
            detail: "The record is marked entered in error and cannot change.".into(),
            current: Some(current.to_json()),
        });
    }
    Ok(current)
}

fn check_reason(reason: &str) -> Result<(), ApiError> {
    let mut errors = Errors::new();
    errors.text("reason", reason, 1, REASON_MAX);
    Ok(errors.finish()?)
}

/// Amends an activity: checks it as a whole, keeps the previous version.
pub async fn amend(
    conn: &mut AsyncPgConnection,
    user: &CurrentUser,
    max_age_days: i64,
    id: Uuid,
    if_match: &str,
    body: ActivityAmendment,
) -> Result<Activity, ApiError> {
    check_reason(&body.reason)?;
    let user = user.clone();
    conn.transaction::<_, ApiError, _>(async move |conn| {
        let current = lock_for_change(conn, &user, id, if_match).await?;
        let mut errors = Errors::new();
        let started_at = body.started_at.unwrap_or(current.started_at);
        let ended_at = match (body.ended_at, body.duration_minutes) {
            (None, None) if !super::check::plausible(started_at) => {
                errors.add("started_at", "out_of_range", super::check::PLAUSIBLE_YEARS);
                current.ended_at
            }
            (None, None) => started_at + (current.ended_at - current.started_at),
            (end, minutes) => Draft::end_of(started_at, end, minutes, &mut errors),
        };
        let details = match body.details {
            Some(raw) => ActivityDetails::parse_raw(current.details.kind(), &raw)?,
            None => current.details.clone(),
        };
        errors.finish()?;
        let draft = Draft {
            ward_id: current.ward_id,
            started_at,
            ended_at,
            co_worker_ids: body
                .co_worker_ids
                .unwrap_or_else(|| current.co_worker_ids.clone()),
            service_user_ids: body
                .service_user_ids
                .unwrap_or_else(|| current.service_user_ids.clone()),
            note: match body.note {
                Some(note) => clean_note(Some(&note)),
                None => current.note.clone(),
            },
            details,
        };
        let ctx = CheckContext {
            user: &user,
            now: Utc::now(),
            max_age_days,
            previous: Some(&current),
        };
        let report = check::check(conn, &draft, &ctx).await?;
        diesel::update(activities::table.find(id))
            .set((
                ActivityColumns::of(&draft, report),
                activities::status.eq(ActivityStatus::Amended),
                activities::version.eq(current.version + 1),
                activities::updated_at.eq(Utc::now()),
            ))
            .execute(conn)
            .await?;
        link(conn, id, &draft).await?;
        let amended = reload(conn, id).await?;
        record_change(conn, &user, &amended, "amended", Some(body.reason.trim())).await?;
        Ok(amended)
    })
    .await
}

/// Marks an activity entered in error. It stays readable, with its history.
pub async fn void(
    conn: &mut AsyncPgConnection,
    user: &CurrentUser,
    id: Uuid,
    if_match: Option<&str>,
    body: VoidRequest,
) -> Result<Activity, ApiError> {
    check_reason(&body.reason)?;
    let user = user.clone();
    conn.transaction::<_, ApiError, _>(async move |conn| {
        let etag = match if_match {
            Some(tag) => tag.to_string(),
            None => {
                // Voiding needs no base version: whatever it says, it is wrong.
                let version: Option<i32> = activities::table
                    .find(id)
                    .select(activities::version)
                    .first(conn)
                    .await
                    .optional()?;
                format!("\"v{}\"", version.unwrap_or(0))
            }
        };
        let current = lock_for_change(conn, &user, id, &etag).await?;
        let reason = body.reason.trim();
        diesel::update(activities::table.find(id))
            .set((
                activities::status.eq(ActivityStatus::EnteredInError),
                activities::void_reason.eq(reason),
                activities::version.eq(current.version + 1),
                activities::updated_at.eq(Utc::now()),
            ))
            .execute(conn)
            .await?;
        let voided = reload(conn, id).await?;
        record_change(conn, &user, &voided, "voided", Some(reason)).await?;
        Ok(voided)
    })
    .await
}

/// Records ward staff's confirmation that an escorted leave was authorised.
/// Only ward staff assigned to the activity's ward may confirm; once only.
/// The record gains a version (history shows who confirmed and when) and
/// the change goes to the outbox and the audit log like any amendment.
pub async fn confirm_leave(
    conn: &mut AsyncPgConnection,
    user: &CurrentUser,
    id: Uuid,
    if_match: Option<&str>,
) -> Result<Activity, ApiError> {
    let user = user.clone();
    let if_match = if_match.map(str::to_string);
    conn.transaction::<_, ApiError, _>(async move |conn| {
        let ward_id: Option<Uuid> = activities::table
            .find(id)
            .select(activities::ward_id)
            .for_update()
            .first(conn)
            .await
            .optional()?;
        let Some(ward_id) = ward_id.filter(|w| user.ward_scope().contains(*w)) else {
            return Err(ApiError::NotFound);
        };
        if user.role != Role::WardStaff || !user.ward_ids.contains(&ward_id) {
            return Err(ApiError::Forbidden);
        }
        let current = reload(conn, id).await?;
        if let Some(tag) = if_match.as_deref() {
            if current.etag() != tag.trim().trim_start_matches("W/") {
                return Err(ApiError::PreconditionFailed {
                    current: current.to_json(),
                });
            }
        }
        if current.details.kind() != ActivityKind::EscortedLeave {
            return Err(ApiError::field(
                "kind",
                "not_escorted_leave",
                "only escorted leave has an authorisation to confirm",
            ));
        }
        let refuse = |code: &'static str, detail: &str| ApiError::Conflict {
            code,
            detail: detail.into(),
            current: Some(current.to_json()),
        };
        if current.status == ActivityStatus::EnteredInError {
            return Err(refuse(
                "entered_in_error",
                "The record is marked entered in error and cannot change.",
            ));
        }
        if current.leave_confirmation.is_some() {
            return Err(refuse(
                "already_confirmed",
                "The leave's authorisation is already confirmed.",
            ));
        }
        diesel::update(activities::table.find(id))
            .set((
                activities::leave_confirmed_by.eq(user.id),
                activities::leave_confirmed_at.eq(Utc::now()),
                activities::version.eq(current.version + 1),
                activities::updated_at.eq(Utc::now()),
            ))
            .execute(conn)
            .await?;
        let confirmed = reload(conn, id).await?;
        record_change(
            conn,
            &user,
            &confirmed,
            "amended",
            Some("escorted-leave authorisation confirmed by ward staff"),
        )
        .await?;
        Ok(confirmed)
    })
    .await
}
