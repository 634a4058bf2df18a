//! `/api/v1/users/{id}`: reading and changing one account.

use actix_web::{get, patch, web, HttpResponse};
use uuid::Uuid;

use crate::auth::policy;
use crate::auth::CurrentUser;
use crate::domain::users::{self, UpdateUser};
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::Json;
use crate::models::user::{self, User};
use crate::routes::problems;
use crate::state::AppState;

/// One account (admin).
#[utoipa::path(
    tag = "users",
    params(("id" = Uuid, Path, description = "User id")),
    responses(
        (status = 200, description = "The user", body = User),
        (status = 403, response = inline(problems::Forbidden)),
        (status = 404, response = inline(problems::NotFound)),
    )
)]
#[get("/users/{id}")]
pub async fn get_user(
    state: web::Data<AppState>,
    caller: CurrentUser,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    caller.require(policy::ADMINS)?;
    let mut conn = caller.conn(&state.pool).await?;
    let found = user::find(&mut conn, *id)
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok(HttpResponse::Ok().json(found))
}

/// Changes an account (admin). An admin cannot disable their own account
/// or take away their own admin role, so the trust is never locked out.
#[utoipa::path(
    tag = "users",
    params(("id" = Uuid, Path, description = "User id")),
    request_body = UpdateUser,
    responses(
        (status = 200, description = "Updated", body = User),
        (status = 403, response = inline(problems::Forbidden)),
        (status = 404, response = inline(problems::NotFound)),
        (status = 409, description = "`external_id_taken`: another account is linked to this identity", body = Problem, content_type = "application/problem+json"),
        (status = 422, response = inline(problems::Invalid)),
    )
)]
#[patch("/users/{id}")]
pub async fn update_user(
    state: web::Data<AppState>,
    caller: CurrentUser,
    id: web::Path<Uuid>,
    body: Json<UpdateUser>,
) -> ApiResult<HttpResponse> {
    caller.require(policy::ADMINS)?;
    let mut conn = caller.conn(&state.pool).await?;
    let updated = users::update(&mut conn, &caller.actor(), id.into_inner(), body.0).await?;
    Ok(HttpResponse::Ok().json(updated))
}
