//! The scheme's evaluation report, as JSON or CSV for spreadsheets.

use actix_web::http::header::{ACCEPT, CONTENT_DISPOSITION, CONTENT_TYPE};
use actix_web::{get, web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::require_staff;
use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::Query;
use crate::models::buddy::report::{self, CohortReportRow};
use crate::state::AppState;

/// The media types a report comes in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ReportFormat {
    Json,
    Csv,
}

/// Parameters of `GET /api/v1/buddy/reports/cohorts`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CohortReportQuery {
    /// Only this cohort.
    pub cohort_id: Option<Uuid>,
    /// `csv` or `json`; without it, `Accept: text/csv` asks for CSV.
    pub format: Option<ReportFormat>,
}

/// The report as JSON.
#[derive(Debug, Serialize, ToSchema)]
pub struct CohortReport {
    /// One row per cohort and student discipline, by cohort name.
    pub rows: Vec<CohortReportRow>,
}

/// Which format the caller asked for: `format` wins, then `Accept`.
fn wanted_format(req: &HttpRequest, asked: Option<ReportFormat>) -> ReportFormat {
    asked.unwrap_or_else(|| {
        let accept = req
            .headers()
            .get(ACCEPT)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        if accept.contains("text/csv") {
            ReportFormat::Csv
        } else {
            ReportFormat::Json
        }
    })
}

/// Completion and withdrawal by cohort and discipline, meetings held
/// against planned, and average feedback ratings (coordinator, manager).
#[utoipa::path(
    tag = "buddy",
    params(CohortReportQuery),
    responses(
        (status = 200, description = "The report: JSON, or CSV with a header row (`?format=csv` or `Accept: text/csv`)",
            content(
                (CohortReport = "application/json"),
                (String = "text/csv"),
            )),
        (status = 403, description = "Not a coordinator or manager", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/buddy/reports/cohorts")]
pub async fn cohort_report(
    state: web::Data<AppState>,
    user: CurrentUser,
    req: HttpRequest,
    query: Query<CohortReportQuery>,
) -> ApiResult<HttpResponse> {
    require_staff(&user, false)?;
    let format = wanted_format(&req, query.format);
    let mut conn = crate::db::conn(&state.pool).await?;
    let rows = report::by_cohort(&mut conn, query.cohort_id).await?;
    match format {
        ReportFormat::Json => Ok(HttpResponse::Ok().json(CohortReport { rows })),
        ReportFormat::Csv => {
            let body = report::to_csv(&rows).map_err(ApiError::internal)?;
            Ok(HttpResponse::Ok()
                .insert_header((CONTENT_TYPE, "text/csv; charset=utf-8"))
                .insert_header((
                    CONTENT_DISPOSITION,
                    "attachment; filename=\"buddy-cohort-report.csv\"",
                ))
                .body(body))
        }
    }
}
