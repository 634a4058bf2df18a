//! `/api/v1/activities/{id}`: `GET` reads one activity, `PATCH` amends it
//! (an amendment, never an overwrite).

use actix_web::http::header::ETAG;
use actix_web::{get, patch, web, HttpRequest, HttpResponse};
use uuid::Uuid;

use crate::auth::{policy, CurrentUser};
use crate::domain::activities::ActivityAmendment;
use crate::domain::activities::{amend, read};
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::{if_match, Json};
use crate::models::activity::Activity;
use crate::routes::problems;
use crate::state::AppState;

/// One activity, voided ones included, with its `ETag` for amendments.
/// Reading one that names service users is audited.
#[utoipa::path(
    tag = "activities",
    params(("id" = Uuid, Path, description = "Activity id")),
    responses(
        (status = 200, description = "The activity", body = Activity, headers(("ETag" = String, description = "`\"v<version>\"`; send as `If-Match` to amend"))),
        (status = 403, response = inline(problems::Forbidden)),
        (status = 404, response = inline(problems::NotFound)),
    )
)]
#[get("/activities/{id}")]
pub async fn get_activity(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    user.require(policy::ACTIVITY_READERS)?;
    let mut conn = user.conn(&state.pool).await?;
    let found = read::get(&mut conn, &user.actor(), *id).await?;
    Ok(HttpResponse::Ok()
        .insert_header((ETAG, found.etag()))
        .json(found))
}

/// Amends an activity. Send `If-Match` with the ETag you edited and a
/// `reason`; the previous version is kept in the history. Workers amend
/// their own records, team leaders any on their wards.
#[utoipa::path(
    tag = "activities",
    params(
        ("id" = Uuid, Path, description = "Activity id"),
        ("If-Match" = String, Header, description = "The ETag of the version you edited, e.g. `\"v1\"`"),
    ),
    request_body = ActivityAmendment,
    responses(
        (status = 200, description = "Amended", body = Activity, headers(("ETag" = String))),
        (status = 403, response = inline(problems::Forbidden)),
        (status = 404, response = inline(problems::NotFound)),
        (status = 409, description = "The record is entered in error (`entered_in_error`)", body = Problem, content_type = "application/problem+json"),
        (status = 412, response = inline(problems::Stale)),
        (status = 422, description = "A rule is broken", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "`If-Match` missing", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/activities/{id}")]
pub async fn amend_activity(
    state: web::Data<AppState>,
    user: CurrentUser,
    req: HttpRequest,
    id: web::Path<Uuid>,
    body: Json<ActivityAmendment>,
) -> ApiResult<HttpResponse> {
    user.require(policy::ACTIVITY_RECORDERS)?;
    let tag = if_match(&req).ok_or(ApiError::PreconditionRequired)?;
    let mut conn = user.conn(&state.pool).await?;
    let amended = amend::amend(
        &mut conn,
        &user.actor(),
        state.config.activity_max_age_days,
        *id,
        &tag,
        body.0,
    )
    .await?;
    Ok(HttpResponse::Ok()
        .insert_header((ETAG, amended.etag()))
        .json(amended))
}
