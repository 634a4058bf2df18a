//! `GET /api/v1/reports/impact/your-say`.

use actix_web::{get, web, HttpRequest, HttpResponse};

use super::super::{answer, PeriodQuery, Report};
use super::{scope, GroupQuery};
use crate::auth::CurrentUser;
use crate::domain::impact::{self, YourSayRow};
use crate::error::{ApiResult, Problem};
use crate::extract::Query;
use crate::routes::problems;
use crate::state::AppState;

/// What the people said after a contact ("your say"): for each question, how many answered each way (manager; team leader for their wards).
#[utoipa::path(
    tag = "reports",
    params(PeriodQuery, GroupQuery),
    responses(
        (status = 200, description = "The report: JSON, or CSV with a header row (`?format=csv` or `Accept: text/csv`)",
            content((Report<YourSayRow> = "application/json"), (String = "text/csv"))),
        (status = 403, response = inline(problems::Forbidden)),
        (status = 404, response = inline(problems::NotFound)),
        (status = 422, description = "`to` not after `from`, or more than 366 days after", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/reports/impact/your-say")]
pub async fn your_say_report(
    state: web::Data<AppState>,
    user: CurrentUser,
    req: HttpRequest,
    query: Query<PeriodQuery>,
    group: Query<GroupQuery>,
) -> ApiResult<HttpResponse> {
    let scope = scope(&user, &query, &group)?;
    let mut conn = user.read_conn(&state).await?;
    let rows = impact::your_say(&mut conn, &scope).await?;
    answer(&req, &query, "impact-your-say", rows)
}
