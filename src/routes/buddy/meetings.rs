//! A pairing's meetings: planning them, and recording what became of each.
//!
//! Only a `planned` meeting changes. Recording a meeting as `held` needs its
//! duration, an active pairing and a planned time that has come; when the
//! held meetings reach the pairing's `planned_meetings`, the pairing
//! completes by itself in the same transaction. A student's account may
//! cancel only as the student, a buddy's only as the buddy.

use actix_web::{get, patch, post, web, HttpResponse};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::pairing_status::invalid_transition;
use super::{created_response, on_unique, read_scope, write_scope};
use crate::audit::{self, AuditActor, AuditEvent};
use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::{Json, Query};
use crate::models::buddy::meeting::{self, Meeting, MeetingChanges};
use crate::models::buddy::pairing::{self, Pairing};
use crate::models::buddy::{MeetingMode, MeetingStatus, MeetingTopic, PairingStatus, Scope};
use crate::pagination::{Page, PageParams};
use crate::schema::buddy_meetings;
use crate::state::AppState;
use crate::validate::Errors;

/// A meeting to plan.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateMeeting {
    /// Position in the series, 1 to 50; defaults to the next free number.
    #[schema(minimum = 1, maximum = 50)]
    pub sequence: Option<i32>,
    pub planned_at: DateTime<Utc>,
    pub mode: MeetingMode,
    pub topic: MeetingTopic,
    /// The join link, for an online meeting (https, on an allowed host).
    pub link: Option<String>,
    /// Where it takes place, for an in-person meeting.
    pub place: Option<String>,
}

/// Changes to a planned meeting, or its outcome; absent fields stay as
/// they are.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateMeeting {
    pub planned_at: Option<DateTime<Utc>>,
    pub mode: Option<MeetingMode>,
    pub topic: Option<MeetingTopic>,
    pub status: Option<MeetingStatus>,
    /// Required with `held`, 1 to 480; not allowed otherwise.
    #[schema(minimum = 1, maximum = 480)]
    pub duration_minutes: Option<i32>,
    /// The join link of an online meeting; `null` removes it. A change of
    /// mode away from online removes it too.
    #[serde(default, deserialize_with = "super::present")]
    #[schema(value_type = Option<String>)]
    pub link: Option<Option<String>>,
    /// The place of an in-person meeting; `null` removes it. A change of
    /// mode away from in person removes it too.
    #[serde(default, deserialize_with = "super::present")]
    #[schema(value_type = Option<String>)]
    pub place: Option<Option<String>>,
}

/// A pairing the caller may see, or 404.
async fn visible_pairing(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    scope: Scope,
    lock: bool,
) -> ApiResult<Pairing> {
    let found = if lock {
        pairing::lock(conn, id, scope).await?
    } else {
        pairing::find(conn, id, scope).await?
    };
    found.ok_or(ApiError::NotFound)
}

/// A meeting and its pairing, if the caller may see them; 404 otherwise.
pub(super) async fn visible_meeting(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    scope: Scope,
    lock: bool,
) -> ApiResult<(Meeting, Pairing)> {
    let found = meeting::find(conn, id).await?.ok_or(ApiError::NotFound)?;
    let pairing = visible_pairing(conn, found.pairing_id, scope, lock).await?;
    if lock {
        // Changes to a meeting lock its pairing first; read the meeting
        // again now that the lock is held, so two simultaneous changes see
        // each other (the second finds the meeting no longer planned).
        let current = meeting::find(conn, id).await?.ok_or(ApiError::NotFound)?;
        return Ok((current, pairing));
    }
    Ok((found, pairing))
}

/// The 409 for a change to a pairing that has ended.
fn pairing_closed(p: &Pairing) -> ApiError {
    ApiError::Conflict {
        code: "pairing_closed",
        detail: format!(
            "The pairing is {}; its meetings no longer change.",
            p.status
        ),
        current: None,
    }
}

/// Whether this caller may record this cancellation.
fn may_cancel_as(scope: Scope, status: MeetingStatus) -> bool {
    match status {
        MeetingStatus::CancelledByStudent => matches!(scope, Scope::All | Scope::Student(_)),
        MeetingStatus::CancelledByBuddy => matches!(scope, Scope::All | Scope::Volunteer(_)),
        MeetingStatus::CancelledByCoordinator => scope == Scope::All,
        _ => true,
    }
}

/// Lists a pairing's meetings in sequence order.
#[utoipa::path(
    tag = "buddy",
    params(("id" = Uuid, Path, description = "Pairing id"), PageParams),
    responses(
        (status = 200, description = "A page of meetings", body = Page<Meeting>),
        (status = 403, description = "Not a Buddy Scheme role", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such pairing, or not yours", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/buddy/pairings/{id}/meetings")]
