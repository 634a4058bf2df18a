//! The activity summary: counts, minutes and distinct people, grouped by
//! any of ward, service line, kind, worker, week or month.

use chrono::NaiveDate;
use diesel::sql_types::{BigInt, Date, Nullable, Text, Uuid as SqlUuid};
use diesel::QueryableByName;
use diesel_async::AsyncPgConnection;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::rollup::{counted_distinct, counted_grain, rollup_source, span_grains, Unit};
use super::{run, Period};

crate::text_enum! {
    /// What the activity summary can be grouped by.
    pub enum Dimension {
        Ward = "ward",
        ServiceLine = "service_line",
        Kind = "kind",
        Worker = "worker",
        Week = "week",
        Month = "month",
    }
}

/// One group of the activity summary; the grouping columns not asked for
/// are absent.
#[derive(Debug, Clone, Serialize, QueryableByName, ToSchema)]
pub struct SummaryRow {
    #[serde(skip_serializing_if = "Option::is_none")]
    #[diesel(sql_type = Nullable<SqlUuid>)]
    pub ward_id: Option<Uuid>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[diesel(sql_type = Nullable<Text>)]
    pub ward_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[diesel(sql_type = Nullable<Text>)]
    pub ward_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[diesel(sql_type = Nullable<Text>)]
    pub service_line: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[diesel(sql_type = Nullable<Text>)]
    pub kind: Option<String>,
    /// A worker who took part (recorder or co-worker).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[diesel(sql_type = Nullable<SqlUuid>)]
    pub worker_id: Option<Uuid>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[diesel(sql_type = Nullable<Text>)]
    pub worker_name: Option<String>,
    /// The Monday starting the local week.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[diesel(sql_type = Nullable<Date>)]
    pub week: Option<NaiveDate>,
    /// The local month, `YYYY-MM`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[diesel(sql_type = Nullable<Text>)]
    #[schema(example = "2026-04")]
    pub month: Option<String>,
    /// Activities (each once, however many were grouped under a worker).
    #[diesel(sql_type = BigInt)]
    pub activities: i64,
    /// Their total duration.
    #[diesel(sql_type = BigInt)]
    pub minutes: i64,
    /// Distinct service users supported.
    #[diesel(sql_type = BigInt)]
    pub service_users: i64,
    /// Distinct peer workers involved (recorders and co-workers).
    #[diesel(sql_type = BigInt)]
    pub workers: i64,
}

impl SummaryRow {
    /// A row of zeros, for a period with no activity.
    pub fn empty() -> Self {
        SummaryRow {
            ward_id: None,
            ward_code: None,
            ward_name: None,
            service_line: None,
            kind: None,
            worker_id: None,
            worker_name: None,
            week: None,
            month: None,
            activities: 0,
            minutes: 0,
            service_users: 0,
            workers: 0,
        }
    }

    /// The CSV columns for a grouping, in order.
    pub fn columns(dims: &[Dimension]) -> Vec<&'static str> {
        let mut cols = Vec::new();
        for d in dims {
            cols.extend_from_slice(match d {
                Dimension::Ward => &["ward_id", "ward_code", "ward_name"][..],
                Dimension::ServiceLine => &["service_line"],
                Dimension::Kind => &["kind"],
                Dimension::Worker => &["worker_id", "worker_name"],
                Dimension::Week => &["week"],
                Dimension::Month => &["month"],
            });
        }
        cols.extend_from_slice(&["activities", "minutes", "service_users", "workers"]);
        cols
    }
}

/// Counts, minutes, distinct service users and distinct workers of the
/// period, grouped by `dims` (none: one row for the whole period).
///
/// Distinct counts do not add up across groups, so each is computed per
/// group, by de-duplicating (group, person) pairs and counting those.
/// Everything comes from the daily rollups (`report_day_*`, one row per
/// local day, ward, kind and worker or person), a fraction of the
/// activities' size; grouped by worker, an activity counts under each
/// worker who took part, and people come from (worker, person) pairs.
pub async fn activity_summary(
    conn: &mut AsyncPgConnection,
    period: &Period,
    dims: &[Dimension],
) -> diesel::QueryResult<Vec<SummaryRow>> {
    run(
        conn,
        activity_summary_sql(dims, period.wards.is_none()),
        period,
    )
    .await
}

