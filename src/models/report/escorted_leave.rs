//! Escorted leave by ward and local month.

use diesel::sql_types::{BigInt, Double, Text, Uuid as SqlUuid};
use diesel::QueryableByName;
use diesel_async::AsyncPgConnection;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::{run, Period, MONTH, PERIOD_FILTER};

/// Escorted leave of a ward in a local month.
#[derive(Debug, Clone, Serialize, QueryableByName, ToSchema)]
pub struct EscortedLeaveRow {
    #[diesel(sql_type = SqlUuid)]
    pub ward_id: Uuid,
    #[diesel(sql_type = Text)]
    pub ward_code: String,
    #[diesel(sql_type = Text)]
    pub ward_name: String,
    #[diesel(sql_type = Text)]
    #[schema(example = "2026-04")]
    pub month: String,
    /// Leave episodes escorted.
    #[diesel(sql_type = BigInt)]
    pub episodes: i64,
    /// Hours off the ward (from departure to return; the activity's
    /// duration when no return time was recorded), to 2 decimals.
    #[diesel(sql_type = Double)]
    pub leave_hours: f64,
    #[diesel(sql_type = BigInt)]
    pub returned_as_planned: i64,
    #[diesel(sql_type = BigInt)]
    pub not_returned_as_planned: i64,
}

/// Escorted leave by ward and local month.
pub async fn escorted_leave(
    conn: &mut AsyncPgConnection,
    period: &Period,
) -> diesel::QueryResult<Vec<EscortedLeaveRow>> {
    run(conn, escorted_leave_sql(), period).await
}

/// The SQL of [`escorted_leave`], public for the benchmark.
pub fn escorted_leave_sql() -> String {
    format!(
        "SELECT w.id AS ward_id, w.code AS ward_code, w.name AS ward_name, r.month, r.episodes, \
           r.leave_hours, r.returned_as_planned, r.not_returned_as_planned \
         FROM (SELECT a.ward_id, {MONTH} AS month, count(*) AS episodes, \
             round(sum(coalesce(a.leave_minutes, a.duration_minutes)) / 60.0, 2)::float8 AS leave_hours, \
             count(*) FILTER (WHERE a.returned_as_planned) AS returned_as_planned, \
             count(*) FILTER (WHERE NOT a.returned_as_planned) AS not_returned_as_planned \
           FROM activities a WHERE a.kind = 'escorted_leave' AND {PERIOD_FILTER} \
           GROUP BY 1, 2) r \
         JOIN wards w ON w.id = r.ward_id ORDER BY w.code, r.month"
    )
}
