//! Reflections and feedback for the scheme's evaluation.
//!
//! A reflection is the student's: after a held meeting, the student's
//! account (or the coordinator on their behalf) records one; a buddy's
//! account neither reads nor writes reflections. Feedback comes at the end
//! of a pairing (completed or withdrawn), once from the student and once
//! from the buddy; each account reads and writes only its own side.

use actix_web::{get, post, web, HttpResponse};
use chrono::Utc;
use diesel::prelude::*;
use diesel_async::{AsyncConnection, RunQueryDsl};
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::meetings::visible_meeting;
use super::{created_response, on_unique, read_scope, write_scope};
use crate::audit::{self, AuditEvent};
use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::Json;
use crate::models::buddy::evaluation::{self, Feedback, Reflection};
use crate::models::buddy::{pairing, MeetingStatus, PairingStatus, Respondent, Scope};
use crate::pagination::Page;
use crate::schema::{buddy_feedback, buddy_reflections};
use crate::state::AppState;
use crate::validate::Errors;

/// A student's reflection on a held meeting.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateReflection {
    #[schema(min_length = 1, max_length = 4000)]
    pub body: String,
}

/// End-of-pairing feedback.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateFeedback {
    /// Whose feedback; a student's or buddy's own account may leave it out.
    /// Required for a coordinator recording it on someone's behalf.
    pub respondent: Option<Respondent>,
    /// 1 (poor) to 5 (excellent).
    #[schema(minimum = 1, maximum = 5)]
    pub overall_rating: i32,
    /// 1 to 5.
    #[schema(minimum = 1, maximum = 5)]
    pub support_rating: i32,
    #[schema(max_length = 4000)]
    pub comments: Option<String>,
}

/// Reflections are the student's: a buddy's account is refused.
fn reflection_scope(scope: Scope) -> ApiResult<Scope> {
    match scope {
        Scope::Volunteer(_) => Err(ApiError::Forbidden),
        other => Ok(other),
    }
}

/// The side of the feedback an account speaks for, if it is limited to one.
fn own_side(scope: Scope) -> Option<Respondent> {
    match scope {
        Scope::All => None,
        Scope::Student(_) => Some(Respondent::Student),
        Scope::Volunteer(_) => Some(Respondent::Buddy),
    }
}

/// The reflection on a meeting.
#[utoipa::path(
    tag = "buddy",
    params(("id" = Uuid, Path, description = "Meeting id")),
    responses(
        (status = 200, description = "The reflection", body = Reflection),
        (status = 403, description = "A buddy's account, or not a Buddy Scheme role", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such meeting or no reflection yet, or not yours", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/buddy/meetings/{id}/reflection")]
pub async fn get_reflection(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let scope = reflection_scope(read_scope(&user)?)?;
    let mut conn = user.conn(&state.pool).await?;
    let (meeting, _) = visible_meeting(&mut conn, *id, scope, false).await?;
    let found = evaluation::reflection_of(&mut conn, meeting.id)
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok(HttpResponse::Ok().json(found))
}

/// Records the student's reflection on a held meeting (the student, or
/// the coordinator on their behalf); one per meeting.
#[utoipa::path(
    tag = "buddy",
    params(("id" = Uuid, Path, description = "Meeting id")),
    request_body = CreateReflection,
    responses(
        (status = 201, description = "Recorded", body = Reflection),
        (status = 403, description = "A manager or a buddy's account", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such meeting, or not yours", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`meeting_not_held` or `reflection_exists`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/buddy/meetings/{id}/reflection")]
pub async fn create_reflection(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
    body: Json<CreateReflection>,
) -> ApiResult<HttpResponse> {
    let scope = reflection_scope(write_scope(&user)?)?;
    let id = id.into_inner();
    let body = body.0;
    let mut errors = Errors::new();
    errors.text("body", &body.body, 1, 4000);
    errors.finish()?;

    let actor = user.audit_actor();
    let author_id = user.id;
    let mut conn = user.conn(&state.pool).await?;
    let created = conn
        .transaction::<_, ApiError, _>(async move |conn| {
            let (meeting, pairing) = visible_meeting(conn, id, scope, true).await?;
            if meeting.status != MeetingStatus::Held {
                return Err(ApiError::Conflict {
                    code: "meeting_not_held",
                    detail: format!(
                        "The meeting is {}; reflect on a held meeting.",
                        meeting.status
                    ),
                    current: None,
                });
            }
            let row = Reflection {
                id: Uuid::now_v7(),
                meeting_id: meeting.id,
                body: body.body.trim().to_string(),
                author_id,
                created_at: Utc::now(),
            };
            let created = diesel::insert_into(buddy_reflections::table)
                .values(&row)
                .returning(Reflection::as_returning())
                .get_result(conn)
                .await
                .map_err(|e| {
                    on_unique(
                        e,
                        "reflection_exists",
                        "The meeting already has a reflection.",
                    )
                })?;
            audit::record(
                conn,
                &actor,
                AuditEvent::new("create", "buddy_reflection", created.id).details(
                    serde_json::json!({ "meeting_id": meeting.id, "pairing_id": pairing.id }),
                ),
            )
            .await?;
            Ok(created)
        })
        .await?;
    Ok(created_response(
        format!("/api/v1/buddy/meetings/{id}/reflection"),
        &created,
    ))
}

