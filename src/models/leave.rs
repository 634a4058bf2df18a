//! Escorted leave as it happens: the row of one planned leave through its
//! states, and the statements that read and move it. Which move is allowed,
//! by whom, is the domain's (`crate::domain::leave`).

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::models::activity::kinds::{DestinationCategory, LeaveAuthorisation};
use crate::schema::{leaves, service_users, users};

crate::text_enum! {
    /// Where a leave is in its life: `planned` → `authorised` → `out` →
    /// `returned`, or `cancelled` from `planned` or `authorised`.
    pub enum LeaveState {
        /// Planned by a worker; waiting for a nurse on the ward.
        Planned = "planned",
        /// Authorised by a nurse on the ward; nobody has left yet.
        Authorised = "authorised",
        /// The person is off the ward with the worker.
        Out = "out",
        /// Back; the escorted-leave activity is recorded.
        Returned = "returned",
        /// Called off before anyone left, with who and why.
        Cancelled = "cancelled",
    }
}

impl LeaveState {
    /// Planned, authorised or out: the leave the ward is still dealing with.
    pub const OPEN: &'static [LeaveState] =
        &[LeaveState::Planned, LeaveState::Authorised, LeaveState::Out];
}

/// One leave as stored.
#[derive(Debug, Clone, Queryable, Selectable, Serialize, ToSchema)]
#[diesel(table_name = leaves)]
pub struct LeaveRow {
    pub id: Uuid,
    pub ward_id: Uuid,
    pub service_user_id: Uuid,
    pub planned_by: Uuid,
    pub state: LeaveState,
    pub authorisation: LeaveAuthorisation,
    pub destination: DestinationCategory,
    pub purpose: Option<String>,
    #[serde(serialize_with = "crate::rfc3339::serialize")]
    pub planned_out_at: DateTime<Utc>,
    pub expected_minutes: i32,
    pub authorised_by: Option<Uuid>,
    #[serde(serialize_with = "crate::rfc3339::serialize_option")]
    pub authorised_at: Option<DateTime<Utc>>,
    #[serde(serialize_with = "crate::rfc3339::serialize_option")]
    pub departed_at: Option<DateTime<Utc>>,
    #[serde(serialize_with = "crate::rfc3339::serialize_option")]
    pub returned_at: Option<DateTime<Utc>>,
    pub activity_id: Option<Uuid>,
    pub cancelled_by: Option<Uuid>,
    #[serde(serialize_with = "crate::rfc3339::serialize_option")]
    pub cancelled_at: Option<DateTime<Utc>>,
    pub cancel_reason: Option<String>,
    pub version: i32,
    #[serde(serialize_with = "crate::rfc3339::serialize")]
    pub created_at: DateTime<Utc>,
    #[serde(serialize_with = "crate::rfc3339::serialize")]
    pub updated_at: DateTime<Utc>,
}

/// A leave as the API answers it: the stored row, with the names a ward
/// screen shows beside it (the person's display label, never an NHS
/// number; staff by display name).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Leave {
    #[serde(flatten)]
    pub row: LeaveRow,
    /// The person's display label on the ward, e.g. initials.
    pub service_user_label: String,
    pub planned_by_name: String,
    pub authorised_by_name: Option<String>,
    pub cancelled_by_name: Option<String>,
}

impl Leave {
    /// The leave's version as an entity tag.
    pub fn etag(&self) -> String {
        self.row.etag()
    }

    /// The leave as JSON, for `current` in a problem.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or_default()
    }
}

impl LeaveRow {
    /// The leave's version as an entity tag.
    pub fn etag(&self) -> String {
        format!("\"v{}\"", self.version)
    }
}

/// A new leave's columns.
#[derive(Debug, Insertable)]
#[diesel(table_name = leaves)]
pub struct NewLeaveRow<'a> {
    pub id: Uuid,
    pub ward_id: Uuid,
    pub service_user_id: Uuid,
    pub planned_by: Uuid,
    pub authorisation: LeaveAuthorisation,
    pub destination: DestinationCategory,
    pub purpose: Option<&'a str>,
    pub planned_out_at: DateTime<Utc>,
    pub expected_minutes: i32,
}

/// Filters for listing leave.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LeaveFilter {
    /// One of the caller's wards; absent: all of them.
    pub ward_id: Option<Uuid>,
    /// States to include, comma-separated (e.g. `planned,authorised,out`);
    /// absent: every state.
    #[param(example = "planned,authorised,out")]
    pub state: Option<String>,
}

