//! `GET /api/v1/events`: the activity outbox, in order, for trust systems
//! that remember where they stopped.

use actix_web::{get, web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::Query;
use crate::models::activity::Activity;
use crate::models::feed::{self, EventRow, Position};
use crate::pagination::{DEFAULT_LIMIT, MAX_LIMIT};
use crate::routes::activities::audit_read;
use crate::state::AppState;

use crate::auth::policy::EVENT_READERS;

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

/// Reads a limit like every list does.
pub(crate) fn feed_limit(limit: Option<i64>) -> ApiResult<i64> {
    match limit {
        None => Ok(DEFAULT_LIMIT),
        Some(n) if (1..=MAX_LIMIT).contains(&n) => Ok(n),
        Some(_) => Err(ApiError::BadRequest {
            code: "invalid_query",
            detail: format!("Query parameter `limit` must be between 1 and {MAX_LIMIT}."),
        }),
    }
}

/// Loads a page of events after a position: the rows, the activities they
/// carry, where to continue and whether more were waiting.
pub(crate) async fn page(
    conn: &mut diesel_async::AsyncPgConnection,
    start: Position,
    wards: Option<&[Uuid]>,
    limit: i64,
) -> ApiResult<(Vec<(EventRow, Activity)>, Position, bool)> {
    let mut rows = feed::after(conn, start, wards, None, limit + 1).await?;
    let more = rows.len() as i64 > limit;
    rows.truncate(limit as usize);
    let next = rows.last().map_or(start, EventRow::position);
    let mut items = Vec::with_capacity(rows.len());
    for row in rows {
        let activity = payload_activity(conn, &row).await?;
        items.push((row, activity));
    }
    Ok((items, next, more))
}

/// The activity an outbox event carries. A payload written by an earlier
/// version of peerlog may lack a field a later version added, or hold one
/// it no longer has; one such event must never stop a ward's feed. So: the
/// payload as stored; else the payload with the fields every event row
/// also knows (id, ward, version, time) and empty link lists filled in;
/// else, logged, the activity as it reads now (a later event repeats the
/// newer changes anyway).
pub(crate) async fn payload_activity(
    conn: &mut diesel_async::AsyncPgConnection,
    row: &EventRow,
) -> ApiResult<Activity> {
    let first = match serde_json::from_value::<Activity>(row.payload.clone()) {
        Ok(activity) => return Ok(activity),
        Err(e) => e,
    };
    if let serde_json::Value::Object(stored) = &row.payload {
        let mut filled = stored.clone();
        let defaults = [
            ("id", serde_json::json!(row.activity_id)),
            ("ward_id", serde_json::json!(row.ward_id)),
            ("version", serde_json::json!(row.version)),
            ("co_worker_ids", serde_json::json!([])),
            ("service_user_ids", serde_json::json!([])),
            ("created_at", serde_json::json!(row.occurred_at)),
            ("updated_at", serde_json::json!(row.occurred_at)),
            (
                "status",
                serde_json::json!(if row.event_type == "voided" {
                    "entered_in_error"
                } else if row.version > 1 {
                    "amended"
                } else {
                    "recorded"
                }),
            ),
        ];
        for (key, value) in defaults {
            filled.entry(key).or_insert(value);
        }
        if let Ok(activity) = serde_json::from_value(serde_json::Value::Object(filled)) {
            return Ok(activity);
        }
    }
    log::warn!(
        "event {} payload unreadable ({first}); serving activity {} as it reads now",
        row.id,
        row.activity_id
    );
    crate::models::activity::find(conn, row.activity_id, &crate::auth::WardScope::All)
        .await?
        .ok_or_else(|| ApiError::internal(format!("event {} activity vanished", row.id)))
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
        (status = 403, description = "Not integration or manager", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`after` is not a position this service issued", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/events")]
pub async fn list_events(
    state: web::Data<AppState>,
    user: CurrentUser,
    query: Query<EventQuery>,
) -> ApiResult<HttpResponse> {
    user.require(EVENT_READERS)?;
    let limit = feed_limit(query.limit)?;
    let start = Position::parse(query.after.as_deref(), "after")?;
    let mut conn = user.conn(&state.pool).await?;
    let (items, next, more) = page(&mut conn, start, None, limit).await?;
    let shown: Vec<&Activity> = items.iter().map(|(_, a)| a).collect();
    audit_read(&mut conn, &user, "feed", &shown).await?;
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
