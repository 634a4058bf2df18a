//! `GET /api/v1/me`: who the caller is, as the server sees them now.

use actix_web::{get, web, HttpResponse};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::auth::{CurrentUser, Role};
use crate::error::{ApiResult, Problem};
use crate::models::ward::{self, Ward};
use crate::state::AppState;

/// The signed-in user.
#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    pub id: Uuid,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    /// The wards the user is assigned to.
    pub wards: Vec<Ward>,
    /// True for roles that see every ward (manager, admin, integration).
    pub sees_all_wards: bool,
}

/// The caller's account, role and wards.
#[utoipa::path(
    tag = "auth",
    responses(
        (status = 200, description = "The caller", body = Me),
        (status = 401, description = "No valid access token", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/me")]
pub async fn me(state: web::Data<AppState>, user: CurrentUser) -> ApiResult<HttpResponse> {
    let mut conn = user.conn(&state.pool).await?;
    let wards = ward::by_ids(&mut conn, &user.ward_ids).await?;
    let sees_all_wards = user.ward_scope() == crate::auth::WardScope::All;
    Ok(HttpResponse::Ok().json(Me {
        id: user.id,
        username: user.username,
        display_name: user.display_name,
        role: user.role,
        wards,
        sees_all_wards,
    }))
}
