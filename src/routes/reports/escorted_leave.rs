//! `GET /api/v1/reports/escorted-leave`.

use actix_web::{get, web, HttpRequest, HttpResponse};

use super::{answer, PeriodQuery, Report};
use crate::auth::CurrentUser;
use crate::error::{ApiResult, Problem};
use crate::extract::Query;
use crate::models::report::{self, EscortedLeaveRow};
use crate::routes::problems;
use crate::state::AppState;

/// Escorted leave by ward and Europe/London month: episodes, hours off the
/// ward, returned as planned or not (manager; team leader for their
/// wards). Periods are local dates, `from` inclusive, `to` exclusive;
/// entered-in-error records never count.
#[utoipa::path(
    tag = "reports",
    params(PeriodQuery),
    responses(
        (status = 200, description = "The report: JSON, or CSV with a header row (`?format=csv` or `Accept: text/csv`)",
            content((Report<EscortedLeaveRow> = "application/json"), (String = "text/csv"))),
        (status = 403, response = inline(problems::Forbidden)),
        (status = 404, response = inline(problems::NotFound)),
        (status = 422, description = "`to` not after `from`, or more than 366 days after", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/reports/escorted-leave")]
pub async fn escorted_leave_report(
    state: web::Data<AppState>,
    user: CurrentUser,
    req: HttpRequest,
    query: Query<PeriodQuery>,
) -> ApiResult<HttpResponse> {
    let period = query.period(&user)?;
    let mut conn = user.read_conn(&state).await?;
    let rows = report::escorted_leave(&mut conn, &period).await?;
    answer(&req, &query, "escorted-leave", rows)
}
