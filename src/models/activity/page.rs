//! A page of activities in one statement: the rows, and with each its
//! co-workers and service users as arrays, so a page costs one round trip
//! instead of three (rows, then co-workers, then service users).
//!
//! The statement's text depends only on which filters are present, never
//! on their values: diesel prepares each shape once per connection and
//! later pages only bind and execute it.
//!
//! The page's ids come first, then its rows by primary key. One ward's page
//! reads its ids and statuses from the `(ward_id, started_at DESC, id DESC)
//! INCLUDE (status)` index alone (an index-only scan, and the only one
//! possible: no other index holds the status), from the cursor on (one row
//! comparison, an exact bound on that index), and stops after `limit + 1`,
//! whatever share of all activities the ward holds. Reading rows from the
//! heap instead, the planner weighed that index against the global
//! `started_at` indexes filtered by ward, and for a ward holding most of
//! the activities took a global one: `started_at` follows the table's
//! physical order and `ward_id` does not, so the heap looked cheaper to
//! read in that order. The limit stays a parameter: a generic plan, which
//! assumes a tenth of the table is wanted, then always costs more than a
//! custom one, so every page is planned knowing its ward's share of the
//! table (a generic plan taken for the average ward scanned a global index
//! past most rows for a ward with few). Index-only scans need the
//! visibility map that autovacuum keeps; where most of the table is not
//! yet marked all-visible, a ward holding most of the activities may still
//! be read through a global index, which then finds its rows at once. The
//! ward is compared with `=` alone (a ward outside the caller's scope
//! answers an empty page without asking the database). The co-workers and
//! service users are read for the page's rows only, each through its
//! table's primary key. `bench/explain.sh` shows the plans at one and ten
//! million activities.

use chrono::{DateTime, Utc};
use diesel::pg::Pg;
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};
use diesel::sql_types::{Array, BigInt, Untyped, Uuid as SqlUuid};
use diesel::{QueryResult, QueryableByName};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::{Activity, ActivityFilter, ActivityKind, ActivityRow, ActivityStatus, ListKey};
use crate::access::WardScope;

/// A page of activities in the scope, newest first, after the cursor:
/// up to `limit + 1` of them (the extra one only tells there is a next
/// page), each with its co-workers and service users.
pub async fn list(
    conn: &mut AsyncPgConnection,
    scope: &WardScope,
    filter: &ActivityFilter,
    after: Option<ListKey>,
    limit: i64,
) -> QueryResult<Vec<Activity>> {
    let Some(query) = PageQuery::new(scope, filter, after, limit) else {
        return Ok(Vec::new());
    };
    let rows: Vec<PageRow> = query.load(conn).await?;
    rows.into_iter().map(PageRow::into_activity).collect()
}

/// The statement of one page. Build it with [`PageQuery::new`]; print it
/// with [`PageQuery::sql`] (the benchmark EXPLAINs exactly this).
pub struct PageQuery<'a> {
    /// The caller's wards, when the caller does not see all of them and
    /// asked for no single ward.
    wards: Option<&'a [Uuid]>,
    filter: &'a ActivityFilter,
    after: Option<ListKey>,
    /// Rows to read: the page size plus one.
    rows: i64,
}

impl<'a> PageQuery<'a> {
    /// The statement for a page, or `None` when the ward asked for is
    /// outside the scope (the page is empty).
    pub fn new(
        scope: &'a WardScope,
        filter: &'a ActivityFilter,
        after: Option<ListKey>,
        limit: i64,
    ) -> Option<Self> {
        let wards = match (scope, filter.ward_id) {
            (WardScope::Only(ids), Some(ward)) if !ids.contains(&ward) => return None,
            (WardScope::Only(ids), None) => Some(ids.as_slice()),
            _ => None,
        };
        Some(PageQuery {
            wards,
            filter,
            after,
            rows: limit + 1,
        })
    }

