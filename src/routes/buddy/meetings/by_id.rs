//! `/api/v1/buddy/meetings/{id}`: one meeting, rescheduling it, and
//! recording its outcome (a held series completes its pairing).

use actix_web::{get, patch, web, HttpResponse};
use uuid::Uuid;

use crate::auth::{policy, CurrentUser};
use crate::domain::buddy::meetings::{self, UpdateMeeting};
use crate::error::{ApiResult, Problem};
use crate::extract::Json;
use crate::models::buddy::meeting::Meeting;
use crate::routes::problems;
use crate::state::AppState;

/// One meeting.
#[utoipa::path(
    tag = "buddy",
    params(("id" = Uuid, Path, description = "Meeting id")),
    responses(
        (status = 200, description = "The meeting", body = Meeting),
        (status = 403, response = inline(problems::Forbidden)),
        (status = 404, response = inline(problems::NotFound)),
    )
)]
#[get("/buddy/meetings/{id}")]
pub async fn get_meeting(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    user.require(policy::BUDDY_SCHEME_READERS)?;
    let mut conn = user.conn(&state.pool).await?;
    let found = meetings::get(&mut conn, &user.actor(), *id).await?;
    Ok(HttpResponse::Ok().json(found))
}

/// Reschedules a planned meeting or records its outcome (coordinator, or
/// the pairing's own student or buddy).
#[utoipa::path(
    tag = "buddy",
    params(("id" = Uuid, Path, description = "Meeting id")),
    request_body = UpdateMeeting,
    responses(
        (status = 200, description = "Updated", body = Meeting),
        (status = 403, response = inline(problems::Forbidden)),
        (status = 404, response = inline(problems::NotFound)),
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
    user.require(policy::BUDDY_SCHEME_WRITERS)?;
    let mut conn = user.conn(&state.pool).await?;
    let updated = meetings::update(
        &mut conn,
        &user.actor(),
        id.into_inner(),
        body.0,
        &state.config.meeting_link_hosts,
    )
    .await?;
    Ok(HttpResponse::Ok().json(updated))
}
