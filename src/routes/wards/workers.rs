//! `GET /api/v1/wards/{id}/workers`: who a worker can name as a co-worker
//! on a ward, and whose name to show beside a record.

use actix_web::{get, web, HttpResponse};
use uuid::Uuid;

use crate::auth::{CurrentUser, Role};
use crate::error::{ApiError, ApiResult, Problem};
use crate::models::ward::{self, WardWorker};
use crate::state::AppState;

/// Roles that read a ward's workers: those who work on or run wards.
/// (Integrations and the Buddy Scheme's roles have no use for them.)
const READERS: &[Role] = &[
    Role::PeerSupportWorker,
    Role::PeerTeamLeader,
    Role::WardStaff,
    Role::Manager,
    Role::Admin,
];

/// The active peer workers and team leaders on a ward, by name; 404 when
/// the ward is not one of the caller's.
#[utoipa::path(
    tag = "wards",
    params(("id" = Uuid, Path, description = "Ward id")),
    responses(
        (status = 200, description = "The ward's peer workers", body = Vec<WardWorker>),
        (status = 403, description = "Not a role that works on wards", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such ward, or not one of yours", body = Problem, content_type = "application/problem+json"),
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
