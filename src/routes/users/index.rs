//! `/api/v1/users`: listing accounts and creating one.

use actix_web::http::header::LOCATION;
use actix_web::{get, post, web, HttpResponse};
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

use crate::auth::policy;
use crate::auth::{CurrentUser, Role};
use crate::domain::users::{self, CreateUser};
use crate::error::{ApiResult, Problem};
use crate::extract::{Json, Query};
use crate::models::user::{self, User, UserFilter};
use crate::pagination::{Page, PageParams};
use crate::routes::problems;
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
        (status = 400, response = inline(problems::BadQuery)),
        (status = 403, response = inline(problems::Forbidden)),
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

/// Creates an account (admin).
#[utoipa::path(
    tag = "users",
    request_body = CreateUser,
    responses(
        (status = 201, description = "Created", body = User),
        (status = 403, response = inline(problems::Forbidden)),
        (status = 409, description = "Username taken", body = Problem, content_type = "application/problem+json"),
        (status = 422, response = inline(problems::Invalid)),
    )
)]
#[post("/users")]
pub async fn create_user(
    state: web::Data<AppState>,
    caller: CurrentUser,
    body: Json<CreateUser>,
) -> ApiResult<HttpResponse> {
    caller.require(policy::ADMINS)?;
    let mut conn = caller.conn(&state.pool).await?;
    let created = users::create(&mut conn, &caller.actor(), body.0).await?;
    Ok(HttpResponse::Created()
        .insert_header((LOCATION, format!("/api/v1/users/{}", created.id)))
        .json(created))
}
