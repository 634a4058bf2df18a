//! Listing and reading accounts.

use actix_web::{get, web, HttpResponse};
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

use crate::auth::policy;
use crate::auth::{CurrentUser, Role};
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::Query;
use crate::models::user::{self, User, UserFilter};
use crate::pagination::{Page, PageParams};
use crate::state::AppState;

/// Filters for `GET /api/v1/users`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UserListQuery {
    /// Only users with this role.
    pub role: Option<Role>,
    /// Only active (true) or disabled (false) accounts.
    pub active: Option<bool>,
    /// Only users assigned to this ward.
    pub ward_id: Option<Uuid>,
}

/// Lists accounts in username order (admin).
#[utoipa::path(
    tag = "users",
    params(UserListQuery, PageParams),
    responses(
        (status = 200, description = "A page of users", body = Page<User>),
        (status = 400, description = "Bad query parameter", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an admin", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/users")]
pub async fn list_users(
    state: web::Data<AppState>,
    caller: CurrentUser,
    query: Query<UserListQuery>,
    page: Query<PageParams>,
) -> ApiResult<HttpResponse> {
    caller.require(policy::ADMINS)?;
    let limit = page.limit()?;
    let after: Option<String> = page.after()?;
    let filter = UserFilter {
        role: query.role,
        active: query.active,
        ward_id: query.ward_id,
    };
    let mut conn = caller.conn(&state.pool).await?;
    let rows = user::list(&mut conn, &filter, after.as_deref(), limit).await?;
    Ok(HttpResponse::Ok().json(Page::from_rows(rows, limit, |u| u.username.clone())))
}

/// One account (admin).
#[utoipa::path(
    tag = "users",
    params(("id" = Uuid, Path, description = "User id")),
    responses(
        (status = 200, description = "The user", body = User),
        (status = 403, description = "Not an admin", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such user", body = Problem, content_type = "application/problem+json"),
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
