//! `GET /api/v1/reports/ward/{id}/overview`.

use actix_web::{get, web, HttpRequest, HttpResponse};
use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::auth::policy::REPORTERS;
use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::Query;
use crate::models::report::{
    self, DeEscalationRow, Dimension, EscortedLeaveRow, GroupRow, Period, SummaryRow,
};
use crate::models::ward::{self, Ward};
use crate::report_format::{cells, csv_records, wanted_format, ReportFormat};
use crate::routes::problems;
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
    /// The overview as long-form CSV records: section, item, measure, value
    /// (each value the row's JSON field named by the measure).
    fn records(&self) -> serde_json::Result<Vec<Vec<String>>> {
        const COUNTS: &[&str] = &["activities", "minutes", "service_users", "workers"];
        let mut out = Vec::new();
        measures(&mut out, "totals", "", &self.totals, COUNTS)?;
        for row in &self.by_kind {
            let kind = row.kind.as_deref().unwrap_or("");
            measures(&mut out, "kind", kind, row, COUNTS)?;
        }
        if let Some(l) = &self.escorted_leave {
            let names = [
                "episodes",
                "leave_hours",
                "returned_as_planned",
                "not_returned_as_planned",
            ];
            measures(&mut out, "escorted_leave", "", l, &names)?;
        }
        if let Some(d) = &self.de_escalation {
            let names = [
                "de_escalations",
                "restraint_avoided",
                "restraint_avoided_share",
                "staff_called",
            ];
            measures(&mut out, "de_escalation", "", d, &names)?;
        }
        for g in &self.groups {
            let names = ["sessions", "named_attendance", "unnamed_attendance"];
            measures(&mut out, "groups", &g.group_type, g, &names)?;
        }
        // Not a field of a row: the count of records left out above.
        out.push(vec![
            "entered_in_error".into(),
            String::new(),
            "records".into(),
            self.entered_in_error.to_string(),
        ]);
        Ok(out)
    }
}

/// Appends a record per measure of one row: the row's JSON field of that name.
fn measures<T: Serialize>(
    out: &mut Vec<Vec<String>>,
    section: &str,
    item: &str,
    row: &T,
    names: &[&str],
) -> serde_json::Result<()> {
    for (name, value) in names.iter().zip(cells(row, names)?) {
        out.push(vec![section.into(), item.into(), name.to_string(), value]);
    }
    Ok(())
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
        (status = 403, response = inline(problems::Forbidden)),
        (status = 404, response = inline(problems::NotFound)),
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
    let mut conn = user.read_conn(&state).await?;
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
        escorted_leave: report::kind_report::<EscortedLeaveRow>(&mut conn, &period)
            .await?
            .into_iter()
            .next(),
        de_escalation: report::kind_report::<DeEscalationRow>(&mut conn, &period)
            .await?
            .into_iter()
            .next(),
        groups: report::kind_report::<GroupRow>(&mut conn, &period).await?,
        entered_in_error: report::entered_in_error(&mut conn, &period).await?,
        ward,
    };
    match wanted_format(&req, query.format) {
        ReportFormat::Json => Ok(HttpResponse::Ok().json(overview)),
        ReportFormat::Csv => csv_records(
            &["section", "item", "measure", "value"],
            overview.records().map_err(ApiError::internal)?,
            &format!(
                "ward-{}-overview-{}.csv",
                overview.ward.code, overview.month
            ),
        ),
    }
}
