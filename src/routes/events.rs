//! `GET /api/v1/events`: the activity outbox, in order, for trust systems
//! that remember where they stopped.

use actix_web::{get, web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::auth::{policy, CurrentUser};
use crate::domain::activities::feed::{self, FeedPage};
use crate::error::{ApiResult, Problem};
use crate::extract::Query;
use crate::models::activity::Activity;
use crate::models::feed::Position;
use crate::routes::problems;
use crate::state::AppState;

/// Parameters of `GET /api/v1/events`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EventQuery {
    /// The `position` of the last event you processed (or the `next` of
    /// the last answer); omit to start from the beginning.
    pub after: Option<String>,
    /// Events per answer, 1 to 200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
}

/// A change to an activity.
#[derive(Debug, Serialize, ToSchema)]
pub struct ActivityEvent {
    /// Opaque; pass as `after` to read the events that follow this one.
    pub position: String,
    /// The event's id (increasing, but not the order: use `position`).
    pub id: i64,
    pub activity_id: Uuid,
    pub ward_id: Uuid,
    /// `created`, `amended` or `voided`.
    #[schema(example = "amended")]
    pub event_type: String,
    /// The activity's version after this change.
    pub version: i32,
    pub occurred_at: DateTime<Utc>,
    /// The activity as it read after this change.
    pub activity: Activity,
}

/// A run of events.
#[derive(Debug, Serialize, ToSchema)]
pub struct EventPage {
    pub events: Vec<ActivityEvent>,
    /// Where to continue: the position of the last event here, or `after`
    /// unchanged when there was nothing new. Always present.
    pub next: String,
    /// Whether more events were already waiting.
    pub more: bool,
}

/// Every create, amend and void of an activity, on every ward, in order
/// (integration, manager).
///
/// Each event is written in the same transaction as its change, so an
/// event exists exactly when the change committed. Events appear here
/// only once every older transaction has ended, so reading on from
/// `next` never skips one; a long-running write can delay (never reorder)
/// what follows it. An activity changed again appears again, later.
#[utoipa::path(
    tag = "events",
    params(EventQuery),
    responses(
        (status = 200, description = "Events after `after`, oldest first", body = EventPage),
        (status = 403, response = inline(problems::Forbidden)),
        (status = 422, description = "`after` is not a position this service issued", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/events")]
pub async fn list_events(
    state: web::Data<AppState>,
    user: CurrentUser,
    query: Query<EventQuery>,
) -> ApiResult<HttpResponse> {
    user.require(policy::EVENT_READERS)?;
    let limit = feed::feed_limit(query.limit)?;
    let start = Position::parse(query.after.as_deref(), "after")?;
    let mut conn = user.conn(&state.pool).await?;
    let FeedPage { items, next, more } =
        feed::events(&mut conn, &user.actor(), start, limit).await?;
    let events = items
        .into_iter()
        .map(|(row, activity)| ActivityEvent {
            position: row.position().encode(),
            id: row.id,
            activity_id: row.activity_id,
            ward_id: row.ward_id,
            event_type: row.event_type,
            version: row.version,
            occurred_at: row.occurred_at,
            activity,
        })
        .collect();
    Ok(HttpResponse::Ok().json(EventPage {
        events,
        next: next.encode(),
        more,
    }))
}
