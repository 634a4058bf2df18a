//! `GET /api/v1/reports/ward/{id}/overview`.

use actix_web::{get, web, HttpRequest, HttpResponse};
use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::REPORTERS;
use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::Query;
use crate::models::report::{
    self, DeEscalationRow, Dimension, EscortedLeaveRow, GroupRow, Period, SummaryRow,
};
use crate::models::ward::{self, Ward};
use crate::report_format::{csv_records, wanted_format, ReportFormat};
use crate::state::AppState;

/// Which month.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OverviewQuery {
    /// The Europe/London calendar month, `YYYY-MM`.
    #[param(pattern = r"^[0-9]{4}-(0[1-9]|1[0-2])$", example = "2026-04")]
    pub month: String,
    /// `csv` or `json`; without it, `Accept: text/csv` asks for CSV.
    pub format: Option<ReportFormat>,
}

/// One ward's month at a glance.
#[derive(Debug, Serialize, ToSchema)]
pub struct WardOverview {
    pub ward: Ward,
    #[schema(example = "2026-04")]
    pub month: String,
    /// All activities: count, minutes, distinct service users and workers.
    pub totals: SummaryRow,
    /// The same by kind.
    pub by_kind: Vec<SummaryRow>,
    /// Escorted leave; absent when there was none.
    pub escorted_leave: Option<EscortedLeaveRow>,
    /// De-escalations; absent when there were none.
    pub de_escalation: Option<DeEscalationRow>,
    /// Group sessions by group type.
    pub groups: Vec<GroupRow>,
    /// Records of the month marked entered in error (not counted above).
    pub entered_in_error: i64,
}

impl WardOverview {
    /// The overview as long-form CSV records: section, item, measure, value.
    fn records(&self) -> Vec<Vec<String>> {
        let mut out = Vec::new();
        let mut push = |section: &str, item: &str, measure: &str, value: String| {
            out.push(vec![section.into(), item.into(), measure.into(), value]);
        };
        let counts = |row: &SummaryRow| {
            [
                ("activities", row.activities),
                ("minutes", row.minutes),
                ("service_users", row.service_users),
                ("workers", row.workers),
            ]
        };
        for (m, v) in counts(&self.totals) {
            push("totals", "", m, v.to_string());
        }
        for row in &self.by_kind {
            for (m, v) in counts(row) {
                push("kind", row.kind.as_deref().unwrap_or(""), m, v.to_string());
            }
        }
        if let Some(l) = &self.escorted_leave {
            push("escorted_leave", "", "episodes", l.episodes.to_string());
            push(
                "escorted_leave",
                "",
                "leave_hours",
                l.leave_hours.to_string(),
            );
            push(
                "escorted_leave",
                "",
                "returned_as_planned",
                l.returned_as_planned.to_string(),
            );
            push(
                "escorted_leave",
                "",
                "not_returned_as_planned",
                l.not_returned_as_planned.to_string(),
            );
        }
        if let Some(d) = &self.de_escalation {
            push(
                "de_escalation",
                "",
                "de_escalations",
                d.de_escalations.to_string(),
            );
            push(
                "de_escalation",
                "",
                "restraint_avoided",
                d.restraint_avoided.to_string(),
            );
            push(
                "de_escalation",
                "",
                "restraint_avoided_share",
                d.restraint_avoided_share.to_string(),
            );
            push(
                "de_escalation",
                "",
                "staff_called",
                d.staff_called.to_string(),
            );
        }
        for g in &self.groups {
            push("groups", &g.group_type, "sessions", g.sessions.to_string());
            push(
                "groups",
                &g.group_type,
                "named_attendance",
                g.named_attendance.to_string(),
            );
            push(
                "groups",
                &g.group_type,
                "unnamed_attendance",
                g.unnamed_attendance.to_string(),
            );
        }
        push(
            "entered_in_error",
            "",
            "records",
            self.entered_in_error.to_string(),
        );
        out
    }
}

/// The first day of a `YYYY-MM` month and of the next.
fn month_bounds(month: &str) -> ApiResult<(NaiveDate, NaiveDate)> {
    let bad = || ApiError::field("month", "invalid", "must be a month, `YYYY-MM`");
    if month.len() != 7 {
        return Err(bad());
    }
    let from = NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d").map_err(|_| bad())?;
    let to = from.checked_add_months(Months::new(1)).ok_or_else(bad)?;
    Ok((from, to))
}

/// One ward's Europe/London month at a glance: totals, by kind, escorted
/// leave, de-escalations, groups, and how many records were entered in
/// error (manager; team leader for their wards). Entered-in-error records
/// are never counted in the figures; an amended record counts once.
#[utoipa::path(
    tag = "reports",
    params(("id" = Uuid, Path, description = "Ward id"), OverviewQuery),
    responses(
        (status = 200, description = "The overview: JSON, or CSV of `section,item,measure,value` records (`?format=csv` or `Accept: text/csv`)",
            content((WardOverview = "application/json"), (String = "text/csv"))),
        (status = 403, description = "Not a manager or team leader", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such ward among yours", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`month` is not `YYYY-MM`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/reports/ward/{id}/overview")]
pub async fn ward_overview_report(
    state: web::Data<AppState>,
    user: CurrentUser,
    req: HttpRequest,
    id: web::Path<Uuid>,
    query: Query<OverviewQuery>,
) -> ApiResult<HttpResponse> {
    user.require(REPORTERS)?;
    let (from, to) = month_bounds(&query.month)?;
    let mut conn = user.conn(&state.pool).await?;
    let ward = ward::find(&mut conn, *id, &user.ward_scope())
        .await?
        .ok_or(ApiError::NotFound)?;
    let period = Period {
        from,
        to,
        wards: Some(vec![ward.id]),
    };
    let totals = report::activity_summary(&mut conn, &period, &[])
        .await?
        .into_iter()
        .next()
        .unwrap_or(SummaryRow::empty());
    let overview = WardOverview {
        month: query.month.clone(),
        totals,
        by_kind: report::activity_summary(&mut conn, &period, &[Dimension::Kind]).await?,
        escorted_leave: report::escorted_leave(&mut conn, &period)
            .await?
            .into_iter()
            .next(),
        de_escalation: report::de_escalation(&mut conn, &period)
            .await?
            .into_iter()
            .next(),
        groups: report::groups(&mut conn, &period).await?,
        entered_in_error: report::entered_in_error(&mut conn, &period).await?,
        ward,
    };
    match wanted_format(&req, query.format) {
        ReportFormat::Json => Ok(HttpResponse::Ok().json(overview)),
        ReportFormat::Csv => csv_records(
            &["section", "item", "measure", "value"],
            overview.records(),
            &format!(
                "ward-{}-overview-{}.csv",
                overview.ward.code, overview.month
            ),
        ),
    }
}
