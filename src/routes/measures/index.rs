//! `/api/v1/measures`: every measure's latest definition, and loading one.

use actix_web::http::header::LOCATION;
use actix_web::{get, post, web, HttpResponse};

use crate::auth::{policy, CurrentUser};
use crate::domain::measures::definition::MeasureDefinition;
use crate::domain::measures::{self, StoredMeasure};
use crate::error::{ApiResult, Problem};
use crate::extract::Json;
use crate::routes::problems;
use crate::state::AppState;

/// Every measure's latest definition: the shipped, freely usable ones and
/// those the trust loaded.
#[utoipa::path(
    tag = "measures",
    responses(
        (status = 200, description = "The measures", body = Vec<StoredMeasure>),
        (status = 403, response = inline(problems::Forbidden)),
    )
)]
#[get("/measures")]
pub async fn list_measures(
    state: web::Data<AppState>,
    user: CurrentUser,
) -> ApiResult<HttpResponse> {
    user.require(policy::MEASURE_READERS)?;
    let mut conn = user.conn(&state.pool).await?;
    Ok(HttpResponse::Ok().json(measures::list(&mut conn).await?))
}

/// Loads a measure definition the trust holds a licence for (admin,
/// manager). It is checked whole, every fault named by its path; a code and
/// version already loaded is never changed (409): load a new version.
#[utoipa::path(
    tag = "measures",
    request_body = MeasureDefinition,
    responses(
        (status = 201, description = "Loaded", body = StoredMeasure),
        (status = 403, response = inline(problems::Forbidden)),
        (status = 409, description = "This code and version are loaded already (`measure_version_exists`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, response = inline(problems::Invalid)),
    )
)]
#[post("/measures")]
pub async fn load_measure(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: Json<serde_json::Value>,
) -> ApiResult<HttpResponse> {
    user.require(policy::MEASURE_LOADERS)?;
    let mut conn = user.conn(&state.pool).await?;
    let loaded = measures::load(&mut conn, &user.actor(), body.0).await?;
    let d = &loaded.definition;
    Ok(HttpResponse::Created()
        .insert_header((
            LOCATION,
            format!("/api/v1/measures/{}?version={}", d.code, d.version),
        ))
        .json(loaded))
}
