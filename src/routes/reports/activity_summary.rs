//! `GET /api/v1/reports/activity-summary`.

use actix_web::{get, web, HttpRequest, HttpResponse};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{file_name, PeriodQuery, MAX_DAYS, MAX_DAYS_BY_MONTH};
use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::Query;
use crate::models::report::{self, Dimension, SummaryRow};
use crate::report_format::{csv_columns, wanted_format, ReportFormat};
use crate::routes::problems;
use crate::state::AppState;

/// How to group the summary.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct GroupByQuery {
    /// Comma-separated, in the order wanted, any of `ward`, `service_line`,
    /// `kind`, `worker`, `week`, `month`; without it, one row for the
    /// whole period.
    #[param(example = "ward,month")]
    pub group_by: Option<String>,
}

impl GroupByQuery {
    /// The dimensions asked for, each at most once.
    fn dimensions(&self) -> ApiResult<Vec<Dimension>> {
        let mut dims = Vec::new();
        for name in self.group_by.as_deref().unwrap_or("").split(',') {
            let name = name.trim();
            if name.is_empty() {
                continue;
            }
            let dim = Dimension::parse(name).ok_or_else(|| {
                ApiError::field(
                    "group_by",
                    "not_allowed",
                    format!("`{name}` is not one of ward, service_line, kind, worker, week, month"),
                )
            })?;
            if dims.contains(&dim) {
                return Err(ApiError::field(
                    "group_by",
                    "duplicate",
                    format!("`{name}` is named twice"),
                ));
            }
            dims.push(dim);
        }
        Ok(dims)
    }
}

/// The activity summary as JSON.
#[derive(Debug, Serialize, ToSchema)]
pub struct ActivitySummary {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub group_by: Vec<Dimension>,
    pub rows: Vec<SummaryRow>,
}

/// Activities, minutes, distinct service users supported and distinct
/// peer workers (recorders and co-workers), grouped by any of ward,
/// service line, kind, worker, Europe/London week (from Monday) or month
/// (manager; team leader for their wards).
///
/// The period is Europe/London local dates, `from` inclusive, `to`
/// exclusive: an activity at 23:30 UTC on 31 March in summer time falls on
/// 1 April. Entered-in-error records never count; an amended record counts
/// once, as amended. Distinct counts are per group, so they do not add up
/// across rows; grouped by worker, an activity counts under each worker
/// who took part. Groups with no activity are left out. Grouped by month
/// (and not by week), a period may run up to ten years.
#[utoipa::path(
    tag = "reports",
    params(PeriodQuery, GroupByQuery),
    responses(
        (status = 200, description = "The report: JSON, or CSV with a header row (`?format=csv` or `Accept: text/csv`)",
            content((ActivitySummary = "application/json"), (String = "text/csv"))),
        (status = 403, response = inline(problems::Forbidden)),
        (status = 404, response = inline(problems::NotFound)),
        (status = 422, description = "Bad `group_by`; `to` not after `from`, or more than 366 days after (ten years when grouped by month and not by week)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/reports/activity-summary")]
pub async fn activity_summary_report(
    state: web::Data<AppState>,
    user: CurrentUser,
    req: HttpRequest,
    query: Query<PeriodQuery>,
    grouping: Query<GroupByQuery>,
) -> ApiResult<HttpResponse> {
    let dims = grouping.dimensions()?;
    // Read by month from the rollups, a long trend stays fast.
    let by_month = dims.contains(&Dimension::Month) && !dims.contains(&Dimension::Week);
    let period = query.period_up_to(
        &user,
        if by_month {
            MAX_DAYS_BY_MONTH
        } else {
            MAX_DAYS
        },
    )?;
    let mut conn = user.read_conn(&state).await?;
    let rows = report::activity_summary(&mut conn, &period, &dims).await?;
    match wanted_format(&req, query.format) {
        ReportFormat::Json => Ok(HttpResponse::Ok().json(ActivitySummary {
            from: query.from,
            to: query.to,
            group_by: dims,
            rows,
        })),
        ReportFormat::Csv => csv_columns(
            &SummaryRow::columns(&dims),
            &rows,
            &file_name("activity-summary", query.from, query.to),
        ),
    }
}
