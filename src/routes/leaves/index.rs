//! `/api/v1/leaves`: `GET` lists leave on the caller's wards, `POST` plans
//! one (safely retried).

use actix_web::http::header::{ETAG, LOCATION};
use actix_web::{get, post, web, HttpResponse};
use uuid::Uuid;

use crate::auth::{policy, CurrentUser};
use crate::domain::leave::plan::{self, Planned};
use crate::domain::leave::{self, PlanLeave};
use crate::error::{ApiResult, Problem};
use crate::extract::{Json, Query};
use crate::models::leave::{Leave, LeaveFilter};
use crate::pagination::{Page, PageParams};
use crate::routes::problems;
use crate::state::AppState;

/// Leave on the caller's wards, oldest plan first, by cursor: e.g.
/// `?ward_id=…&state=planned` for a nurse's list to authorise, or
/// `state=out` for who is off the ward now. Reading it is audited (each
/// names a person).
#[utoipa::path(
    tag = "leave",
    params(LeaveFilter, PageParams),
    responses(
        (status = 200, description = "A page of leave", body = Page<Leave>),
        (status = 400, response = inline(problems::BadQuery)),
        (status = 403, response = inline(problems::Forbidden)),
        (status = 404, response = inline(problems::NotFound)),
        (status = 422, description = "An unknown `state` or a cursor not ours", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/leaves")]
pub async fn list_leaves(
    state: web::Data<AppState>,
    user: CurrentUser,
    filter: Query<LeaveFilter>,
    page: Query<PageParams>,
) -> ApiResult<HttpResponse> {
    user.require(policy::ACTIVITY_READERS)?;
    let limit = page.limit()?;
    let after: Option<Uuid> = page.after()?;
    let mut conn = user.conn(&state.pool).await?;
    let page = leave::list(&mut conn, &user.actor(), &filter, after, limit).await?;
    Ok(HttpResponse::Ok().json(page))
}

/// Plans an escorted leave on one of the caller's wards (peer workers and
/// team leaders). It waits for a nurse on the ward to authorise it. Send
/// your own `id` so a retry after a lost answer returns the stored plan
/// (200) instead of a second one.
#[utoipa::path(
    tag = "leave",
    request_body = PlanLeave,
    responses(
        (status = 201, description = "Planned", body = Leave, headers(("ETag" = String), ("Location" = String))),
        (status = 200, description = "The same plan was already stored", body = Leave),
        (status = 403, response = inline(problems::Forbidden)),
        (status = 409, description = "The id is taken by another leave (`id_conflict`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A rule is broken; `errors[].field` names it", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/leaves")]
pub async fn plan_leave(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: Json<PlanLeave>,
) -> ApiResult<HttpResponse> {
    user.require(policy::ACTIVITY_RECORDERS)?;
    let mut conn = user.conn(&state.pool).await?;
    let (mut response, leave) = match plan::plan(&mut conn, &user.actor(), body.0).await? {
        Planned::New(l) => (HttpResponse::Created(), l),
        Planned::AlreadyPresent(l) => (HttpResponse::Ok(), l),
    };
    Ok(response
        .insert_header((LOCATION, format!("/api/v1/leaves/{}", leave.row.id)))
        .insert_header((ETAG, leave.etag()))
        .json(leave))
}