/// Inserts a new leave unless one with its id exists; answers how many
/// rows were inserted.
pub async fn insert(conn: &mut AsyncPgConnection, new: &NewLeaveRow<'_>) -> QueryResult<usize> {
    diesel::insert_into(leaves::table)
        .values(new)
        .on_conflict(leaves::id)
        .do_nothing()
        .execute(conn)
        .await
}

/// One leave, whatever its ward (callers check the scope).
pub async fn find(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<Option<LeaveRow>> {
    leaves::table
        .find(id)
        .select(LeaveRow::as_select())
        .first(conn)
        .await
        .optional()
}

/// One leave, its row locked until the transaction ends, so that two
/// transitions of the same leave happen one after the other.
pub async fn lock(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<Option<LeaveRow>> {
    leaves::table
        .find(id)
        .select(LeaveRow::as_select())
        .for_update()
        .first(conn)
        .await
        .optional()
}

/// A page of leave on these wards (`None`: every ward) in these states
/// (empty: every state), by id.
pub async fn list(
    conn: &mut AsyncPgConnection,
    wards: Option<&[Uuid]>,
    states: &[LeaveState],
    after: Option<Uuid>,
    limit: i64,
) -> QueryResult<Vec<LeaveRow>> {
    let mut query = leaves::table.into_boxed();
    if let Some(w) = wards {
        query = query.filter(leaves::ward_id.eq_any(w.to_vec()));
    }
    if !states.is_empty() {
        query = query.filter(leaves::state.eq_any(states.to_vec()));
    }
    if let Some(a) = after {
        query = query.filter(leaves::id.gt(a));
    }
    query
        .order(leaves::id.asc())
        .limit(limit)
        .select(LeaveRow::as_select())
        .load(conn)
        .await
}

/// Display names of these users.
pub async fn user_names(
    conn: &mut AsyncPgConnection,
    ids: &[Uuid],
) -> QueryResult<Vec<(Uuid, String)>> {
    users::table
        .filter(users::id.eq_any(ids))
        .select((users::id, users::display_name))
        .load(conn)
        .await
}

/// Display labels of these service users.
pub async fn service_user_labels(
    conn: &mut AsyncPgConnection,
    ids: &[Uuid],
) -> QueryResult<Vec<(Uuid, String)>> {
    service_users::table
        .filter(service_users::id.eq_any(ids))
        .select((service_users::id, service_users::display_label))
        .load(conn)
        .await
}

/// Marks a leave authorised by `by`, now.
pub async fn authorise(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    by: Uuid,
    version: i32,
) -> QueryResult<()> {
    let now = Utc::now();
    diesel::update(leaves::table.find(id))
        .set((
            leaves::state.eq(LeaveState::Authorised),
            leaves::authorised_by.eq(by),
            leaves::authorised_at.eq(now),
            leaves::version.eq(version),
            leaves::updated_at.eq(now),
        ))
        .execute(conn)
        .await
        .map(|_| ())
}

/// Marks a leave out, since `at`.
pub async fn depart(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    at: DateTime<Utc>,
    version: i32,
) -> QueryResult<()> {
    diesel::update(leaves::table.find(id))
        .set((
            leaves::state.eq(LeaveState::Out),
            leaves::departed_at.eq(at),
            leaves::version.eq(version),
            leaves::updated_at.eq(Utc::now()),
        ))
        .execute(conn)
        .await
        .map(|_| ())
}

/// Marks a leave returned at `at`, with the activity that records it.
pub async fn returned(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    at: DateTime<Utc>,
    activity_id: Uuid,
    version: i32,
) -> QueryResult<()> {
    diesel::update(leaves::table.find(id))
        .set((
            leaves::state.eq(LeaveState::Returned),
            leaves::returned_at.eq(at),
            leaves::activity_id.eq(activity_id),
            leaves::version.eq(version),
            leaves::updated_at.eq(Utc::now()),
        ))
        .execute(conn)
        .await
        .map(|_| ())
}

/// Marks a leave cancelled by `by`, now, for `reason`.
pub async fn cancel(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    by: Uuid,
    reason: &str,
    version: i32,
) -> QueryResult<()> {
    let now = Utc::now();
    diesel::update(leaves::table.find(id))
        .set((
            leaves::state.eq(LeaveState::Cancelled),
            leaves::cancelled_by.eq(by),
            leaves::cancelled_at.eq(now),
            leaves::cancel_reason.eq(reason),
            leaves::version.eq(version),
            leaves::updated_at.eq(now),
        ))
        .execute(conn)
        .await
        .map(|_| ())
}