    /// The SQL text with its parameters as `$1`, `$2`, … in order, and the
    /// parameters' values as SQL literals (for the benchmark's EXPLAIN).
    pub fn sql(&self) -> (String, Vec<String>) {
        let sql = diesel::debug_query::<Pg, _>(self).to_string();
        // debug_query prints `<sql> -- binds: [..]`: keep the SQL only.
        let text = sql
            .rsplit_once(" -- binds: ")
            .map_or(sql.as_str(), |(s, _)| s)
            .to_string();
        // In the order `walk_ast` binds them.
        let f = self.filter;
        let mut params = Vec::new();
        if let Some(status) = f.status {
            params.push(format!("'{status}'"));
        }
        if let Some(ids) = self.wards {
            let list: Vec<String> = ids.iter().map(Uuid::to_string).collect();
            params.push(format!("'{{{}}}'::uuid[]", list.join(",")));
        }
        if let Some(ward) = f.ward_id {
            params.push(format!("'{ward}'::uuid"));
        }
        if let Some(kind) = f.kind {
            params.push(format!("'{kind}'"));
        }
        for at in [f.from, f.to].into_iter().flatten() {
            params.push(format!("'{}'::timestamptz", at.to_rfc3339()));
        }
        if let Some(worker) = f.recorded_by {
            params.push(format!("'{worker}'::uuid"));
        }
        if let Some(person) = f.service_user_id {
            params.push(format!("'{person}'::uuid"));
        }
        if let Some((started, id)) = self.after {
            params.push(format!("'{}'::timestamptz", started.to_rfc3339()));
            params.push(format!("'{id}'::uuid"));
        }
        params.push(self.rows.to_string());
        (text, params)
    }
}

impl QueryId for PageQuery<'_> {
    type QueryId = ();
    // No static id: diesel caches the prepared statement by its SQL text,
    // which differs only by the filters present.
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl Query for PageQuery<'_> {
    type SqlType = Untyped;
}

impl QueryFragment<Pg> for PageQuery<'_> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        use diesel::sql_types::{Text, Timestamptz};
        out.push_sql(
            "SELECT a.id, a.ward_id, a.kind, a.recorded_by, a.started_at, a.ended_at, \
               a.duration_minutes, a.note, page.status, a.version, a.details, a.content_hash, \
               a.void_reason, a.created_at, a.updated_at, a.leave_confirmed_by, \
               a.leave_confirmed_at, \
               ARRAY(SELECT c.user_id FROM activity_co_workers c \
                     WHERE c.activity_id = a.id ORDER BY c.user_id) AS co_worker_ids, \
               ARRAY(SELECT s.service_user_id FROM activity_service_users s \
                     WHERE s.activity_id = a.id ORDER BY s.service_user_id) AS service_user_ids \
             FROM (SELECT p.id, p.status FROM activities p WHERE ",
        );
        let f = self.filter;
        match f.status {
            Some(ref status) => {
                out.push_sql("p.status = ");
                out.push_bind_param::<Text, _>(status)?;
            }
            None => out.push_sql("p.status <> 'entered_in_error'"),
        }
        if let Some(ids) = self.wards {
            out.push_sql(" AND p.ward_id = ANY(");
            out.push_bind_param::<Array<SqlUuid>, _>(ids)?;
            out.push_sql(")");
        }
        if let Some(ref ward) = f.ward_id {
            out.push_sql(" AND p.ward_id = ");
            out.push_bind_param::<SqlUuid, _>(ward)?;
        }
        if let Some(ref kind) = f.kind {
            out.push_sql(" AND p.kind = ");
            out.push_bind_param::<Text, _>(kind)?;
        }
        if let Some(ref from) = f.from {
            out.push_sql(" AND p.started_at >= ");
            out.push_bind_param::<Timestamptz, _>(from)?;
        }
        if let Some(ref to) = f.to {
            out.push_sql(" AND p.started_at < ");
            out.push_bind_param::<Timestamptz, _>(to)?;
        }
        if let Some(ref worker) = f.recorded_by {
            out.push_sql(" AND p.recorded_by = ");
            out.push_bind_param::<SqlUuid, _>(worker)?;
        }
        if let Some(ref person) = f.service_user_id {
            out.push_sql(
                " AND p.id IN (SELECT l.activity_id FROM activity_service_users l \
                 WHERE l.service_user_id = ",
            );
            out.push_bind_param::<SqlUuid, _>(person)?;
            out.push_sql(")");
        }
        if let Some((ref started, ref id)) = self.after {
            // The keyset as one row comparison: an exact bound on the
            // index (`ward_id = $w AND ROW(started_at, id) < ROW($t, $id)`),
            // estimated as one range rather than an OR counted twice.
            out.push_sql(" AND (p.started_at, p.id) < (");
            out.push_bind_param::<Timestamptz, _>(started)?;
            out.push_sql(", ");
            out.push_bind_param::<SqlUuid, _>(id)?;
            out.push_sql(")");
        }
        // One ward: the order of the `(ward_id, started_at, id)` index's own
        // key (the same order, as the ward is fixed).
        if f.ward_id.is_some() {
            out.push_sql(" ORDER BY p.ward_id DESC, p.started_at DESC, p.id DESC");
        } else {
            out.push_sql(" ORDER BY p.started_at DESC, p.id DESC");
        }
        out.push_sql(" LIMIT ");
        out.push_bind_param::<BigInt, _>(&self.rows)?;
        out.push_sql(
            ") page JOIN activities a ON a.id = page.id ORDER BY a.started_at DESC, a.id DESC",
        );
        Ok(())
    }
}

