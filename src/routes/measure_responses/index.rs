//! `POST /api/v1/measure-responses`: submitting a person's answers.

use actix_web::{post, web, HttpResponse};

use crate::auth::{policy, CurrentUser};
use crate::domain::measures::responses::{
    self, MeasureResponseReceipt, NewMeasureResponse, Submitted,
};
use crate::error::{ApiResult, Problem};
use crate::extract::Json;
use crate::routes::problems;
use crate::state::AppState;

/// Submits a person's answers ("your say" after a contact, or an outcome
/// measure) from the worker's tablet. The answer is locked: the receipt
/// never repeats it, and nobody can read or change it afterwards. The
/// person's own words are kept only when they agreed to share them as an
/// anonymous quote. A retry with the same id and content answers 200.
#[utoipa::path(
    tag = "measures",
    request_body = NewMeasureResponse,
    responses(
        (status = 201, description = "Stored and locked", body = MeasureResponseReceipt),
        (status = 200, description = "Already stored (a retry)", body = MeasureResponseReceipt),
        (status = 403, response = inline(problems::Forbidden)),
        (status = 409, description = "Another answer has this id (`id_conflict`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, response = inline(problems::Invalid)),
    )
)]
#[post("/measure-responses")]
pub async fn submit_measure_response(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: Json<NewMeasureResponse>,
) -> ApiResult<HttpResponse> {
    user.require(policy::MEASURE_RECORDERS)?;
    let mut conn = user.conn(&state.pool).await?;
    let max_age = state.config.activity_max_age_days;
    Ok(
        match responses::submit(&mut conn, &user.actor(), max_age, body.0).await? {
            Submitted::New(r) => HttpResponse::Created().json(r),
            Submitted::AlreadyPresent(r) => HttpResponse::Ok().json(r),
        },
    )
}
