//! Buddy Scheme meetings in people's own calendars: a pairing's series as
//! iCalendar for the coordinator and the pairing's student and buddy, and a
//! personal subscription URL per student or buddy account covering all
//! their pairings. Calendar clients cannot send bearer tokens, so that URL
//! carries a secret token (revocable; only its digest is stored; the access
//! log never shows it). Every calendar read is audited.

use actix_web::{delete, get, put, web, HttpRequest, HttpResponse};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::audit::{self, AuditActor, AuditEvent};
use crate::auth::policy;
use crate::auth::{CurrentUser, RequestMeta, Role};
use crate::error::{ApiError, ApiResult, Problem};
use crate::models::buddy::calendar;
use crate::models::buddy::Scope;
use crate::state::AppState;

const TEXT_CALENDAR: &str = "text/calendar; charset=utf-8";

fn calendar_response(body: String) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header(("content-type", TEXT_CALENDAR))
        .insert_header(("cache-control", "private, no-cache"))
        .body(body)
}

/// A pairing's meeting series as iCalendar (the coordinator, and the
/// pairing's own student and buddy; managers read meetings but not their
/// links, so not this). One event per meeting, stable UIDs, `SEQUENCE`
/// bumped when a meeting moves, `STATUS:CANCELLED` when cancelled, times in
/// UTC, the join link as `URL` and `LOCATION`.
#[utoipa::path(
    tag = "buddy",
    params(("id" = Uuid, Path, description = "Pairing id")),
    responses(
        (status = 200, description = "The series (RFC 5545)", body = String, content_type = "text/calendar"),
        (status = 403, description = "Not the coordinator, the student or the buddy", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such pairing, or not yours", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/buddy/pairings/{id}/meetings.ics")]
pub async fn pairing_calendar(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let scope = match user.role {
        Role::BuddyCoordinator => Scope::All,
        Role::BuddyStudent => Scope::Student(user.id),
        Role::BuddyVolunteer => Scope::Volunteer(user.id),
        _ => return Err(ApiError::Forbidden),
    };
    let mut conn = user.conn(&state.pool).await?;
    let meetings = calendar::meetings(&mut conn, scope, Some(*id)).await?;
    if meetings.is_empty()
        && crate::models::buddy::pairing::find(&mut conn, *id, scope)
            .await?
            .is_none()
    {
        return Err(ApiError::NotFound);
    }
    audit::record(
        &mut conn,
        &user.audit_actor(),
        AuditEvent::new("read", "buddy_calendar", *id),
    )
    .await?;
    Ok(calendar_response(calendar::ics(
        "Buddy Scheme meetings",
        &meetings,
    )))
}

/// A personal calendar subscription.
#[derive(Debug, Serialize, ToSchema)]
pub struct CalendarSubscription {
    /// The subscription's path on this server (add the origin). Anyone with
    /// it reads your meetings: keep it private; revoke it if shared.
    #[schema(example = "/api/v1/buddy/calendar/1Xq…Zk.ics")]
    pub path: String,
}

fn subscriber_only(user: &CurrentUser) -> ApiResult<()> {
    user.require(policy::CALENDAR_SUBSCRIBERS)
}

/// Issues the caller's personal calendar subscription URL (a student's or
/// buddy's account), replacing any earlier one, which stops working at once.
#[utoipa::path(
    tag = "buddy",
    responses(
        (status = 200, description = "The new subscription", body = CalendarSubscription),
        (status = 403, description = "Not a student's or buddy's account", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/buddy/calendar-subscription")]
pub async fn subscribe_calendar(
    state: web::Data<AppState>,
    user: CurrentUser,
) -> ApiResult<HttpResponse> {
    subscriber_only(&user)?;
    let mut conn = user.conn(&state.pool).await?;
    let token = calendar::subscribe(&mut conn, user.id).await?;
    audit::record(
        &mut conn,
        &user.audit_actor(),
        AuditEvent::new("create", "buddy_calendar_subscription", user.id),
    )
    .await?;
    Ok(HttpResponse::Ok().json(CalendarSubscription {
        path: format!("/api/v1/buddy/calendar/{token}.ics"),
    }))
}

/// Revokes the caller's calendar subscription: its URL answers 404 from now on.
#[utoipa::path(
    tag = "buddy",
    responses(
        (status = 204, description = "Revoked"),
        (status = 403, description = "Not a student's or buddy's account", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No subscription to revoke", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/buddy/calendar-subscription")]
pub async fn unsubscribe_calendar(
    state: web::Data<AppState>,
    user: CurrentUser,
) -> ApiResult<HttpResponse> {
    subscriber_only(&user)?;
    let mut conn = user.conn(&state.pool).await?;
    if !calendar::unsubscribe(&mut conn, user.id).await? {
        return Err(ApiError::NotFound);
    }
    audit::record(
        &mut conn,
        &user.audit_actor(),
        AuditEvent::new("revoke", "buddy_calendar_subscription", user.id),
    )
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The meetings of every pairing of the account a subscription belongs
/// to, as iCalendar. No bearer token: the path's secret is the credential;
/// an unknown or revoked one answers 404.
#[utoipa::path(
    tag = "buddy",
    security(()),
    params(("token" = String, Path, description = "The subscription's secret", pattern = "^[A-Za-z0-9_-]{43}$")),
    responses(
        (status = 200, description = "The account's meetings (RFC 5545)", body = String, content_type = "text/calendar"),
        (status = 404, description = "No such subscription (or revoked)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/buddy/calendar/{token}.ics")]
pub async fn subscribed_calendar(
    req: HttpRequest,
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let token = token.into_inner();
    let well_formed = token.len() == 43
        && token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if !well_formed {
        return Err(ApiError::NotFound);
    }
    let mut conn = crate::db::conn(&state.pool).await?;
    let (user_id, role) = calendar::subscriber(&mut conn, &token)
        .await?
        .ok_or(ApiError::NotFound)?;
    let scope = match role {
        Role::BuddyStudent => Scope::Student(user_id),
        Role::BuddyVolunteer => Scope::Volunteer(user_id),
        // The account changed role since it subscribed.
        _ => return Err(ApiError::NotFound),
    };
    let meetings = calendar::meetings(&mut conn, scope, None).await?;
    audit::record(
        &mut conn,
        &AuditActor::user(user_id, role, &RequestMeta::of(&req)),
        AuditEvent::new("read", "buddy_calendar_subscription", user_id),
    )
    .await?;
    Ok(calendar_response(calendar::ics(
        "Buddy Scheme meetings",
        &meetings,
    )))
}