/// One row of a page: the stored columns and the two link arrays.
#[derive(QueryableByName)]
struct PageRow {
    #[diesel(sql_type = SqlUuid)]
    id: Uuid,
    #[diesel(sql_type = SqlUuid)]
    ward_id: Uuid,
    #[diesel(sql_type = diesel::sql_types::Text)]
    kind: ActivityKind,
    #[diesel(sql_type = SqlUuid)]
    recorded_by: Uuid,
    #[diesel(sql_type = diesel::sql_types::Timestamptz)]
    started_at: DateTime<Utc>,
    #[diesel(sql_type = diesel::sql_types::Timestamptz)]
    ended_at: DateTime<Utc>,
    #[diesel(sql_type = diesel::sql_types::Integer)]
    duration_minutes: i32,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    note: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Text)]
    status: ActivityStatus,
    #[diesel(sql_type = diesel::sql_types::Integer)]
    version: i32,
    #[diesel(sql_type = diesel::sql_types::Jsonb)]
    details: serde_json::Value,
    #[diesel(sql_type = diesel::sql_types::Text)]
    content_hash: String,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    void_reason: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Timestamptz)]
    created_at: DateTime<Utc>,
    #[diesel(sql_type = diesel::sql_types::Timestamptz)]
    updated_at: DateTime<Utc>,
    #[diesel(sql_type = diesel::sql_types::Nullable<SqlUuid>)]
    leave_confirmed_by: Option<Uuid>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Timestamptz>)]
    leave_confirmed_at: Option<DateTime<Utc>>,
    #[diesel(sql_type = Array<SqlUuid>)]
    co_worker_ids: Vec<Uuid>,
    #[diesel(sql_type = Array<SqlUuid>)]
    service_user_ids: Vec<Uuid>,
}

impl PageRow {
    fn into_activity(self) -> QueryResult<Activity> {
        let row = ActivityRow {
            id: self.id,
            ward_id: self.ward_id,
            kind: self.kind,
            recorded_by: self.recorded_by,
            started_at: self.started_at,
            ended_at: self.ended_at,
            duration_minutes: self.duration_minutes,
            note: self.note,
            status: self.status,
            version: self.version,
            details: self.details,
            content_hash: self.content_hash,
            void_reason: self.void_reason,
            created_at: self.created_at,
            updated_at: self.updated_at,
            leave_confirmed_by: self.leave_confirmed_by,
            leave_confirmed_at: self.leave_confirmed_at,
        };
        row.into_activity(self.co_worker_ids, self.service_user_ids)
    }
}
