//! `GET /api/v1/reports/board`: the quarterly board report.

use actix_web::{get, web, HttpResponse};
use chrono::NaiveDate;
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

use crate::auth::policy::REPORTERS;
use crate::auth::CurrentUser;
use crate::domain::impact::board::{self, BoardReport};
use crate::domain::impact::GroupBy;
use crate::error::ApiResult;
use crate::extract::Query;
use crate::routes::problems;
use crate::state::AppState;

/// Which quarter, which wards, grouped how.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct BoardQuery {
    /// Any date in the quarter, e.g. `2026-10-01` for October to December.
    pub quarter: NaiveDate,
    /// Only this ward; without it, every ward you may report on.
    pub ward_id: Option<Uuid>,
    /// A page per `ward` (the default) or per `service_line`.
    pub group_by: Option<GroupBy>,
}

/// The quarterly board report (manager; team leader for their wards): a
/// page for all wards and one per ward or service line, each figure beside
/// the quarter before, with a few quotes the people agreed to share.
/// Figures about fewer than 5 people are suppressed.
#[utoipa::path(
    tag = "reports",
    params(BoardQuery),
    responses(
        (status = 200, description = "The report", body = BoardReport),
        (status = 403, response = inline(problems::Forbidden)),
        (status = 404, response = inline(problems::NotFound)),
        (status = 422, response = inline(problems::Invalid)),
    )
)]
#[get("/reports/board")]
pub async fn board_report(
    state: web::Data<AppState>,
    user: CurrentUser,
    query: Query<BoardQuery>,
) -> ApiResult<HttpResponse> {
    user.require(REPORTERS)?;
    let wards = user.ward_scope().narrow(query.ward_id)?;
    // On the primary, not the read pool: a quote whose consent was just
    // withdrawn must be gone from the very next report.
    let mut conn = user.conn(&state.pool).await?;
    let report = board::board(
        &mut conn,
        query.quarter,
        wards,
        query.group_by.unwrap_or(GroupBy::Ward),
    )
    .await?;
    Ok(HttpResponse::Ok().json(report))
}
