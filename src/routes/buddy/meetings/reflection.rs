//! `/api/v1/buddy/meetings/{id}/reflection`: the student's reflection on a
//! held meeting.

use actix_web::http::header::LOCATION;
use actix_web::{get, post, web, HttpResponse};
use uuid::Uuid;

use crate::auth::{policy, CurrentUser};
use crate::domain::buddy::evaluation::{self, CreateReflection};
use crate::error::{ApiResult, Problem};
use crate::extract::Json;
use crate::models::buddy::evaluation::Reflection;
use crate::routes::problems;
use crate::state::AppState;

/// The reflection on a meeting.
#[utoipa::path(
    tag = "buddy",
    params(("id" = Uuid, Path, description = "Meeting id")),
    responses(
        (status = 200, description = "The reflection", body = Reflection),
        (status = 403, response = inline(problems::Forbidden)),
        (status = 404, response = inline(problems::NotFound)),
    )
)]
#[get("/buddy/meetings/{id}/reflection")]
pub async fn get_reflection(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    user.require(policy::BUDDY_SCHEME_READERS)?;
    let mut conn = user.conn(&state.pool).await?;
    let found = evaluation::reflection(&mut conn, &user.actor(), *id).await?;
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
        (status = 403, response = inline(problems::Forbidden)),
        (status = 404, response = inline(problems::NotFound)),
        (status = 409, description = "`meeting_not_held` or `reflection_exists`", body = Problem, content_type = "application/problem+json"),
        (status = 422, response = inline(problems::Invalid)),
    )
)]
#[post("/buddy/meetings/{id}/reflection")]
pub async fn create_reflection(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
    body: Json<CreateReflection>,
) -> ApiResult<HttpResponse> {
    user.require(policy::BUDDY_SCHEME_WRITERS)?;
    let id = id.into_inner();
    let mut conn = user.conn(&state.pool).await?;
    let created = evaluation::reflect(&mut conn, &user.actor(), id, body.0).await?;
    Ok(HttpResponse::Created()
        .insert_header((LOCATION, format!("/api/v1/buddy/meetings/{id}/reflection")))
        .json(created))
}
