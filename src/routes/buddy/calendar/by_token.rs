//! `/api/v1/buddy/calendar/{token}.ics`: a subscription's calendar, read by
//! calendar clients, which cannot send bearer tokens: the path's secret is
//! the credential.

use actix_web::{get, web, HttpRequest, HttpResponse};

use crate::auth::RequestMeta;
use crate::domain::buddy::calendar;
use crate::error::ApiResult;
use crate::routes::problems;
use crate::state::AppState;

const TEXT_CALENDAR: &str = "text/calendar; charset=utf-8";

/// The meetings of every pairing of the account a subscription belongs
/// to, as iCalendar. No bearer token: the path's secret is the credential;
/// an unknown or revoked one answers 404.
#[utoipa::path(
    tag = "buddy",
    security(()),
    params(("token" = String, Path, description = "The subscription's secret", pattern = "^[A-Za-z0-9_-]{43}$")),
    responses(
        (status = 200, description = "The account's meetings (RFC 5545)", body = String, content_type = "text/calendar"),
        (status = 404, response = inline(problems::NotFound)),
    )
)]
#[get("/buddy/calendar/{token}.ics")]
pub async fn subscribed_calendar(
    req: HttpRequest,
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let token = token.into_inner();
    // A malformed token is refused before a connection is taken.
    calendar::check_token(&token)?;
    let mut conn = crate::db::conn(&state.pool).await?;
    let text = calendar::subscribed(&mut conn, &token, &RequestMeta::of(&req)).await?;
    Ok(HttpResponse::Ok()
        .insert_header(("content-type", TEXT_CALENDAR))
        .insert_header(("cache-control", "private, no-cache"))
        .body(text))
}
