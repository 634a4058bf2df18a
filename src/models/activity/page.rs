//! A page of activities in one statement: the rows, and with each its
//! co-workers and service users as arrays, so a page costs one round trip
//! instead of three (rows, then co-workers, then service users).
//!
//! The statement's text depends only on which filters are present, never
//! on their values: diesel prepares each shape once per connection and
//! later pages only bind and execute it.
//!
//! The page's ids come first, then its rows by primary key; the
//! co-workers and service users are read for the page's rows only, each
//! through its table's primary key. A ward outside the caller's scope
//! answers an empty page without asking the database.
//!
//! **One ward's page** (a ward, perhaps a status and a cursor, no other
//! filter: what a ward's tablet and a trust system's sync read over and
//! over) is written so that one plan is right for every ward and can be
//! kept, not planned again for each page:
//!
//! - The ids and statuses come from the `(ward_id, started_at DESC, id
//!   DESC) INCLUDE (status)` index, entered at the ward and the cursor (one
//!   row comparison, an exact bound), and read for at most the page.
//! - The ward is a range of one value (`ward_id >= $w AND ward_id <= $w`),
//!   not `=`, and the order names `ward_id` first. With `=`, PostgreSQL
//!   treats the ward as a constant and drops it from the order, and then
//!   the global `started_at` indexes give the same order. A plan made for
//!   the average ward, with the table's pages not yet marked all-visible,
//!   took one of them and scanned it past tens of thousands of rows for a
//!   ward holding 0.1% of them (24–118 ms at 1 M activities). With the
//!   range, only the ward index gives the order; any other plan must sort
//!   all of the ward's rows, and costs more for every ward.
//! - The inner limit is the largest page (a constant) and the page's own
//!   size is bound outside. Nothing then varies that a plan depends on, so
//!   after five executions PostgreSQL keeps the generic plan (planning a
//!   page took about 0.3 ms of the database's CPU, as much as running it).
//!   The outer order is the inner one, so the join keeps it and stops after
//!   the page: no sort.
//!
//! Any other filter (a kind, dates, a worker, a service user) uses the
//! general shape: the ward with `=` and the page size a parameter, so
//! every such page is planned for its own values. There a kind or a worker
//! may be better read through its own index, which only a plan that knows
//! the values can tell. `bench/explain.sh` shows the plans at one and ten
//! million activities, with the table freshly vacuumed and not.

use chrono::{DateTime, Utc};
use diesel::pg::Pg;
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};
use diesel::sql_types::{Array, BigInt, Untyped, Uuid as SqlUuid};
use diesel::{QueryResult, QueryableByName};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::{Activity, ActivityFilter, ActivityKind, ActivityRow, ActivityStatus, ListKey};
use crate::access::WardScope;
use crate::pagination::MAX_LIMIT;

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
            if self.ward_only() {
                params.push(format!("'{ward}'::uuid"));
            }
        }
        if let Some(kind) = f.kind {
            params.push(format!("'{kind}'"));
        }
        for at in [f.from, f.to, f.updated_from, f.updated_to]
            .into_iter()
            .flatten()
        {
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

impl PageQuery<'_> {
    /// Whether this is one ward's page with no filter but the status: the
    /// page a ward's tablet and a trust system's sync read over and over,
    /// written so that one plan serves every ward (see the module notes).
    fn ward_only(&self) -> bool {
        let f = self.filter;
        f.ward_id.is_some()
            && f.kind.is_none()
            && f.from.is_none()
            && f.to.is_none()
            && f.updated_from.is_none()
            && f.updated_to.is_none()
            && f.recorded_by.is_none()
            && f.service_user_id.is_none()
    }
}

impl QueryFragment<Pg> for PageQuery<'_> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        use diesel::sql_types::{Text, Timestamptz};
        let ward_only = self.ward_only();
        out.push_sql(
            "SELECT a.id, a.ward_id, a.kind, a.recorded_by, a.started_at, a.ended_at, \
               a.duration_minutes, a.note, page.status, a.version, a.details, a.content_hash, \
               a.void_reason, a.created_at, a.updated_at, a.leave_confirmed_by, \
               a.leave_confirmed_at, \
               ARRAY(SELECT c.user_id FROM activity_co_workers c \
                     WHERE c.activity_id = a.id ORDER BY c.user_id) AS co_worker_ids, \
               ARRAY(SELECT s.service_user_id FROM activity_service_users s \
                     WHERE s.activity_id = a.id ORDER BY s.service_user_id) AS service_user_ids \
             FROM (SELECT p.id, p.status, p.ward_id, p.started_at FROM activities p WHERE ",
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
            if ward_only {
                // The ward as a range of one value, not `=`: see the
                // module notes. The index is still entered at the ward
                // (and at the cursor), exactly as with `=`.
                out.push_sql(" AND p.ward_id >= ");
                out.push_bind_param::<SqlUuid, _>(ward)?;
                out.push_sql(" AND p.ward_id <= ");
                out.push_bind_param::<SqlUuid, _>(ward)?;
            } else {
                out.push_sql(" AND p.ward_id = ");
                out.push_bind_param::<SqlUuid, _>(ward)?;
            }
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
        if let Some(ref from) = f.updated_from {
            out.push_sql(" AND p.updated_at >= ");
            out.push_bind_param::<Timestamptz, _>(from)?;
        }
        if let Some(ref to) = f.updated_to {
            out.push_sql(" AND p.updated_at < ");
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
        if ward_only {
            // The `(ward_id, started_at DESC, id DESC)` index's own order,
            // which no other index gives; the page's size is bound outside,
            // so every page size shares one statement and one plan.
            out.push_sql(&format!(
                " ORDER BY p.ward_id, p.started_at DESC, p.id DESC LIMIT {}) page \
                 JOIN activities a ON a.id = page.id \
                 ORDER BY page.ward_id, page.started_at DESC, page.id DESC LIMIT ",
                MAX_LIMIT + 1
            ));
            out.push_bind_param::<BigInt, _>(&self.rows)?;
            return Ok(());
        }
        // One ward with other filters: the order of the `(ward_id,
        // started_at, id)` index's own key (the same order, as the ward is
        // fixed); the page size a parameter, so that each page is planned
        // for its own values.
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
