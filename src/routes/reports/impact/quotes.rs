//! `GET /api/v1/reports/impact/quotes`.

use actix_web::{get, web, HttpRequest, HttpResponse};

use super::super::{answer, PeriodQuery, Report};
use super::{scope, GroupQuery};
use crate::auth::CurrentUser;
use crate::domain::impact::{self, QuoteRow};
use crate::error::{ApiResult, Problem};
use crate::extract::Query;
use crate::routes::problems;
use crate::state::AppState;

/// The quotes people agreed to share (never withdrawn ones), newest first, with their month and ward or service line only (manager; team leader for their wards).
#[utoipa::path(
    tag = "reports",
    params(PeriodQuery, GroupQuery),
    responses(
        (status = 200, description = "The report: JSON, or CSV with a header row (`?format=csv` or `Accept: text/csv`)",
            content((Report<QuoteRow> = "application/json"), (String = "text/csv"))),
        (status = 403, response = inline(problems::Forbidden)),
        (status = 404, response = inline(problems::NotFound)),
        (status = 422, description = "`to` not after `from`, or more than 366 days after", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/reports/impact/quotes")]
pub async fn quotes_report(
    state: web::Data<AppState>,
    user: CurrentUser,
    req: HttpRequest,
    query: Query<PeriodQuery>,
    group: Query<GroupQuery>,
) -> ApiResult<HttpResponse> {
    let scope = scope(&user, &query, &group)?;
    // On the primary, not the read pool: a quote whose consent was just
    // withdrawn must be gone from the very next report.
    let mut conn = user.conn(&state.pool).await?;
    let rows = impact::quotes(&mut conn, &scope).await?;
    answer(&req, &query, "impact-quotes", rows)
}
