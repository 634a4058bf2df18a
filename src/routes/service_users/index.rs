//! `/api/v1/service-users`: `GET` lists service users.

use actix_web::{get, web, HttpResponse};
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

use crate::auth::{policy, CurrentUser};
use crate::domain::service_users;
use crate::error::ApiResult;
use crate::extract::Query;
use crate::models::service_user::{ServiceUserFilter, ServiceUserSummary};
use crate::pagination::{Page, PageParams};
use crate::routes::problems;
use crate::state::AppState;

/// Filters for `GET /api/v1/service-users`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ServiceUserListQuery {
    /// Only people on (or discharged from) this ward.
    pub ward_id: Option<Uuid>,
    /// `false`: only those still on the ward; `true`: only discharged.
    pub discharged: Option<bool>,
}

/// Service users on the caller's wards, by display label. No NHS numbers.
#[utoipa::path(
    tag = "service-users",
    params(ServiceUserListQuery, PageParams),
    responses(
        (status = 200, description = "A page of service users", body = Page<ServiceUserSummary>),
        (status = 400, response = inline(problems::BadQuery)),
        (status = 403, response = inline(problems::Forbidden)),
    )
)]
#[get("/service-users")]
pub async fn list_service_users(
    state: web::Data<AppState>,
    user: CurrentUser,
    query: Query<ServiceUserListQuery>,
    page: Query<PageParams>,
) -> ApiResult<HttpResponse> {
    user.require(policy::ACTIVITY_READERS)?;
    let limit = page.limit()?;
    let after: Option<(String, Uuid)> = page.after()?;
    let filter = ServiceUserFilter {
        ward_id: query.ward_id,
        discharged: query.discharged,
    };
    let mut conn = user.conn(&state.pool).await?;
    let page = service_users::list(&mut conn, &user.actor(), &filter, after, limit).await?;
    Ok(HttpResponse::Ok().json(page))
}
