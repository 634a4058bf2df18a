//! `/api/v1/users/{id}/wards`: the wards an account is assigned to.

use actix_web::{put, web, HttpResponse};
use uuid::Uuid;

use crate::auth::policy;
use crate::auth::CurrentUser;
use crate::domain::users::{self, SetWards};
use crate::error::{ApiResult, Problem};
use crate::extract::Json;
use crate::models::user::User;
use crate::routes::problems;
use crate::state::AppState;

/// Replaces the wards a user is assigned to (admin). Takes effect on the
/// user's next request.
#[utoipa::path(
    tag = "users",
    params(("id" = Uuid, Path, description = "User id")),
    request_body = SetWards,
    responses(
        (status = 200, description = "Assignments replaced", body = User),
        (status = 403, response = inline(problems::Forbidden)),
        (status = 404, response = inline(problems::NotFound)),
        (status = 422, description = "Unknown ward", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/users/{id}/wards")]
pub async fn set_user_wards(
    state: web::Data<AppState>,
    caller: CurrentUser,
    id: web::Path<Uuid>,
    body: Json<SetWards>,
) -> ApiResult<HttpResponse> {
    caller.require(policy::ADMINS)?;
    let mut conn = caller.conn(&state.pool).await?;
    let updated =
        users::set_wards(&mut conn, &caller.actor(), id.into_inner(), body.0.ward_ids).await?;
    Ok(HttpResponse::Ok().json(updated))
}