/// The activity summary's SQL for a grouping (parameters: `$1` from, `$2`
/// to, `$3` wards, which must be NULL when `all_wards`), public for the
/// benchmark's EXPLAIN.
pub fn activity_summary_sql(dims: &[Dimension], all_wards: bool) -> String {
    let by_worker = dims.contains(&Dimension::Worker);
    // The grouping key columns, each with its expression over the daily
    // rollups (`r`).
    let mut keys: Vec<(&str, String)> = Vec::new();
    for d in dims {
        keys.push(match d {
            Dimension::Ward => ("ward_id", "r.ward_id".into()),
            Dimension::ServiceLine => ("service_line", "r.service_line".into()),
            Dimension::Kind => ("kind", "r.kind".into()),
            Dimension::Worker => ("worker_id", "r.worker_id".into()),
            // Truncated as timestamps (no zone): local dates already.
            Dimension::Week => ("week", "date_trunc('week', r.day::timestamp)::date".into()),
            Dimension::Month => (
                "month",
                "date_trunc('month', r.day::timestamp)::date".into(),
            ),
        });
    }
    let names: Vec<&str> = keys.iter().map(|(n, _)| *n).collect();
    let key_list = names.join(", ");
    let key_select: String = keys.iter().map(|(n, e)| format!("{e} AS {n}, ")).collect();
    let lead =
        |prefix: &str| -> String { names.iter().map(|n| format!("{prefix}{n}, ")).collect() };
    let group = if names.is_empty() {
        String::new()
    } else {
        format!("GROUP BY {key_list}")
    };
    let join = |other: &str| {
        if names.is_empty() {
            format!("CROSS JOIN {other}")
        } else {
            format!("LEFT JOIN {other} USING ({key_list})")
        }
    };
    let line = dims.contains(&Dimension::ServiceLine);
    let k = lead("");
    // Positions of the key columns, then of the person or worker counted.
    let positions: String = (1..=names.len() + 1)
        .map(|i| i.to_string())
        .collect::<Vec<_>>()
        .join(", ");
    let grains = span_grains(dims);
    let totals_src = rollup_source(
        if by_worker { "workers" } else { "activities" },
        grains,
        line,
    );
    let people_src = rollup_source(
        if by_worker { "worker_people" } else { "people" },
        grains,
        line,
    );
    // A person (worker) counts in a group when their multiplicities there
    // add up to more than nothing: compact rows are positive, pending
    // deltas may take them back off.
    let distinct = |src: &str, id: &str| {
        format!(
            "SELECT {k}count(*) AS n FROM ( \
               SELECT {key_select}r.{id} FROM {src} r \
               GROUP BY {positions} HAVING sum(r.activities) > 0) x {group}"
        )
    };
    // Per worker, an activity counts under each worker who took part and
    // people are the (worker, person) pairs; otherwise from the rollups of
    // activities, people and workers.
    let totals = format!(
        "totals AS (SELECT {key_select}sum(r.activities)::bigint AS activities, \
           sum(r.minutes)::bigint AS minutes FROM {totals_src} r {group})"
    );
    // Grouped by ward, service line or worker and by week or month: the
    // kept distinct counts.
    let counted = |who: &str, unit: Unit, g: &str| {
        format!(
            "SELECT {k}sum(x.n)::bigint AS n FROM ({}) x {group}",
            counted_distinct(who, unit, g, dims.contains(&Dimension::Kind))
        )
    };
    let ctes = if let Some((unit, g)) = counted_grain(dims, all_wards) {
        let workers = if unit == Unit::Worker {
            format!("SELECT {k}1::bigint AS n FROM totals")
        } else {
            counted("workers", unit, g)
        };
        format!(
            "{totals}, people AS ({}), workers AS ({workers})",
            counted("people", unit, g),
        )
    } else if by_worker {
        format!(
            "{totals}, people AS ({}), workers AS (SELECT {k}1::bigint AS n FROM totals)",
            distinct(&people_src, "service_user_id")
        )
    } else {
        format!(
            "{totals}, people AS ({}), workers AS ({})",
            distinct(&people_src, "service_user_id"),
            distinct(&rollup_source("workers", grains, line), "worker_id")
        )
    };
    // Output columns, NULL where not grouped.
    let col = |name: &str, expr: &str, ty: &str| {
        if names.contains(&name) {
            expr.to_string()
        } else {
            format!("NULL::{ty}")
        }
    };
    format!(
        "WITH {ctes} \
         SELECT {ward_id} AS ward_id, {ward_code} AS ward_code, {ward_name} AS ward_name, \
           {service_line} AS service_line, {kind} AS kind, {worker_id} AS worker_id, \
           {worker_name} AS worker_name, {week} AS week, {month} AS month, \
           totals.activities, totals.minutes, \
           coalesce(people.n, 0)::bigint AS service_users, coalesce(workers.n, 0)::bigint AS workers \
         FROM totals {join_people} {join_workers} \
         LEFT JOIN wards w ON w.id = {ward_id} \
         LEFT JOIN users u ON u.id = {worker_id} \
         WHERE totals.activities > 0 \
         ORDER BY {order}",
        ward_id = col("ward_id", "totals.ward_id", "uuid"),
        ward_code = col("ward_id", "w.code", "text"),
        ward_name = col("ward_id", "w.name", "text"),
        service_line = col("service_line", "totals.service_line", "text"),
        kind = col("kind", "totals.kind", "text"),
        worker_id = col("worker_id", "totals.worker_id", "uuid"),
        worker_name = col("worker_id", "u.display_name", "text"),
        week = col("week", "totals.week", "date"),
        month = col("month", "to_char(totals.month, 'YYYY-MM')", "text"),
        join_people = join("people"),
        join_workers = join("workers"),
        order = dims
            .iter()
            .map(|d| match d {
                Dimension::Ward => "w.code",
                Dimension::ServiceLine => "totals.service_line",
                Dimension::Kind => "totals.kind",
                Dimension::Worker => "u.display_name, totals.worker_id",
                Dimension::Week => "totals.week",
                Dimension::Month => "totals.month",
            })
            .chain(["1"])
            .collect::<Vec<_>>()
            .join(", "),
    )
}
