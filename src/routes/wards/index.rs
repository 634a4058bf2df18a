//! `/api/v1/wards`: listing wards and creating one.

use actix_web::http::header::LOCATION;
use actix_web::{get, post, web, HttpResponse};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::policy;
use crate::auth::CurrentUser;
use crate::domain::wards::{self, CreateWard};
use crate::error::{ApiResult, Problem};
use crate::extract::{Json, Query};
use crate::models::ward::{self, ServiceLine, Ward, WardFilter};
use crate::pagination::{Page, PageParams};
use crate::routes::problems;
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
        (status = 400, response = inline(problems::BadQuery)),
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

/// Creates a ward (admin).
#[utoipa::path(
    tag = "wards",
    request_body = CreateWard,
    responses(
        (status = 201, description = "Created", body = Ward),
        (status = 403, response = inline(problems::Forbidden)),
        (status = 409, description = "A ward with that code exists", body = Problem, content_type = "application/problem+json"),
        (status = 422, response = inline(problems::Invalid)),
    )
)]
#[post("/wards")]
pub async fn create_ward(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: Json<CreateWard>,
) -> ApiResult<HttpResponse> {
    user.require(policy::ADMINS)?;
    let mut conn = user.conn(&state.pool).await?;
    let created = wards::create(&mut conn, &user.actor(), body.0).await?;
    Ok(HttpResponse::Created()
        .insert_header((LOCATION, format!("/api/v1/wards/{}", created.id)))
        .json(created))
}
