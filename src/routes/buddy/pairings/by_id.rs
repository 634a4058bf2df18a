//! `/api/v1/buddy/pairings/{id}`: one pairing the caller may see.

use actix_web::{get, web, HttpResponse};
use uuid::Uuid;

use crate::auth::{policy, CurrentUser};
use crate::domain::buddy::pairings;
use crate::error::ApiResult;
use crate::models::buddy::pairing::Pairing;
use crate::routes::problems;
use crate::state::AppState;

/// One pairing; 404 when it is not one the caller may see.
#[utoipa::path(
    tag = "buddy",
    params(("id" = Uuid, Path, description = "Pairing id")),
    responses(
        (status = 200, description = "The pairing", body = Pairing),
        (status = 403, response = inline(problems::Forbidden)),
        (status = 404, response = inline(problems::NotFound)),
    )
)]
#[get("/buddy/pairings/{id}")]
pub async fn get_pairing(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    user.require(policy::BUDDY_SCHEME_READERS)?;
    let mut conn = user.conn(&state.pool).await?;
    let found = pairings::get(&mut conn, &user.actor(), *id).await?;
    Ok(HttpResponse::Ok().json(found))
}
