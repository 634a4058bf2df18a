//! `GET /api/v1/reports/groups`.

use actix_web::{get, web, HttpRequest, HttpResponse};

use super::{answer, PeriodQuery, Report};
use crate::auth::CurrentUser;
use crate::error::{ApiResult, Problem};
use crate::extract::Query;
use crate::models::report::{self, GroupRow};
use crate::routes::problems;
use crate::state::AppState;

/// Group sessions by group type and ward: sessions, named and unnamed
/// attendance, average attendance (manager; team leader for their
/// wards). Periods are local dates, `from` inclusive, `to` exclusive;
/// entered-in-error records never count.
#[utoipa::path(
    tag = "reports",
    params(PeriodQuery),
    responses(
        (status = 200, description = "The report: JSON, or CSV with a header row (`?format=csv` or `Accept: text/csv`)",
            content((Report<GroupRow> = "application/json"), (String = "text/csv"))),
        (status = 403, response = inline(problems::Forbidden)),
        (status = 404, response = inline(problems::NotFound)),
        (status = 422, description = "`to` not after `from`, or more than 366 days after", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/reports/groups")]
pub async fn groups_report(
    state: web::Data<AppState>,
    user: CurrentUser,
    req: HttpRequest,
    query: Query<PeriodQuery>,
) -> ApiResult<HttpResponse> {
    let period = query.period(&user)?;
    let mut conn = user.read_conn(&state).await?;
    let rows = report::groups(&mut conn, &period).await?;
    answer(&req, &query, "groups", rows)
}
