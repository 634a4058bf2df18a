//! `/api/v1/wards/{id}`: reading and changing one ward.

use actix_web::{get, patch, web, HttpResponse};
use uuid::Uuid;

use crate::auth::policy;
use crate::auth::CurrentUser;
use crate::domain::wards::{self, UpdateWard};
use crate::error::{ApiError, ApiResult};
use crate::extract::Json;
use crate::models::ward::{self, Ward};
use crate::routes::problems;
use crate::state::AppState;

/// One ward; 404 when it does not exist or is outside the caller's wards.
#[utoipa::path(
    tag = "wards",
    params(("id" = Uuid, Path, description = "Ward id")),
    responses(
        (status = 200, description = "The ward", body = Ward),
        (status = 404, response = inline(problems::NotFound)),
    )
)]
#[get("/wards/{id}")]
pub async fn get_ward(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let mut conn = user.conn(&state.pool).await?;
    let ward = ward::find(&mut conn, *id, &user.ward_scope())
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok(HttpResponse::Ok().json(ward))
}

/// Changes a ward's name, service line or active flag (admin).
#[utoipa::path(
    tag = "wards",
    params(("id" = Uuid, Path, description = "Ward id")),
    request_body = UpdateWard,
    responses(
        (status = 200, description = "Updated", body = Ward),
        (status = 403, response = inline(problems::Forbidden)),
        (status = 404, response = inline(problems::NotFound)),
        (status = 422, response = inline(problems::Invalid)),
    )
)]
#[patch("/wards/{id}")]
pub async fn update_ward(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
    body: Json<UpdateWard>,
) -> ApiResult<HttpResponse> {
    user.require(policy::ADMINS)?;
    let mut conn = user.conn(&state.pool).await?;
    let updated = wards::update(&mut conn, &user.actor(), id.into_inner(), body.0).await?;
    Ok(HttpResponse::Ok().json(updated))
}