pub async fn list_meetings(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
    page: Query<PageParams>,
) -> ApiResult<HttpResponse> {
    let scope = read_scope(&user)?;
    let limit = page.limit()?;
    let after: Option<i32> = page.after()?;
    let mut conn = user.conn(&state.pool).await?;
    let found = visible_pairing(&mut conn, *id, scope, false).await?;
    let rows = meeting::list(&mut conn, found.id, after, limit)
        .await?
        .into_iter()
        .map(|m| m.for_reader(user.role))
        .collect();
    Ok(HttpResponse::Ok().json(Page::from_rows(rows, limit, |m| m.sequence)))
}

/// One meeting.
#[utoipa::path(
    tag = "buddy",
    params(("id" = Uuid, Path, description = "Meeting id")),
    responses(
        (status = 200, description = "The meeting", body = Meeting),
        (status = 403, description = "Not a Buddy Scheme role", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such meeting, or not yours", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/buddy/meetings/{id}")]
pub async fn get_meeting(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let scope = read_scope(&user)?;
    let mut conn = user.conn(&state.pool).await?;
    let (found, _) = visible_meeting(&mut conn, *id, scope, false).await?;
    Ok(HttpResponse::Ok().json(found.for_reader(user.role)))
}

/// Plans a meeting in a pairing's series (coordinator, or the pairing's
/// own student or buddy).
#[utoipa::path(
    tag = "buddy",
    params(("id" = Uuid, Path, description = "Pairing id")),
    request_body = CreateMeeting,
    responses(
        (status = 201, description = "Planned", body = Meeting),
        (status = 403, description = "A manager (read only) or not a Buddy Scheme role", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such pairing, or not yours", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`meeting_sequence_taken` or `pairing_closed`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/buddy/pairings/{id}/meetings")]
pub async fn create_meeting(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
    body: Json<CreateMeeting>,
) -> ApiResult<HttpResponse> {
    let scope = write_scope(&user)?;
    let id = id.into_inner();
    let body = body.0;
    if body.sequence.is_some_and(|s| !(1..=50).contains(&s)) {
        return Err(ApiError::field(
            "sequence",
            "out_of_range",
            "must be between 1 and 50",
        ));
    }
    let mut errors = Errors::new();
    meeting::check_where(
        body.mode,
        body.link.as_deref(),
        body.place.as_deref(),
        &state.config.meeting_link_hosts,
        &mut errors,
    );
    errors.finish()?;
    let actor = user.audit_actor();
    let mut conn = user.conn(&state.pool).await?;
    let created = conn
        .transaction::<_, ApiError, _>(async move |conn| {
            let pairing = visible_pairing(conn, id, scope, true).await?;
            if !pairing.status.is_open() {
                return Err(pairing_closed(&pairing));
            }
            let sequence = match body.sequence {
                Some(s) => s,
                None => meeting::next_sequence(conn, id).await?,
            };
            if sequence > 50 {
                return Err(ApiError::field("sequence", "out_of_range", "the series is full (50 meetings)"));
            }
            let now = Utc::now();
            let row = Meeting {
                id: Uuid::now_v7(),
                pairing_id: id,
                sequence,
                planned_at: body.planned_at,
                mode: body.mode,
                topic: body.topic,
                status: MeetingStatus::Planned,
                duration_minutes: None,
                link: body.link,
                place: body.place.map(|p| p.trim().to_string()),
                calendar_sequence: 0,
                created_at: now,
                updated_at: now,
            };
            let created = diesel::insert_into(buddy_meetings::table)
                .values(&row)
                .returning(Meeting::as_returning())
                .get_result(conn)
                .await
                .map_err(|e| on_unique(e, "meeting_sequence_taken", "The pairing already has a meeting with this sequence number."))?;
            audit::record(
                conn,
                &actor,
                AuditEvent::new("create", "buddy_meeting", created.id).details(serde_json::json!({
                    "pairing_id": id, "sequence": sequence, "topic": created.topic, "mode": created.mode,
                    "has_link": created.link.is_some(),
                })),
            )
            .await?;
            Ok(created)
        })
        .await?;
    Ok(created_response(
        format!("/api/v1/buddy/meetings/{}", created.id),
        &created,
    ))
}

/// Completes the pairing when its held meetings reach the planned series.
async fn complete_if_series_held(
    conn: &mut AsyncPgConnection,
    actor: &AuditActor,
    pairing: &Pairing,
) -> ApiResult<()> {
    if pairing.status != PairingStatus::Active {
        return Ok(());
    }
    let held = pairing::meetings_held(conn, pairing.id).await?;
    if held < i64::from(pairing.planned_meetings) {
        return Ok(());
    }
    pairing::set_status(conn, pairing.id, PairingStatus::Completed, None).await?;
    audit::record(
        conn,
        actor,
        AuditEvent::new("transition", "buddy_pairing", pairing.id).details(serde_json::json!({
            "from": PairingStatus::Active, "to": PairingStatus::Completed,
            "automatic": true, "meetings_held": held,
        })),
    )
    .await?;
    Ok(())
}

