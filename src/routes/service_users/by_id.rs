//! `/api/v1/service-users/{id}`: `GET` reads one service user's record.

use actix_web::{get, web, HttpResponse};
use uuid::Uuid;

use crate::auth::{policy, CurrentUser};
use crate::domain::service_users;
use crate::error::{ApiResult, Problem};
use crate::models::service_user::ServiceUser;
use crate::routes::problems;
use crate::state::AppState;

/// One service user's record, NHS number included. Audited.
#[utoipa::path(
    tag = "service-users",
    params(("id" = Uuid, Path, description = "Service user id")),
    responses(
        (status = 200, description = "The record", body = ServiceUser),
        (status = 403, response = inline(problems::Forbidden)),
        (status = 404, response = inline(problems::NotFound)),
        (status = 405, description = "The path holds a trust reference rather than an id: only PUT takes references (see `Allow`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/service-users/{id}")]
pub async fn get_service_user(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    user.require(policy::ACTIVITY_READERS)?;
    let mut conn = user.conn(&state.pool).await?;
    let found = service_users::get(&mut conn, &user.actor(), *id).await?;
    Ok(HttpResponse::Ok().json(found))
}