/// A pairing's end-of-pairing feedback (a student's or buddy's account:
/// only their own side).
#[utoipa::path(
    tag = "buddy",
    params(("id" = Uuid, Path, description = "Pairing id")),
    responses(
        (status = 200, description = "The feedback given so far (at most one per respondent)", body = Page<Feedback>),
        (status = 403, description = "Not a Buddy Scheme role", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such pairing, or not yours", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/buddy/pairings/{id}/feedback")]
pub async fn list_feedback(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let scope = read_scope(&user)?;
    let mut conn = user.conn(&state.pool).await?;
    let found = pairing::find(&mut conn, *id, scope)
        .await?
        .ok_or(ApiError::NotFound)?;
    let side = own_side(scope);
    let rows: Vec<Feedback> = evaluation::feedback_of(&mut conn, found.id)
        .await?
        .into_iter()
        .filter(|f| side.is_none_or(|s| s == f.respondent))
        .collect();
    Ok(HttpResponse::Ok().json(Page {
        items: rows,
        next_cursor: None,
    }))
}

/// Records end-of-pairing feedback, once per respondent, when the pairing
/// is completed or withdrawn.
#[utoipa::path(
    tag = "buddy",
    params(("id" = Uuid, Path, description = "Pairing id")),
    request_body = CreateFeedback,
    responses(
        (status = 201, description = "Recorded", body = Feedback),
        (status = 403, description = "A manager, or feedback on the other side's behalf", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such pairing, or not yours", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`pairing_not_ended` or `feedback_exists`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/buddy/pairings/{id}/feedback")]
pub async fn create_feedback(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
    body: Json<CreateFeedback>,
) -> ApiResult<HttpResponse> {
    let scope = write_scope(&user)?;
    let id = id.into_inner();
    let body = body.0;
    let side = own_side(scope);
    if let (Some(own), Some(asked)) = (side, body.respondent) {
        if own != asked {
            return Err(ApiError::Forbidden);
        }
    }
    let mut errors = Errors::new();
    let respondent = body.respondent.or(side);
    if respondent.is_none() {
        errors.add("respondent", "required", "say whose feedback this is");
    }
    for (field, value) in [
        ("overall_rating", body.overall_rating),
        ("support_rating", body.support_rating),
    ] {
        if !(1..=5).contains(&value) {
            errors.add(field, "out_of_range", "must be between 1 and 5");
        }
    }
    errors.opt_text("comments", body.comments.as_deref(), 0, 4000);
    errors.finish()?;
    let respondent = respondent.unwrap_or(Respondent::Student);

    let actor = user.audit_actor();
    let author_id = user.id;
    let mut conn = user.conn(&state.pool).await?;
    let created = conn
        .transaction::<_, ApiError, _>(async move |conn| {
            let pairing = pairing::lock(conn, id, scope).await?.ok_or(ApiError::NotFound)?;
            if !matches!(pairing.status, PairingStatus::Completed | PairingStatus::Withdrawn) {
                return Err(ApiError::Conflict {
                    code: "pairing_not_ended",
                    detail: format!("The pairing is {}; feedback comes at its end.", pairing.status),
                    current: None,
                });
            }
            let row = Feedback {
                id: Uuid::now_v7(),
                pairing_id: id,
                respondent,
                overall_rating: body.overall_rating,
                support_rating: body.support_rating,
                comments: body
                    .comments
                    .as_deref()
                    .map(str::trim)
                    .filter(|c| !c.is_empty())
                    .map(str::to_string),
                author_id,
                created_at: Utc::now(),
            };
            let created = diesel::insert_into(buddy_feedback::table)
                .values(&row)
                .returning(Feedback::as_returning())
                .get_result(conn)
                .await
                .map_err(|e| on_unique(e, "feedback_exists", "This respondent has already given feedback."))?;
            audit::record(
                conn,
                &actor,
                AuditEvent::new("create", "buddy_feedback", created.id).details(serde_json::json!({
                    "pairing_id": id, "respondent": respondent,
                    "overall_rating": created.overall_rating, "support_rating": created.support_rating,
                })),
            )
            .await?;
            Ok(created)
        })
        .await?;
    Ok(created_response(
        format!("/api/v1/buddy/pairings/{id}/feedback"),
        &created,
    ))
}
