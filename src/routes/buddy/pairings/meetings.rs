//! `/api/v1/buddy/pairings/{id}/meetings`: a pairing's meetings, and
//! planning one.

use actix_web::http::header::LOCATION;
use actix_web::{get, post, web, HttpResponse};
use uuid::Uuid;

use crate::auth::{policy, CurrentUser};
use crate::domain::buddy::meetings::{self, CreateMeeting};
use crate::error::{ApiResult, Problem};
use crate::extract::{Json, Query};
use crate::models::buddy::meeting::Meeting;
use crate::pagination::{Page, PageParams};
use crate::routes::problems;
use crate::state::AppState;

/// Lists a pairing's meetings in sequence order.
#[utoipa::path(
    tag = "buddy",
    params(("id" = Uuid, Path, description = "Pairing id"), PageParams),
    responses(
        (status = 200, description = "A page of meetings", body = Page<Meeting>),
        (status = 403, response = inline(problems::Forbidden)),
        (status = 404, response = inline(problems::NotFound)),
    )
)]
#[get("/buddy/pairings/{id}/meetings")]
pub async fn list_meetings(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
    page: Query<PageParams>,
) -> ApiResult<HttpResponse> {
    user.require(policy::BUDDY_SCHEME_READERS)?;
    let limit = page.limit()?;
    let after: Option<i32> = page.after()?;
    let mut conn = user.conn(&state.pool).await?;
    let rows = meetings::list(&mut conn, &user.actor(), *id, after, limit).await?;
    Ok(HttpResponse::Ok().json(Page::from_rows(rows, limit, |m| m.sequence)))
}

/// Plans a meeting in a pairing's series (coordinator, or the pairing's
/// own student or buddy).
#[utoipa::path(
    tag = "buddy",
    params(("id" = Uuid, Path, description = "Pairing id")),
    request_body = CreateMeeting,
    responses(
        (status = 201, description = "Planned", body = Meeting),
        (status = 403, response = inline(problems::Forbidden)),
        (status = 404, response = inline(problems::NotFound)),
        (status = 409, description = "`meeting_sequence_taken` or `pairing_closed`", body = Problem, content_type = "application/problem+json"),
        (status = 422, response = inline(problems::Invalid)),
    )
)]
#[post("/buddy/pairings/{id}/meetings")]
pub async fn create_meeting(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
    body: Json<CreateMeeting>,
) -> ApiResult<HttpResponse> {
    user.require(policy::BUDDY_SCHEME_WRITERS)?;
    let mut conn = user.conn(&state.pool).await?;
    let created = meetings::create(
        &mut conn,
        &user.actor(),
        id.into_inner(),
        body.0,
        &state.config.meeting_link_hosts,
    )
    .await?;
    Ok(HttpResponse::Created()
        .insert_header((LOCATION, format!("/api/v1/buddy/meetings/{}", created.id)))
        .json(created))
}
