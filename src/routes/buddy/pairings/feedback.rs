//! `/api/v1/buddy/pairings/{id}/feedback`: end-of-pairing feedback, once
//! from the student and once from the buddy.

use actix_web::http::header::LOCATION;
use actix_web::{get, post, web, HttpResponse};
use uuid::Uuid;

use crate::auth::{policy, CurrentUser};
use crate::domain::buddy::evaluation::{self, CreateFeedback};
use crate::error::{ApiResult, Problem};
use crate::extract::Json;
use crate::models::buddy::evaluation::Feedback;
use crate::pagination::Page;
use crate::routes::problems;
use crate::state::AppState;

/// A pairing's end-of-pairing feedback (a student's or buddy's account:
/// only their own side).
#[utoipa::path(
    tag = "buddy",
    params(("id" = Uuid, Path, description = "Pairing id")),
    responses(
        (status = 200, description = "The feedback given so far (at most one per respondent)", body = Page<Feedback>),
        (status = 403, response = inline(problems::Forbidden)),
        (status = 404, response = inline(problems::NotFound)),
    )
)]
#[get("/buddy/pairings/{id}/feedback")]
pub async fn list_feedback(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    user.require(policy::BUDDY_SCHEME_READERS)?;
    let mut conn = user.conn(&state.pool).await?;
    let items = evaluation::feedback(&mut conn, &user.actor(), *id).await?;
    Ok(HttpResponse::Ok().json(Page {
        items,
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
        (status = 403, response = inline(problems::Forbidden)),
        (status = 404, response = inline(problems::NotFound)),
        (status = 409, description = "`pairing_not_ended` or `feedback_exists`", body = Problem, content_type = "application/problem+json"),
        (status = 422, response = inline(problems::Invalid)),
    )
)]
#[post("/buddy/pairings/{id}/feedback")]
pub async fn create_feedback(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
    body: Json<CreateFeedback>,
) -> ApiResult<HttpResponse> {
    user.require(policy::BUDDY_SCHEME_WRITERS)?;
    let id = id.into_inner();
    let mut conn = user.conn(&state.pool).await?;
    let created = evaluation::give_feedback(&mut conn, &user.actor(), id, body.0).await?;
    Ok(HttpResponse::Created()
        .insert_header((LOCATION, format!("/api/v1/buddy/pairings/{id}/feedback")))
        .json(created))
}
