//! `PATCH /api/v1/activities/{id}`: an amendment, never an overwrite.

use actix_web::http::header::{ETAG, IF_MATCH};
use actix_web::{patch, web, HttpRequest, HttpResponse};
use uuid::Uuid;

use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::Json;
use crate::models::activity::store::{self, ActivityAmendment};
use crate::models::activity::Activity;
use crate::state::AppState;

/// Reads `If-Match`, which every change to a record must carry.
pub fn if_match(req: &HttpRequest) -> Option<String> {
    req.headers()
        .get(IF_MATCH)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
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
        (status = 403, description = "Not your record, or your role does not amend", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such activity on your wards", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The record is entered in error (`entered_in_error`)", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Stale `If-Match`; `current` holds the record as it now stands", body = Problem, content_type = "application/problem+json"),
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
    user.require(super::RECORDERS)?;
    let tag = if_match(&req).ok_or(ApiError::PreconditionRequired)?;
    let mut conn = user.conn(&state.pool).await?;
    let amended = store::amend(
        &mut conn,
        &user,
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
