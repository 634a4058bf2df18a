//! `POST /api/v1/leaves/{id}/authorise|depart|return|cancel`: the moves of
//! a planned leave. Each answers the leave as it now stands with its
//! `ETag`; `If-Match` is optional, and a stale one is refused (412), so a
//! move is made on the version the caller saw. A move the leave's state
//! does not allow (a second return, authorising a cancelled leave) is 409
//! `invalid_transition` with `current`.

use actix_web::http::header::ETAG;
use actix_web::{post, web, HttpRequest, HttpResponse};
use uuid::Uuid;

use crate::auth::{policy, CurrentUser};
use crate::domain::leave::{transitions, CancelLeave, DepartLeave, ReturnLeave};
use crate::error::{ApiResult, Problem};
use crate::extract::{if_match, Json};
use crate::models::leave::Leave;
use crate::routes::problems;
use crate::state::AppState;

fn answer(leave: Leave) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((ETAG, leave.etag()))
        .json(leave)
}

/// A nurse (ward staff assigned to the leave's ward) authorises a planned
/// leave before anyone leaves; never their own plan.
#[utoipa::path(
    tag = "leave",
    params(
        ("id" = Uuid, Path, description = "Leave id"),
        ("If-Match" = Option<String>, Header, description = "Optional: the ETag of the version you read"),
    ),
    responses(
        (status = 200, description = "Authorised", body = Leave, headers(("ETag" = String))),
        (status = 403, response = inline(problems::Forbidden)),
        (status = 404, response = inline(problems::NotFound)),
        (status = 409, description = "Not planned (`invalid_transition`)", body = Problem, content_type = "application/problem+json"),
        (status = 412, response = inline(problems::Stale)),
    )
)]
#[post("/leaves/{id}/authorise")]
pub async fn authorise_leave(
    state: web::Data<AppState>,
    user: CurrentUser,
    req: HttpRequest,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    user.require(policy::ACTIVITY_READERS)?;
    let mut conn = user.conn(&state.pool).await?;
    let done =
        transitions::authorise(&mut conn, &user.actor(), *id, if_match(&req).as_deref()).await?;
    Ok(answer(done))
}

/// A worker on the ward records that the person has left with them
/// (`departed_at` defaults to now). Only an authorised leave starts.
#[utoipa::path(
    tag = "leave",
    params(
        ("id" = Uuid, Path, description = "Leave id"),
        ("If-Match" = Option<String>, Header, description = "Optional: the ETag of the version you read"),
    ),
    request_body = DepartLeave,
    responses(
        (status = 200, description = "Out", body = Leave, headers(("ETag" = String))),
        (status = 403, response = inline(problems::Forbidden)),
        (status = 404, response = inline(problems::NotFound)),
        (status = 409, description = "Not authorised, or already out (`invalid_transition`)", body = Problem, content_type = "application/problem+json"),
        (status = 412, response = inline(problems::Stale)),
        (status = 422, description = "A bad time; `errors[].field` names it", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/leaves/{id}/depart")]
pub async fn depart_leave(
    state: web::Data<AppState>,
    user: CurrentUser,
    req: HttpRequest,
    id: web::Path<Uuid>,
    body: Json<DepartLeave>,
) -> ApiResult<HttpResponse> {
    user.require(policy::ACTIVITY_READERS)?;
    let mut conn = user.conn(&state.pool).await?;
    let done = transitions::depart(
        &mut conn,
        &user.actor(),
        *id,
        if_match(&req).as_deref(),
        body.0,
    )
    .await?;
    Ok(answer(done))
}

/// A worker on the ward records that the person is back (`returned_at`
/// defaults to now). The escorted-leave activity is recorded by the worker
/// in the same transaction, from the leave's times, with the nurse who
/// authorised it as its leave confirmation: `activity_id` names it.
#[utoipa::path(
    tag = "leave",
    params(
        ("id" = Uuid, Path, description = "Leave id"),
        ("If-Match" = Option<String>, Header, description = "Optional: the ETag of the version you read"),
    ),
    request_body = ReturnLeave,
    responses(
        (status = 200, description = "Returned, and recorded", body = Leave, headers(("ETag" = String))),
        (status = 403, response = inline(problems::Forbidden)),
        (status = 404, response = inline(problems::NotFound)),
        (status = 409, description = "Not out, or already back (`invalid_transition`)", body = Problem, content_type = "application/problem+json"),
        (status = 412, response = inline(problems::Stale)),
        (status = 422, description = "A bad time or field; `errors[].field` names it", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/leaves/{id}/return")]
pub async fn return_leave(
    state: web::Data<AppState>,
    user: CurrentUser,
    req: HttpRequest,
    id: web::Path<Uuid>,
    body: Json<ReturnLeave>,
) -> ApiResult<HttpResponse> {
    user.require(policy::ACTIVITY_READERS)?;
    let mut conn = user.conn(&state.pool).await?;
    let done = transitions::return_(
        &mut conn,
        &user.actor(),
        *id,
        if_match(&req).as_deref(),
        state.config.activity_max_age_days,
        body.0,
    )
    .await?;
    Ok(answer(done))
}

/// A worker or a nurse on the ward cancels a leave before anyone leaves,
/// with a reason; who cancelled and why are kept.
#[utoipa::path(
    tag = "leave",
    params(
        ("id" = Uuid, Path, description = "Leave id"),
        ("If-Match" = Option<String>, Header, description = "Optional: the ETag of the version you read"),
    ),
    request_body = CancelLeave,
    responses(
        (status = 200, description = "Cancelled", body = Leave, headers(("ETag" = String))),
        (status = 403, response = inline(problems::Forbidden)),
        (status = 404, response = inline(problems::NotFound)),
        (status = 409, description = "Already out, back or cancelled (`invalid_transition`)", body = Problem, content_type = "application/problem+json"),
        (status = 412, response = inline(problems::Stale)),
        (status = 422, description = "No reason given", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/leaves/{id}/cancel")]
pub async fn cancel_leave(
    state: web::Data<AppState>,
    user: CurrentUser,
    req: HttpRequest,
    id: web::Path<Uuid>,
    body: Json<CancelLeave>,
) -> ApiResult<HttpResponse> {
    user.require(policy::ACTIVITY_READERS)?;
    let mut conn = user.conn(&state.pool).await?;
    let done = transitions::cancel(
        &mut conn,
        &user.actor(),
        *id,
        if_match(&req).as_deref(),
        body.0,
    )
    .await?;
    Ok(answer(done))
}
