//! Listing and reading wards.

use actix_web::{get, web, HttpResponse};
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::Query;
use crate::models::ward::{self, ServiceLine, Ward, WardFilter};
use crate::pagination::{Page, PageParams};
use crate::state::AppState;

/// Filters for `GET /api/v1/wards`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct WardListQuery {
    /// Only wards of this service line.
    pub service_line: Option<ServiceLine>,
    /// Only active (true) or inactive (false) wards.
    pub active: Option<bool>,
}

/// Lists the wards the caller may see, in code order.
#[utoipa::path(
    tag = "wards",
    params(WardListQuery, PageParams),
    responses(
        (status = 200, description = "A page of wards", body = Page<Ward>),
        (status = 400, description = "Bad query parameter", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/wards")]
pub async fn list_wards(
    state: web::Data<AppState>,
    user: CurrentUser,
    query: Query<WardListQuery>,
    page: Query<PageParams>,
) -> ApiResult<HttpResponse> {
    let limit = page.limit()?;
    let after: Option<String> = page.after()?;
    let filter = WardFilter {
        service_line: query.service_line,
        active: query.active,
    };
    let mut conn = user.conn(&state.pool).await?;
    let rows = ward::list(
        &mut conn,
        &user.ward_scope(),
        &filter,
        after.as_deref(),
        limit,
    )
    .await?;
    Ok(HttpResponse::Ok().json(Page::from_rows(rows, limit, |w| w.code.clone())))
}

/// One ward; 404 when it does not exist or is outside the caller's wards.
#[utoipa::path(
    tag = "wards",
    params(("id" = Uuid, Path, description = "Ward id")),
    responses(
        (status = 200, description = "The ward", body = Ward),
        (status = 404, description = "No such ward, or not one of yours", body = Problem, content_type = "application/problem+json"),
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
