//! `POST /api/v1/activities`: record one activity, safely retried.

use actix_web::http::header::{ETAG, LOCATION};
use actix_web::{post, web, HttpResponse};

use super::RECORDERS;
use crate::auth::CurrentUser;
use crate::error::{ApiResult, Problem};
use crate::extract::Json;
use crate::models::activity::check::NewActivity;
use crate::models::activity::store::{self, Created};
use crate::models::activity::Activity;
use crate::state::AppState;

/// The response to a stored or re-sent create.
pub fn created_response(outcome: Created) -> HttpResponse {
    let (mut response, activity) = match outcome {
        Created::New(a) => (HttpResponse::Created(), a),
        Created::AlreadyPresent(a) => (HttpResponse::Ok(), a),
    };
    response
        .insert_header((LOCATION, format!("/api/v1/activities/{}", activity.id)))
        .insert_header((ETAG, activity.etag()))
        .json(activity)
}

/// Records an activity on one of the caller's wards (peer workers and team
/// leaders). Send your own `id` so a retry after a lost answer returns the
/// stored record (200) instead of a second one; the same id with other
/// content is a 409.
#[utoipa::path(
    tag = "activities",
    request_body = NewActivity,
    responses(
        (status = 201, description = "Recorded", body = Activity, headers(("ETag" = String), ("Location" = String))),
        (status = 200, description = "The same create was already recorded; the stored record", body = Activity),
        (status = 403, description = "Your role does not record activities", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The id is taken by a different record (`id_conflict`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A rule is broken; `errors[].field` names it", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/activities")]
pub async fn create_activity(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: Json<Box<serde_json::value::RawValue>>,
) -> ApiResult<HttpResponse> {
    user.require(RECORDERS)?;
    let body = NewActivity::from_raw(&body.0)?;
    let mut conn = user.conn(&state.pool).await?;
    let outcome = store::create(&mut conn, &user, state.config.activity_max_age_days, body).await?;
    Ok(created_response(outcome))
}
