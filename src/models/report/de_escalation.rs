//! De-escalations by ward and local month.

use diesel::sql_types::{BigInt, Double, Text, Uuid as SqlUuid};
use diesel::QueryableByName;
use diesel_async::AsyncPgConnection;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::{run, Period, MONTH, PERIOD_FILTER};

/// De-escalations of a ward in a local month.
#[derive(Debug, Clone, Serialize, QueryableByName, ToSchema)]
pub struct DeEscalationRow {
    #[diesel(sql_type = SqlUuid)]
    pub ward_id: Uuid,
    #[diesel(sql_type = Text)]
    pub ward_code: String,
    #[diesel(sql_type = Text)]
    pub ward_name: String,
    #[diesel(sql_type = Text)]
    #[schema(example = "2026-04")]
    pub month: String,
    #[diesel(sql_type = BigInt)]
    pub de_escalations: i64,
    /// How many ended without restraint.
    #[diesel(sql_type = BigInt)]
    pub restraint_avoided: i64,
    /// `restraint_avoided / de_escalations`, 0 to 1, to 3 decimals.
    #[diesel(sql_type = Double)]
    pub restraint_avoided_share: f64,
    /// How many needed staff called.
    #[diesel(sql_type = BigInt)]
    pub staff_called: i64,
}

/// De-escalations by ward and local month.
pub async fn de_escalation(
    conn: &mut AsyncPgConnection,
    period: &Period,
) -> diesel::QueryResult<Vec<DeEscalationRow>> {
    run(conn, de_escalation_sql(), period).await
}

/// The SQL of [`de_escalation`], public for the benchmark.
pub fn de_escalation_sql() -> String {
    format!(
        "SELECT w.id AS ward_id, w.code AS ward_code, w.name AS ward_name, r.month, r.de_escalations, \
           r.restraint_avoided, round(r.restraint_avoided::numeric / r.de_escalations, 3)::float8 \
             AS restraint_avoided_share, r.staff_called \
         FROM (SELECT a.ward_id, {MONTH} AS month, count(*) AS de_escalations, \
             count(*) FILTER (WHERE a.restraint_avoided) AS restraint_avoided, \
             count(*) FILTER (WHERE a.staff_called) AS staff_called \
           FROM activities a WHERE a.kind = 'de_escalation' AND {PERIOD_FILTER} \
           GROUP BY 1, 2) r \
         JOIN wards w ON w.id = r.ward_id ORDER BY w.code, r.month"
    )
}