/// Reschedules a planned meeting or records its outcome (coordinator, or
/// the pairing's own student or buddy).
#[utoipa::path(
    tag = "buddy",
    params(("id" = Uuid, Path, description = "Meeting id")),
    request_body = UpdateMeeting,
    responses(
        (status = 200, description = "Updated", body = Meeting),
        (status = 403, description = "A manager, or a cancellation on someone else's behalf", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such meeting, or not yours", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`invalid_transition` (not planned any more), `pairing_not_active` or `pairing_closed`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, or `meeting_in_future`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/buddy/meetings/{id}")]
pub async fn update_meeting(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
    body: Json<UpdateMeeting>,
) -> ApiResult<HttpResponse> {
    let scope = write_scope(&user)?;
    let id = id.into_inner();
    let body = body.0;
    let to = body.status;
    let mut errors = Errors::new();
    match (to, body.duration_minutes) {
        (Some(MeetingStatus::Held), None) => errors.add(
            "duration_minutes",
            "required",
            "a held meeting needs its duration",
        ),
        (Some(MeetingStatus::Held), Some(d)) if !(1..=480).contains(&d) => errors.add(
            "duration_minutes",
            "out_of_range",
            "must be between 1 and 480",
        ),
        (Some(MeetingStatus::Held), Some(_)) => {}
        (_, Some(_)) => errors.add(
            "duration_minutes",
            "not_allowed",
            "only a held meeting has a duration",
        ),
        _ => {}
    }
    errors.finish()?;
    if to.is_some_and(|s| !may_cancel_as(scope, s)) {
        return Err(ApiError::Forbidden);
    }

    let actor = user.audit_actor();
    let hosts = state.config.meeting_link_hosts.clone();
    let mut conn = user.conn(&state.pool).await?;
    let updated = conn
        .transaction::<_, ApiError, _>(async move |conn| {
            let (before, pairing) = visible_meeting(conn, id, scope, true).await?;
            if before.status != MeetingStatus::Planned {
                return Err(invalid_transition(
                    before.status,
                    to.unwrap_or(before.status),
                    serde_json::to_value(&before).unwrap_or_default(),
                ));
            }
            if !pairing.status.is_open() {
                return Err(pairing_closed(&pairing));
            }
            let planned_at = body.planned_at.unwrap_or(before.planned_at);
            // Where it happens, as it will read: a change of mode drops a
            // link or place the new mode cannot have.
            let mode = body.mode.unwrap_or(before.mode);
            let link = match &body.link {
                Some(given) => given.clone(),
                None => before
                    .link
                    .clone()
                    .filter(|_| mode == MeetingMode::OnlineVideo),
            };
            let place = match &body.place {
                Some(given) => given.as_ref().map(|p| p.trim().to_string()),
                None => before
                    .place
                    .clone()
                    .filter(|_| mode == MeetingMode::InPerson),
            };
            let mut errors = Errors::new();
            meeting::check_where(mode, link.as_deref(), place.as_deref(), &hosts, &mut errors);
            errors.finish()?;
            if to == Some(MeetingStatus::Held) {
                if pairing.status != PairingStatus::Active {
                    return Err(ApiError::Conflict {
                        code: "pairing_not_active",
                        detail: "Meetings are held once the pairing is active.".into(),
                        current: None,
                    });
                }
                if planned_at > Utc::now() {
                    return Err(ApiError::Rule {
                        code: "meeting_in_future",
                        field: "planned_at",
                        detail: "A meeting cannot be recorded as held before its planned time."
                            .into(),
                    });
                }
            }
            // A calendar client replaces its copy when the sequence grows.
            let changed_for_calendars = planned_at != before.planned_at
                || mode != before.mode
                || link != before.link
                || place != before.place
                || to.is_some_and(|s| s != before.status);
            let link_changed = link != before.link;
            let changes = MeetingChanges {
                planned_at: body.planned_at,
                mode: body.mode,
                topic: body.topic,
                status: to,
                duration_minutes: body.duration_minutes.map(Some),
                link: Some(link),
                place: Some(place),
                calendar_sequence: changed_for_calendars.then_some(before.calendar_sequence + 1),
                updated_at: Some(Utc::now()),
            };
            let after = diesel::update(buddy_meetings::table.find(id))
                .set(&changes)
                .returning(Meeting::as_returning())
                .get_result(conn)
                .await?;
            audit::record(
                conn,
                &actor,
                AuditEvent::new("update", "buddy_meeting", id).details(serde_json::json!({
                    "pairing_id": pairing.id,
                    "before": { "status": before.status, "planned_at": before.planned_at },
                    "after": { "status": after.status, "planned_at": after.planned_at,
                               "duration_minutes": after.duration_minutes },
                    // Whether the join link changed; never the link itself.
                    "link_changed": link_changed,
                })),
            )
            .await?;
            if after.status == MeetingStatus::Held {
                complete_if_series_held(conn, &actor, &pairing).await?;
            }
            Ok(after)
        })
        .await?;
    Ok(HttpResponse::Ok().json(updated))
}
