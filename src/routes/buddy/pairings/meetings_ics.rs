//! `/api/v1/buddy/pairings/{id}/meetings.ics`: a pairing's meeting series
//! in people's own calendars (the iCalendar text is
//! `domain::buddy::calendar`'s).

use actix_web::{get, web, HttpResponse};
use uuid::Uuid;

use crate::auth::{policy, CurrentUser};
use crate::domain::buddy::calendar;
use crate::error::ApiResult;
use crate::routes::problems;
use crate::state::AppState;

const TEXT_CALENDAR: &str = "text/calendar; charset=utf-8";

/// A pairing's meeting series as iCalendar (the coordinator, and the
/// pairing's own student and buddy; managers read meetings but not their
/// links, so not this). One event per meeting, stable UIDs, `SEQUENCE`
/// bumped when a meeting moves, `STATUS:CANCELLED` when cancelled, times in
/// UTC, the join link as `URL` and `LOCATION`.
#[utoipa::path(
    tag = "buddy",
    params(("id" = Uuid, Path, description = "Pairing id")),
    responses(
        (status = 200, description = "The series (RFC 5545)", body = String, content_type = "text/calendar"),
        (status = 403, response = inline(problems::Forbidden)),
        (status = 404, response = inline(problems::NotFound)),
    )
)]
#[get("/buddy/pairings/{id}/meetings.ics")]
pub async fn pairing_calendar(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    user.require(policy::PAIRING_CALENDAR_READERS)?;
    let mut conn = user.conn(&state.pool).await?;
    let text = calendar::pairing_calendar(&mut conn, &user.actor(), *id).await?;
    Ok(HttpResponse::Ok()
        .insert_header(("content-type", TEXT_CALENDAR))
        .insert_header(("cache-control", "private, no-cache"))
        .body(text))
}
