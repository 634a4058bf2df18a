//! `/api/v1/tablets/{id}`: relabelling and revoking one tablet.

use actix_web::{patch, post, web, HttpResponse};
use uuid::Uuid;

use crate::auth::policy;
use crate::auth::CurrentUser;
use crate::domain::tablets::{self, TabletUpdate};
use crate::error::{ApiResult, Problem};
use crate::extract::Json;
use crate::models::tablet::Tablet;
use crate::routes::problems;
use crate::state::AppState;

/// Renames a tablet or changes its ward (admin).
#[utoipa::path(
    tag = "tablets",
    params(("id" = Uuid, Path, description = "Tablet id")),
    request_body = TabletUpdate,
    responses(
        (status = 200, description = "Updated", body = Tablet),
        (status = 403, response = inline(problems::Forbidden)),
        (status = 404, response = inline(problems::NotFound)),
        (status = 422, response = inline(problems::Invalid)),
    )
)]
#[patch("/tablets/{id}")]
pub async fn update_tablet(
    state: web::Data<AppState>,
    caller: CurrentUser,
    id: web::Path<Uuid>,
    body: Json<TabletUpdate>,
) -> ApiResult<HttpResponse> {
    caller.require(policy::ADMINS)?;
    let mut conn = caller.conn(&state.pool).await?;
    let updated = tablets::update(&mut conn, &caller.actor(), id.into_inner(), body.0).await?;
    Ok(HttpResponse::Ok().json(updated))
}

/// Revokes a tablet (admin), e.g. when it is lost: its secret is
/// forgotten at once, and from its next sign-in it is an unknown device,
/// throttled with its address. To use it as a known device again, create
/// and enrol it anew.
#[utoipa::path(
    tag = "tablets",
    params(("id" = Uuid, Path, description = "Tablet id")),
    responses(
        (status = 200, description = "Revoked", body = Tablet),
        (status = 403, response = inline(problems::Forbidden)),
        (status = 404, response = inline(problems::NotFound)),
        (status = 409, description = "`already_revoked`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/tablets/{id}/revoke")]
pub async fn revoke_tablet(
    state: web::Data<AppState>,
    caller: CurrentUser,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    caller.require(policy::ADMINS)?;
    let mut conn = caller.conn(&state.pool).await?;
    let revoked = tablets::revoke(&mut conn, &caller.actor(), id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(revoked))
}
