//! `GET /api/v1/wards/{id}/measures-due`: which people on the ward have a
//! measure due, so the tablet can prompt.

use actix_web::{get, web, HttpResponse};
use uuid::Uuid;

use crate::auth::{policy, CurrentUser};
use crate::domain::measures::due::{self, MeasureDue};
use crate::error::ApiResult;
use crate::routes::problems;
use crate::state::AppState;

/// The measures due now for the people on a ward (by first contact, by
/// the weeks since their last answer, or before discharge); 404 when the
/// ward is not one of the caller's.
#[utoipa::path(
    tag = "measures",
    params(("id" = Uuid, Path, description = "Ward id")),
    responses(
        (status = 200, description = "Measures due", body = Vec<MeasureDue>),
        (status = 403, response = inline(problems::Forbidden)),
        (status = 404, response = inline(problems::NotFound)),
    )
)]
#[get("/wards/{id}/measures-due")]
pub async fn measures_due(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    user.require(policy::WARD_MEASURE_STAFF)?;
    let mut conn = user.conn(&state.pool).await?;
    Ok(HttpResponse::Ok().json(due::on_ward(&mut conn, &user.actor(), *id).await?))
}
