//! The managers' activity reports: aggregate queries over `activities`.
//!
//! Every report counts the records of a period that are not entered in
//! error; an amended record is one row of `activities`, so it counts once,
//! as it now reads. Periods are Europe/London local dates, `from`
//! inclusive and `to` exclusive; a record's local day is its start's
//! Europe/London date (PostgreSQL's zone rules handle the change of
//! clocks), and weeks (starting Monday) and months are local too.
//!
//! Every report reads the rollups kept in the writing transaction and by
//! the compactor (see [`rollup`]), never the activities themselves: a year
//! or ten answer in milliseconds, exactly.
//!
//! One file per report: [`activity_summary`]; [`escorted_leave`],
//! [`de_escalation`] and [`groups`], one [`KindReport`] each.

mod activity_summary;
mod de_escalation;
mod escorted_leave;
mod groups;
mod rollup;

pub use activity_summary::{activity_summary, activity_summary_sql, Dimension, SummaryRow};
pub use de_escalation::DeEscalationRow;
pub use escorted_leave::EscortedLeaveRow;
pub use groups::GroupRow;
use rollup::kind_source;

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

/// The daily rollups' rows of a period: `$1` from, `$2` to, `$3` wards.
const ROLLUP_FILTER: &str =
    "r.day >= $1 AND r.day < $2 AND ($3::uuid[] IS NULL OR r.ward_id = ANY($3))";

/// A report of one kind's own measures (escorted leave, de-escalation,
/// group sessions): its rows and their SQL over that kind's daily rollup.
pub trait KindReport: QueryableByName<diesel::pg::Pg> + Send + 'static {
    /// The report's name in its URL and CSV file name.
    const NAME: &'static str;
    /// Its SQL (parameters: `$1` from, `$2` to, `$3` wards), public for
    /// the benchmark's EXPLAIN.
    fn sql() -> String;
}

/// Runs a [`KindReport`] over a period.
pub async fn kind_report<R: KindReport>(
    conn: &mut AsyncPgConnection,
    period: &Period,
) -> diesel::QueryResult<Vec<R>> {
    run(conn, R::sql(), period).await
}

/// A kind report by ward and local month: `measures` (aggregates over the
/// kind's rollup `r`, with aliases) per ward and month, then `columns`
/// worked out from them. A ward and month whose records were all taken
/// back (pending deltas netting to nothing) has no row, as before them.
fn by_ward_and_month(kind: &str, measures: &str, columns: &str) -> String {
    format!(
        "SELECT w.id AS ward_id, w.code AS ward_code, w.name AS ward_name, r.month, {columns} \
         FROM (SELECT r.ward_id, to_char(r.day, 'YYYY-MM') AS month, {measures} \
           FROM {} r GROUP BY 1, 2 HAVING sum(r.activities) > 0) r \
         JOIN wards w ON w.id = r.ward_id ORDER BY w.code, r.month",
        kind_source(kind)
    )
}

/// Runs a report query with the period bound as `$1`, `$2`, `$3`.
async fn run<R>(
    conn: &mut AsyncPgConnection,
    sql: String,
    period: &Period,
) -> diesel::QueryResult<Vec<R>>
where
    R: QueryableByName<diesel::pg::Pg> + Send + 'static,
{
    let (from, to, wards) = (period.from, period.to, period.wards.clone());
    // Without parallel workers: a report reads a few thousand rollup rows,
    // and starting two workers for each of its aggregates costs more than
    // the reading (a year's summary: 41 ms with them, 10 ms without, on
    // bench/reports.sh's three years of ten wards). Read-only, so the
    // read pool's standby serves it.
    conn.build_transaction()
        .read_only()
        .run::<_, diesel::result::Error, _>(async move |conn| {
            diesel::sql_query("SET LOCAL max_parallel_workers_per_gather = 0")
                .execute(&mut *conn)
                .await?;
            diesel::sql_query(sql)
                .bind::<Date, _>(from)
                .bind::<Date, _>(to)
                .bind::<Nullable<Array<SqlUuid>>, _>(wards)
                .load(conn)
                .await
        })
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
    let rows: Vec<N> = run(
        conn,
        "SELECT count(*) AS n FROM activities a WHERE a.status = 'entered_in_error' \
         AND a.started_at >= ($1::timestamp AT TIME ZONE 'Europe/London') \
         AND a.started_at < ($2::timestamp AT TIME ZONE 'Europe/London') \
         AND ($3::uuid[] IS NULL OR a.ward_id = ANY($3))"
            .to_string(),
        period,
    )
    .await?;
    Ok(rows.into_iter().next().map_or(0, |r| r.n))
}
