//! `GET /api/v1/reports/impact/ward-context`.

use actix_web::{get, web, HttpRequest, HttpResponse};

use super::super::{answer, PeriodQuery, Report};
use super::{scope, GroupQuery};
use crate::auth::CurrentUser;
use crate::domain::impact::{self, WardContextRow};
use crate::error::{ApiResult, Problem};
use crate::extract::Query;
use crate::routes::problems;
use crate::state::AppState;

/// The ward's own figures beside peer support, per month: de-escalations and restraint avoided against restraint incidents, leave enabled, hours of peer support per occupied bed day (manager; team leader for their wards).
#[utoipa::path(
    tag = "reports",
    params(PeriodQuery, GroupQuery),
    responses(
        (status = 200, description = "The report: JSON, or CSV with a header row (`?format=csv` or `Accept: text/csv`)",
            content((Report<WardContextRow> = "application/json"), (String = "text/csv"))),
        (status = 403, response = inline(problems::Forbidden)),
        (status = 404, response = inline(problems::NotFound)),
        (status = 422, description = "`to` not after `from`, or more than 366 days after", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/reports/impact/ward-context")]
pub async fn ward_context_report(
    state: web::Data<AppState>,
    user: CurrentUser,
    req: HttpRequest,
    query: Query<PeriodQuery>,
    group: Query<GroupQuery>,
) -> ApiResult<HttpResponse> {
    let scope = scope(&user, &query, &group)?;
    let mut conn = user.read_conn(&state).await?;
    let rows = impact::ward_context(&mut conn, &scope).await?;
    answer(&req, &query, "impact-ward-context", rows)
}
