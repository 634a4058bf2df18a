//! `/api/v1/buddy/pairings/{id}/status`: moving a pairing through its life
//! (the state machine is `domain::buddy::pairings`).

use actix_web::{post, web, HttpResponse};
use uuid::Uuid;

use crate::auth::{policy, CurrentUser};
use crate::domain::buddy::pairings::{self, PairingTransition};
use crate::error::{ApiResult, Problem};
use crate::extract::Json;
use crate::models::buddy::pairing::Pairing;
use crate::routes::problems;
use crate::state::AppState;

/// Changes a pairing's status (coordinator). Activating re-checks the
/// buddy's registration and capacity and the student's one active pairing;
/// withdrawing cancels the meetings still planned. A pairing completes by
/// itself when its planned number of meetings is held; `completed` asked
/// for before then is refused.
#[utoipa::path(
    tag = "buddy",
    params(("id" = Uuid, Path, description = "Pairing id")),
    request_body = PairingTransition,
    responses(
        (status = 200, description = "The pairing, moved on", body = Pairing),
        (status = 403, response = inline(problems::Forbidden)),
        (status = 404, response = inline(problems::NotFound)),
        (status = 409, description = "`invalid_transition`, `meeting_series_incomplete`, `buddy_at_capacity` or `student_already_paired`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, or `buddy_not_registered_volunteer`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/buddy/pairings/{id}/status")]
pub async fn transition_pairing(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
    body: Json<PairingTransition>,
) -> ApiResult<HttpResponse> {
    user.require(policy::BUDDY_DIRECTORY_WRITERS)?;
    let mut conn = user.conn(&state.pool).await?;
    let updated = pairings::transition(&mut conn, &user.actor(), id.into_inner(), body.0).await?;
    Ok(HttpResponse::Ok().json(updated))
}
