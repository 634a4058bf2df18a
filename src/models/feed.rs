//! Reading the activity outbox (`activity_events`) in commit-safe order,
//! for the tablets' changes feed, the warehouse export and the event feed.
//!
//! Events are read in `(xid, id)` order, and only those written by
//! transactions older than every transaction still running
//! (`xid < pg_snapshot_xmin(pg_current_snapshot())`). An identity `id` alone
//! is not safe: a transaction can take id 10, commit after id 11 was read,
//! and be skipped for ever. A transaction's `xid` is assigned before it
//! writes, and once it is below the snapshot's xmin it has ended, so no
//! event can later appear behind a position already handed out.

use chrono::{DateTime, Utc};
use diesel::sql_types::{Array, BigInt, Jsonb, Text, Timestamptz, Uuid as SqlUuid};
use diesel::QueryableByName;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::pagination::{decode_cursor, encode_cursor};
use crate::validate::FieldError;

/// A place in the outbox: the last event read. The start is `(0, 0)`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Position {
    /// The writing transaction's id (`xid8`).
    pub xid: u64,
    /// The event's id.
    pub id: i64,
}

impl Position {
    /// Reads a position handed out earlier; absent or empty is the start.
    pub fn parse(text: Option<&str>, field: &str) -> Result<Position, FieldError> {
        match text.filter(|t| !t.is_empty()) {
            None => Ok(Position::default()),
            Some(t) => decode_cursor::<(u64, i64)>(t)
                .map(|(xid, id)| Position { xid, id })
                .map_err(|_| {
                    FieldError::new(
                        field,
                        "invalid_cursor",
                        "not a position this service issued; pass it exactly as received",
                    )
                }),
        }
    }

    /// The position just before every event of a transaction at or above
    /// `horizon`: every event behind it was written by a transaction that
    /// has ended (see [`horizon`]), so a read begun after the horizon was
    /// taken sees all of them, and the feed from here brings the rest.
    pub fn at_horizon(horizon: u64) -> Position {
        Position {
            xid: horizon,
            id: 0,
        }
    }

    /// The opaque text of this position.
    pub fn encode(&self) -> String {
        encode_cursor(&(self.xid, self.id))
    }
}

/// One outbox row.
#[derive(Debug, Clone, QueryableByName)]
pub struct EventRow {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = Text)]
    pub xid: String,
    #[diesel(sql_type = SqlUuid)]
    pub activity_id: Uuid,
    #[diesel(sql_type = SqlUuid)]
    pub ward_id: Uuid,
    #[diesel(sql_type = Text)]
    pub event_type: String,
    #[diesel(sql_type = diesel::sql_types::Integer)]
    pub version: i32,
    #[diesel(sql_type = Timestamptz)]
    pub occurred_at: DateTime<Utc>,
    /// The activity as it read after this change.
    #[diesel(sql_type = Jsonb)]
    pub payload: serde_json::Value,
}

impl EventRow {
    /// The position just after this event.
    pub fn position(&self) -> Position {
        Position {
            xid: self.xid.parse().unwrap_or_default(),
            id: self.id,
        }
    }
}

/// The feed's horizon now: every transaction below it has ended.
pub async fn horizon(conn: &mut AsyncPgConnection) -> diesel::QueryResult<u64> {
    #[derive(QueryableByName)]
    struct Horizon {
        #[diesel(sql_type = Text)]
        xmin: String,
    }
    let row: Horizon =
        diesel::sql_query("SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS xmin")
            .get_result(conn)
            .await?;
    Ok(row.xmin.parse().unwrap_or_default())
}

/// Up to `limit` events after `after`, in order, on the given wards (all
/// when `None`), committed by transactions that have all ended; with
/// `before`, only those of transactions below that horizon, so that a
/// long read has an end however fast new changes come.
///
/// The order is the table's `xid8` column, qualified: the output column
/// `xid` is its text form, and text order ("100" before "99") would
/// break the cursor whenever transaction ids gain a digit.
///
/// The horizon is read once and passed as a value, and the statement names
/// only the filters in use, so the plan is a range scan of the `(xid, id)`
/// (or `(ward_id, xid, id)`) index that stops after `limit` rows, not a
/// sort of the whole outbox per page.
pub async fn after(
    conn: &mut AsyncPgConnection,
    after: Position,
    wards: Option<&[Uuid]>,
    before: Option<u64>,
    limit: i64,
) -> diesel::QueryResult<Vec<EventRow>> {
    let horizon = match before {
        Some(h) => h,
        None => horizon(conn).await?,
    };
    let ward_filter = if wards.is_some() {
        "AND ward_id = ANY($5)"
    } else {
        ""
    };
    let query = diesel::sql_query(format!(
        "SELECT id, xid::text AS xid, activity_id, ward_id, event_type, version, occurred_at, payload \
         FROM activity_events \
         WHERE (xid, id) > ($1::xid8, $2) AND xid < $3::xid8 {ward_filter} \
         ORDER BY activity_events.xid, activity_events.id \
         LIMIT $4"
    ))
    .bind::<Text, _>(after.xid.to_string())
    .bind::<BigInt, _>(after.id)
    .bind::<Text, _>(horizon.to_string())
    .bind::<BigInt, _>(limit);
    match wards {
        Some(ids) => {
            query
                .bind::<Array<SqlUuid>, _>(ids.to_vec())
                .load(conn)
                .await
        }
        None => query.load(conn).await,
    }
}
