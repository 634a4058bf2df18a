//! `/api/v1/activities`: `GET` lists activities, `POST` records one
//! (safely retried).

use actix_web::http::header::{ETAG, LOCATION};
use actix_web::{get, post, web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

use crate::auth::{policy, CurrentUser};
use crate::domain::activities::create::{self, Created};
use crate::domain::activities::read;
use crate::error::{ApiResult, Problem};
use crate::extract::{Json, Query};
use crate::models::activity::{
    Activity, ActivityFilter, ActivityKind, ActivityStatus, ListKey, NewActivity,
};
use crate::pagination::{Page, PageParams};
use crate::routes::problems;
use crate::state::AppState;

/// Filters for `GET /api/v1/activities`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ActivityListQuery {
    pub ward_id: Option<Uuid>,
    pub kind: Option<ActivityKind>,
    /// Activities starting at or after this instant.
    pub from: Option<DateTime<Utc>>,
    /// Activities starting before this instant.
    pub to: Option<DateTime<Utc>>,
    /// Only those recorded by this worker.
    pub recorded_by: Option<Uuid>,
    /// Only those naming this service user.
    pub service_user_id: Option<Uuid>,
    /// Only this status; by default every status but `entered_in_error`.
    pub status: Option<ActivityStatus>,
}

/// Activities on the caller's wards, newest start first, by cursor.
#[utoipa::path(
    tag = "activities",
    params(ActivityListQuery, PageParams),
    responses(
        (status = 200, description = "A page of activities", body = Page<Activity>),
        (status = 400, response = inline(problems::BadQuery)),
        (status = 403, response = inline(problems::Forbidden)),
    )
)]
#[get("/activities")]
pub async fn list_activities(
    state: web::Data<AppState>,
    user: CurrentUser,
    query: Query<ActivityListQuery>,
    page: Query<PageParams>,
) -> ApiResult<HttpResponse> {
    user.require(policy::ACTIVITY_READERS)?;
    let limit = page.limit()?;
    let after: Option<ListKey> = page.after()?;
    let q = query.0;
    let filter = ActivityFilter {
        ward_id: q.ward_id,
        kind: q.kind,
        from: q.from,
        to: q.to,
        recorded_by: q.recorded_by,
        service_user_id: q.service_user_id,
        status: q.status,
        ..Default::default()
    };
    let mut conn = user.conn(&state.pool).await?;
    let page = read::list(&mut conn, &user.actor(), &filter, after, limit).await?;
    Ok(HttpResponse::Ok().json(page))
}

/// The response to a stored or re-sent create.
fn created_response(outcome: Created) -> HttpResponse {
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
        (status = 403, response = inline(problems::Forbidden)),
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
    user.require(policy::ACTIVITY_RECORDERS)?;
    let body = NewActivity::from_raw(&body.0)?;
    let mut conn = user.conn(&state.pool).await?;
    let outcome = create::create(
        &mut conn,
        &user.actor(),
        state.config.activity_max_age_days,
        body,
    )
    .await?;
    Ok(created_response(outcome))
}
