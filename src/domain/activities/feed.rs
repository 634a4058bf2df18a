//! The activity outbox read as a feed: a ward tablet's changes since it
//! last synced, and a trust system's events. Both read pages of the same
//! outbox (`crate::models::feed`) and audit what they answer.

use diesel_async::AsyncPgConnection;
use uuid::Uuid;

use super::audit_read;
use crate::access::{Actor, WardScope};
use crate::domain::{DomainError, DomainResult};
use crate::models::activity::{self, Activity};
use crate::models::feed::{self, EventRow, Position};
use crate::pagination::{LimitOutOfRange, PageParams};

/// A page of the outbox.
pub struct FeedPage {
    /// The events and the activities they carry, oldest first.
    pub items: Vec<(EventRow, Activity)>,
    /// Where to continue: the last event here, or the start unchanged.
    pub next: Position,
    /// Whether more events were already waiting.
    pub more: bool,
}

/// Reads a feed's `limit` like every list does.
pub fn feed_limit(limit: Option<i64>) -> Result<i64, LimitOutOfRange> {
    PageParams {
        cursor: None,
        limit,
    }
    .limit()
}

/// A tablet's changes after `start` on one ward (404 outside the actor's
/// scope) or on every ward it may read; audited as `sync`.
pub async fn changes(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    start: Position,
    ward_id: Option<Uuid>,
    limit: i64,
) -> DomainResult<FeedPage> {
    let wards = actor.ward_scope().narrow(ward_id)?;
    let page = page(conn, start, wards.as_deref(), limit).await?;
    let shown: Vec<&Activity> = page.items.iter().map(|(_, a)| a).collect();
    audit_read(conn, actor, "sync", &shown).await?;
    Ok(page)
}

/// Where a tablet starts following a ward's changes now (404 outside the
/// actor's scope): every change before it is already in what the list
/// (`GET /api/v1/activities`, newest first) answers from now on, and every
/// change after it comes through the feed. So a tablet reads the newest
/// page of the list and follows the feed from here, instead of reading the
/// ward's whole history oldest first before it can show anything; older
/// pages of the list come later, as they are wanted. Nothing is read of any
/// record, so nothing is audited.
pub async fn start_now(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    ward_id: Option<Uuid>,
) -> DomainResult<Position> {
    actor.ward_scope().narrow(ward_id)?;
    let horizon = feed::horizon(conn).await?;
    Ok(Position::at_horizon(horizon))
}

/// Every ward's events after `start`; audited as `feed`.
pub async fn events(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    start: Position,
    limit: i64,
) -> DomainResult<FeedPage> {
    // Every ward, unless the actor is an integration client limited to some.
    let wards = actor.ward_scope().narrow(None)?;
    let page = page(conn, start, wards.as_deref(), limit).await?;
    let shown: Vec<&Activity> = page.items.iter().map(|(_, a)| a).collect();
    audit_read(conn, actor, "feed", &shown).await?;
    Ok(page)
}

/// Loads a page of events after a position: the rows, the activities they
/// carry, where to continue and whether more were waiting.
async fn page(
    conn: &mut AsyncPgConnection,
    start: Position,
    wards: Option<&[Uuid]>,
    limit: i64,
) -> DomainResult<FeedPage> {
    let mut rows = feed::after(conn, start, wards, None, limit + 1).await?;
    let more = rows.len() as i64 > limit;
    rows.truncate(limit as usize);
    let next = rows.last().map_or(start, EventRow::position);
    let mut items = Vec::with_capacity(rows.len());
    for row in rows {
        let activity = payload_activity(conn, &row).await?;
        items.push((row, activity));
    }
    Ok(FeedPage { items, next, more })
}

/// The activity an outbox event carries. A payload written by an earlier
/// version of peerlog may lack a field a later version added, or hold one
/// it no longer has; one such event must never stop a ward's feed. So: the
/// payload as stored; else the payload with the fields every event row
/// also knows (id, ward, version, time) and empty link lists filled in;
/// else, logged, the activity as it reads now (a later event repeats the
/// newer changes anyway).
async fn payload_activity(conn: &mut AsyncPgConnection, row: &EventRow) -> DomainResult<Activity> {
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
    activity::find(conn, row.activity_id, &WardScope::All)
        .await?
        .ok_or_else(|| DomainError::internal(format!("event {} activity vanished", row.id)))
}
