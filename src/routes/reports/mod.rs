//! `/api/v1/reports/…`: what managers pull, as JSON or CSV. A `manager`
//! reports on every ward, a `peer_team_leader` on their own wards (another
//! ward answers 404, and a report without `ward_id` covers only theirs);
//! other roles are refused (403).
//!
//! Periods are Europe/London local dates, `from` inclusive and `to`
//! exclusive, at most 366 days; the activity summary grouped by month (and
//! not by week) covers up to ten years, for trends since the pilot began. Entered-in-error records never count; an
//! amended record counts once, as amended.

pub mod activity_summary;
pub mod board;
pub mod de_escalation;
pub mod escorted_leave;
pub mod groups;
pub mod impact;
pub mod overview;

use actix_web::{HttpRequest, HttpResponse};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::auth::policy::REPORTERS;
use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiResult};
use crate::models::report::{self, KindReport, Period};
use crate::report_format::{csv_response, wanted_format, ReportFormat};
use crate::state::AppState;

/// The longest period one report covers, in days.
const MAX_DAYS: i64 = 366;
/// The longest period of a report read by month from the daily rollups
/// (the activity summary grouped by month): ten years.
const MAX_DAYS_BY_MONTH: i64 = 3653;

/// The period and wards of a report.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PeriodQuery {
    /// First Europe/London local date included, e.g. `2026-04-01`.
    pub from: NaiveDate,
    /// First Europe/London local date not included, e.g. `2026-05-01`;
    /// after `from`, at most 366 days later.
    pub to: NaiveDate,
    /// Only this ward; without it, every ward you may report on.
    pub ward_id: Option<Uuid>,
    /// `csv` or `json`; without it, `Accept: text/csv` asks for CSV.
    pub format: Option<ReportFormat>,
}

impl PeriodQuery {
    /// Checks the caller, the dates and the ward, and gives the period.
    pub(crate) fn period(&self, user: &CurrentUser) -> ApiResult<Period> {
        self.period_up_to(user, MAX_DAYS)
    }

    /// As [`Self::period`], for a report that may cover up to `max_days`.
    fn period_up_to(&self, user: &CurrentUser, max_days: i64) -> ApiResult<Period> {
        user.require(REPORTERS)?;
        check_dates(self.from, self.to, max_days)?;
        Ok(Period {
            from: self.from,
            to: self.to,
            wards: user.ward_scope().narrow(self.ward_id)?,
        })
    }
}

/// `from` before `to`, and at most `max_days` apart.
fn check_dates(from: NaiveDate, to: NaiveDate, max_days: i64) -> ApiResult<()> {
    if to <= from {
        return Err(ApiError::field(
            "to",
            "not_after_from",
            "must be after `from`",
        ));
    }
    if (to - from).num_days() > max_days {
        let detail = if max_days == MAX_DAYS {
            format!("a report covers at most {MAX_DAYS} days (up to ten years for the activity summary by month)")
        } else {
            format!("a report covers at most {max_days} days")
        };
        return Err(ApiError::field("to", "period_too_long", detail));
    }
    Ok(())
}

/// A report: its period and its rows.
#[derive(Debug, Serialize, ToSchema)]
pub struct Report<T: ToSchema> {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub rows: Vec<T>,
}

/// Answers typed rows as JSON or CSV (`<name>-<from>-to-<to>.csv`).
fn answer<T: ToSchema + Serialize>(
    req: &HttpRequest,
    query: &PeriodQuery,
    name: &str,
    rows: Vec<T>,
) -> ApiResult<HttpResponse> {
    match wanted_format(req, query.format) {
        ReportFormat::Json => Ok(HttpResponse::Ok().json(Report {
            from: query.from,
            to: query.to,
            rows,
        })),
        ReportFormat::Csv => csv_response(&rows, &file_name(name, query.from, query.to)),
    }
}

/// Answers a [`KindReport`] (escorted leave, de-escalation, groups): the
/// caller's period and wards checked, the rows read, JSON or CSV.
async fn kind_report<R: KindReport + ToSchema + Serialize>(
    state: &AppState,
    user: &CurrentUser,
    req: &HttpRequest,
    query: &PeriodQuery,
) -> ApiResult<HttpResponse> {
    let period = query.period(user)?;
    let mut conn = user.read_conn(state).await?;
    let rows = report::kind_report::<R>(&mut conn, &period).await?;
    answer(req, query, R::NAME, rows)
}

/// The download name of a report.
fn file_name(name: &str, from: NaiveDate, to: NaiveDate) -> String {
    format!("{name}-{from}-to-{to}.csv")
}
