//! `/api/v1/ward-figures`: ward-level figures per month from the trust's
//! other systems (restraint incidents, occupied bed days, discharges),
//! loaded as JSON or CSV and read back for a period.

use actix_web::http::header::CONTENT_TYPE;
use actix_web::{get, put, web, HttpRequest, HttpResponse};

use crate::auth::policy::{REPORTERS, WARD_FIGURE_LOADERS};
use crate::auth::CurrentUser;
use crate::domain::ward_figures::{self, WardFiguresLoad, WardFiguresLoaded};
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::Query;
use crate::models::ward_figures::WardFigures;
use crate::routes::problems;
use crate::routes::reports::PeriodQuery;
use crate::state::AppState;

/// Loads ward figures (manager, integration): JSON `{"rows": [...]}`, or a
/// CSV file (`Content-Type: text/csv`) whose first line is
/// `ward_code,month,restraint_incidents,occupied_bed_days,discharges`.
/// Idempotent by ward and month (a load replaces those months); all or
/// nothing: every bad row is named (`rows[2].month`, or `lines[3].month` by
/// CSV line number) and nothing is written.
#[utoipa::path(
    tag = "reports",
    request_body(content(
        (WardFiguresLoad = "application/json"),
        (String = "text/csv", example = "ward_code,month,restraint_incidents,occupied_bed_days,discharges\nADULT-ASH,2026-10,3,540,4\n"),
    )),
    responses(
        (status = 200, description = "Loaded", body = WardFiguresLoaded),
        (status = 403, response = inline(problems::Forbidden)),
        (status = 415, description = "Neither JSON nor CSV", body = Problem, content_type = "application/problem+json"),
        (status = 422, response = inline(problems::Invalid)),
    )
)]
#[put("/ward-figures")]
pub async fn load_ward_figures(
    state: web::Data<AppState>,
    user: CurrentUser,
    req: HttpRequest,
    body: web::Bytes,
) -> ApiResult<HttpResponse> {
    user.require(WARD_FIGURE_LOADERS)?;
    let kind = req
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    let mut conn = user.conn(&state.pool).await?;
    let loaded = if kind.starts_with("text/csv") {
        ward_figures::load_csv(&mut conn, &user.actor(), &body).await?
    } else if kind.starts_with("application/json") {
        let load: WardFiguresLoad = crate::extract::parse_json(&body)?;
        ward_figures::load_json(&mut conn, &user.actor(), load).await?
    } else {
        return Err(ApiError::UnsupportedMediaType);
    };
    Ok(HttpResponse::Ok().json(loaded))
}

/// The loaded figures of a period's months (managers; team leaders for
/// their wards).
#[utoipa::path(
    tag = "reports",
    params(PeriodQuery),
    responses(
        (status = 200, description = "The months loaded", body = Vec<WardFigures>),
        (status = 403, response = inline(problems::Forbidden)),
        (status = 404, response = inline(problems::NotFound)),
        (status = 422, response = inline(problems::Invalid)),
    )
)]
#[get("/ward-figures")]
pub async fn list_ward_figures(
    state: web::Data<AppState>,
    user: CurrentUser,
    query: Query<PeriodQuery>,
) -> ApiResult<HttpResponse> {
    user.require(REPORTERS)?;
    let period = query.period(&user)?;
    let mut conn = user.conn(&state.pool).await?;
    let rows = ward_figures::list(&mut conn, period.from, period.to, period.wards).await?;
    Ok(HttpResponse::Ok().json(rows))
}
