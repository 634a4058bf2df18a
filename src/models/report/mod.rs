//! The managers' activity reports: aggregate queries over `activities`.
//!
//! Every report counts the records of a period that are not entered in
//! error; an amended record is one row of `activities`, so it counts once,
//! as it now reads. Periods are Europe/London local dates, `from`
//! inclusive and `to` exclusive, converted to instants in SQL so that a
//! change of clocks is handled by PostgreSQL's zone rules; weeks (starting
//! Monday) and months are local too. The partial covering index of the
//! reports migration lets every report read only the period's rows.
//!
//! One file per report: [`activity_summary`] (from the daily rollups),
//! [`escorted_leave`], [`de_escalation`] and [`groups`] (from the
//! activities of the period).

mod activity_summary;
mod de_escalation;
mod escorted_leave;
mod groups;

pub use activity_summary::{activity_summary, activity_summary_sql, Dimension, SummaryRow};
pub use de_escalation::{de_escalation, de_escalation_sql, DeEscalationRow};
pub use escorted_leave::{escorted_leave, escorted_leave_sql, EscortedLeaveRow};
pub use groups::{groups, groups_sql, GroupRow};

use chrono::NaiveDate;
use diesel::sql_types::{Array, BigInt, Date, Nullable, Uuid as SqlUuid};
use diesel::QueryableByName;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

/// What every report covers.
#[derive(Debug, Clone)]
pub struct Period {
    /// First local date included.
    pub from: NaiveDate,
    /// First local date not included.
    pub to: NaiveDate,
    /// Only these wards; `None`: every ward.
    pub wards: Option<Vec<Uuid>>,
}

/// The rows a report reads: `$1` from, `$2` to, `$3` wards.
const PERIOD_FILTER: &str = "a.status <> 'entered_in_error' \
    AND a.started_at >= ($1::timestamp AT TIME ZONE 'Europe/London') \
    AND a.started_at < ($2::timestamp AT TIME ZONE 'Europe/London') \
    AND ($3::uuid[] IS NULL OR a.ward_id = ANY($3))";

/// The daily rollups' rows of a period: `$1` from, `$2` to, `$3` wards.
const ROLLUP_FILTER: &str =
    "r.day >= $1 AND r.day < $2 AND ($3::uuid[] IS NULL OR r.ward_id = ANY($3))";

/// A local month bucket, `YYYY-MM`.
const MONTH: &str =
    "to_char(date_trunc('month', a.started_at AT TIME ZONE 'Europe/London'), 'YYYY-MM')";

/// Runs a report query with the period bound as `$1`, `$2`, `$3`.
async fn run<R>(
    conn: &mut AsyncPgConnection,
    sql: String,
    period: &Period,
) -> diesel::QueryResult<Vec<R>>
where
    R: QueryableByName<diesel::pg::Pg> + Send + 'static,
{
    diesel::sql_query(sql)
        .bind::<Date, _>(period.from)
        .bind::<Date, _>(period.to)
        .bind::<Nullable<Array<SqlUuid>>, _>(period.wards.clone())
        .load(conn)
        .await
}

/// Records of the period marked entered in error (shown, never counted).
pub async fn entered_in_error(
    conn: &mut AsyncPgConnection,
    period: &Period,
) -> diesel::QueryResult<i64> {
    #[derive(QueryableByName)]
    struct N {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }
    let sql = PERIOD_FILTER.replace(
        "a.status <> 'entered_in_error'",
        "a.status = 'entered_in_error'",
    );
    let rows: Vec<N> = run(
        conn,
        format!("SELECT count(*) AS n FROM activities a WHERE {sql}"),
        period,
    )
    .await?;
    Ok(rows.into_iter().next().map_or(0, |r| r.n))
}
