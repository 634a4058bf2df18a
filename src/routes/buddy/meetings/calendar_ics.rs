//! `/api/v1/buddy/meetings/{id}/calendar.ics`: one meeting as an invitation
//! for people's own calendars, or its cancellation (the iCalendar text is
//! `domain::buddy::calendar`'s).

use actix_web::{get, web, HttpResponse};
use uuid::Uuid;

use crate::auth::{policy, CurrentUser};
use crate::domain::buddy::calendar;
use crate::error::ApiResult;
use crate::routes::problems;
use crate::state::AppState;

const TEXT_CALENDAR: &str = "text/calendar; charset=utf-8; method=";

/// One meeting as an iTIP message (RFC 5546), for the coordinator and the
/// pairing's own student and buddy. `METHOD:REQUEST` while it is planned
/// (or after it took place), `METHOD:CANCEL` with `STATUS:CANCELLED` once
/// it is cancelled; the UID never changes and `SEQUENCE` rises with each
/// change of time, length, place or status, so a calendar that imported it
/// before moves or removes its copy. ORGANIZER is the coordinator,
/// ATTENDEEs the student and buddy (`mailto:` where the scheme holds an
/// address, else a `urn:uuid:` with the name as `CN`).
#[utoipa::path(
    tag = "buddy",
    params(("id" = Uuid, Path, description = "Meeting id")),
    responses(
        (status = 200, description = "The meeting (RFC 5545, RFC 5546)", body = String, content_type = "text/calendar"),
        (status = 403, response = inline(problems::Forbidden)),
        (status = 404, response = inline(problems::NotFound)),
    )
)]
#[get("/buddy/meetings/{id}/calendar.ics")]
pub async fn meeting_calendar(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    user.require(policy::PAIRING_CALENDAR_READERS)?;
    let mut conn = user.conn(&state.pool).await?;
    let (method, text) = calendar::meeting_calendar(&mut conn, &user.actor(), *id).await?;
    Ok(HttpResponse::Ok()
        .insert_header((
            "content-type",
            format!("{TEXT_CALENDAR}{}", method.as_str()),
        ))
        .insert_header(("cache-control", "private, no-cache"))
        .body(text))
}
