//! `/api/v1/buddy/reports/cohorts`: the scheme's evaluation report, as JSON
//! or CSV for spreadsheets.

use actix_web::{get, web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::auth::{policy, CurrentUser};
use crate::domain::buddy::reports;
use crate::error::ApiResult;
use crate::extract::Query;
use crate::models::buddy::report::CohortReportRow;
use crate::report_format::{csv_response, wanted_format, ReportFormat};
use crate::routes::problems;
use crate::state::AppState;

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
        (status = 403, response = inline(problems::Forbidden)),
    )
)]
#[get("/buddy/reports/cohorts")]
pub async fn cohort_report(
    state: web::Data<AppState>,
    user: CurrentUser,
    req: HttpRequest,
    query: Query<CohortReportQuery>,
) -> ApiResult<HttpResponse> {
    user.require(policy::BUDDY_DIRECTORY_READERS)?;
    let format = wanted_format(&req, query.format);
    let mut conn = user.read_conn(&state).await?;
    let rows = reports::by_cohort(&mut conn, query.cohort_id).await?;
    match format {
        ReportFormat::Json => Ok(HttpResponse::Ok().json(CohortReport { rows })),
        ReportFormat::Csv => csv_response(&rows, "buddy-cohort-report.csv"),
    }
}
