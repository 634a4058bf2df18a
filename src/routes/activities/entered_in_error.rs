//! `/api/v1/activities/{id}/entered-in-error`: voiding, not deleting.

use actix_web::http::header::ETAG;
use actix_web::{post, web, HttpRequest, HttpResponse};
use uuid::Uuid;

use crate::auth::{policy, CurrentUser};
use crate::domain::activities::entered_in_error;
use crate::domain::activities::VoidRequest;
use crate::error::{ApiResult, Problem};
use crate::extract::{if_match, Json};
use crate::models::activity::Activity;
use crate::routes::problems;
use crate::state::AppState;

/// Marks an activity entered in error, with a reason. It stays readable
/// and in its history but leaves default lists and reports. `If-Match` is
/// optional here; when sent, a stale one is refused.
#[utoipa::path(
    tag = "activities",
    params(
        ("id" = Uuid, Path, description = "Activity id"),
        ("If-Match" = Option<String>, Header, description = "Optional: the ETag you saw"),
    ),
    request_body = VoidRequest,
    responses(
        (status = 200, description = "Marked entered in error", body = Activity, headers(("ETag" = String))),
        (status = 403, response = inline(problems::Forbidden)),
        (status = 404, response = inline(problems::NotFound)),
        (status = 409, description = "Already entered in error", body = Problem, content_type = "application/problem+json"),
        (status = 412, response = inline(problems::Stale)),
    )
)]
#[post("/activities/{id}/entered-in-error")]
pub async fn void_activity(
    state: web::Data<AppState>,
    user: CurrentUser,
    req: HttpRequest,
    id: web::Path<Uuid>,
    body: Json<VoidRequest>,
) -> ApiResult<HttpResponse> {
    user.require(policy::ACTIVITY_RECORDERS)?;
    let mut conn = user.conn(&state.pool).await?;
    let voided = entered_in_error::void(
        &mut conn,
        &user.actor(),
        *id,
        if_match(&req).as_deref(),
        body.0,
    )
    .await?;
    Ok(HttpResponse::Ok()
        .insert_header((ETAG, voided.etag()))
        .json(voided))
}
