//! `/api/v1/buddy/calendar-subscription`: a student's or buddy's personal
//! calendar subscription URL, issued and revoked. The URL carries a secret
//! token (only its digest is stored; the access log never shows it).

use actix_web::{delete, put, web, HttpResponse};
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::{policy, CurrentUser};
use crate::domain::buddy::calendar;
use crate::error::ApiResult;
use crate::routes::problems;
use crate::state::AppState;

/// A personal calendar subscription.
#[derive(Debug, Serialize, ToSchema)]
pub struct CalendarSubscription {
    /// The subscription's path on this server (add the origin). Anyone with
    /// it reads your meetings: keep it private; revoke it if shared.
    #[schema(example = "/api/v1/buddy/calendar/1Xq…Zk.ics")]
    pub path: String,
}

/// Issues the caller's personal calendar subscription URL (a student's or
/// buddy's account), replacing any earlier one, which stops working at once.
#[utoipa::path(
    tag = "buddy",
    responses(
        (status = 200, description = "The new subscription", body = CalendarSubscription),
        (status = 403, response = inline(problems::Forbidden)),
    )
)]
#[put("/buddy/calendar-subscription")]
pub async fn subscribe_calendar(
    state: web::Data<AppState>,
    user: CurrentUser,
) -> ApiResult<HttpResponse> {
    user.require(policy::CALENDAR_SUBSCRIBERS)?;
    let mut conn = user.conn(&state.pool).await?;
    let token = calendar::subscribe(&mut conn, &user.actor()).await?;
    Ok(HttpResponse::Ok().json(CalendarSubscription {
        path: format!("/api/v1/buddy/calendar/{token}.ics"),
    }))
}

/// Revokes the caller's calendar subscription: its URL answers 404 from now on.
#[utoipa::path(
    tag = "buddy",
    responses(
        (status = 204, description = "Revoked"),
        (status = 403, response = inline(problems::Forbidden)),
        (status = 404, response = inline(problems::NotFound)),
    )
)]
#[delete("/buddy/calendar-subscription")]
pub async fn unsubscribe_calendar(
    state: web::Data<AppState>,
    user: CurrentUser,
) -> ApiResult<HttpResponse> {
    user.require(policy::CALENDAR_SUBSCRIBERS)?;
    let mut conn = user.conn(&state.pool).await?;
    calendar::unsubscribe(&mut conn, &user.actor()).await?;
    Ok(HttpResponse::NoContent().finish())
}
