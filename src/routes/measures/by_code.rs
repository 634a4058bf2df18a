//! `GET /api/v1/measures/{code}`: one measure's definition.

use actix_web::{get, web, HttpResponse};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::{policy, CurrentUser};
use crate::domain::measures::{self, StoredMeasure};
use crate::error::ApiResult;
use crate::extract::Query;
use crate::routes::problems;
use crate::state::AppState;

/// Which version of a measure.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct VersionQuery {
    /// A version; the latest when absent.
    pub version: Option<i32>,
}

/// One measure's definition: a version, or the latest.
#[utoipa::path(
    tag = "measures",
    params(("code" = String, Path, description = "Measure code, e.g. `ons4`"), VersionQuery),
    responses(
        (status = 200, description = "The definition", body = StoredMeasure),
        (status = 403, response = inline(problems::Forbidden)),
        (status = 404, response = inline(problems::NotFound)),
    )
)]
#[get("/measures/{code}")]
pub async fn get_measure(
    state: web::Data<AppState>,
    user: CurrentUser,
    code: web::Path<String>,
    query: Query<VersionQuery>,
) -> ApiResult<HttpResponse> {
    user.require(policy::MEASURE_READERS)?;
    let mut conn = user.conn(&state.pool).await?;
    Ok(HttpResponse::Ok().json(measures::get(&mut conn, &code, query.version).await?))
}
