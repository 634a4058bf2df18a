//! `GET /api/v1/wards/{id}/workers`: who a worker can name as a co-worker
//! on a ward, and whose name to show beside a record.

use actix_web::{get, web, HttpResponse};
use uuid::Uuid;

use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiResult};
use crate::models::ward::{self, WardWorker};
use crate::routes::problems;
use crate::state::AppState;

use crate::auth::policy::WARD_WORKER_READERS as READERS;

/// The active peer workers and team leaders on a ward, by name; 404 when
/// the ward is not one of the caller's.
#[utoipa::path(
    tag = "wards",
    params(("id" = Uuid, Path, description = "Ward id")),
    responses(
        (status = 200, description = "The ward's peer workers", body = Vec<WardWorker>),
        (status = 403, response = inline(problems::Forbidden)),
        (status = 404, response = inline(problems::NotFound)),
    )
)]
#[get("/wards/{id}/workers")]
pub async fn list_ward_workers(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    user.require(READERS)?;
    let mut conn = user.conn(&state.pool).await?;
    ward::find(&mut conn, *id, &user.ward_scope())
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok(HttpResponse::Ok().json(ward::workers(&mut conn, *id).await?))
}
