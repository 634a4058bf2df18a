//! The managers' activity reports: aggregate queries over `activities`.
//!
//! Every report counts the records of a period that are not entered in
//! error; an amended record is one row of `activities`, so it counts once,
//! as it now reads. Periods are Europe/London local dates, `from`
//! inclusive and `to` exclusive, converted to instants in SQL so that a
//! change of clocks is handled by PostgreSQL's zone rules; weeks (starting
//! Monday) and months are local too. The partial covering index of the
//! reports migration lets every report read only the period's rows.

use chrono::NaiveDate;
use diesel::sql_types::{Array, BigInt, Date, Double, Nullable, Text, Uuid as SqlUuid};
use diesel::QueryableByName;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::Serialize;
use utoipa::ToSchema;
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
    run(conn, activity_summary_sql(dims), period).await
}

/// The activity summary's SQL for a grouping (parameters: `$1` from, `$2`
/// to, `$3` wards), public for the benchmark's EXPLAIN.
pub fn activity_summary_sql(dims: &[Dimension]) -> String {
    let by_worker = dims.contains(&Dimension::Worker);
    // The grouping key columns, each with its expression over the daily
    // rollups (`r`).
    let mut keys: Vec<(&str, String)> = Vec::new();
    for d in dims {
        keys.push(match d {
            Dimension::Ward => ("ward_id", "r.ward_id".into()),
            Dimension::ServiceLine => ("service_line", "sl.service_line".into()),
            Dimension::Kind => ("kind", "r.kind".into()),
            Dimension::Worker => ("worker_id", "r.worker_id".into()),
            Dimension::Week => ("week", "date_trunc('week', r.day)::date".into()),
            Dimension::Month => ("month", "to_char(r.day, 'YYYY-MM')".into()),
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
    let line_join = |table: &str| {
        if dims.contains(&Dimension::ServiceLine) {
            format!("JOIN wards sl ON sl.id = {table}.ward_id")
        } else {
            String::new()
        }
    };
    let ctes = if by_worker {
        // Per worker: an activity counts under each worker who took part;
        // people are the (worker, person) pairs of the worker rollup.
        format!(
            "totals AS (SELECT {key_select}sum(r.activities)::bigint AS activities, \
               sum(r.minutes)::bigint AS minutes \
               FROM report_day_workers_now r {lj} WHERE {ROLLUP_FILTER} {group}), \
             people AS (SELECT {k}count(*) AS n FROM ( \
               SELECT DISTINCT {key_select}r.service_user_id FROM report_day_worker_people_now r {lj} \
               WHERE r.activities > 0 AND {ROLLUP_FILTER}) x {group}), \
             workers AS (SELECT {k}1::bigint AS n FROM totals)",
            k = lead(""),
            lj = line_join("r"),
        )
    } else {
        // From the daily rollups the activity triggers keep.
        format!(
            "totals AS (SELECT {key_select}sum(r.activities)::bigint AS activities, \
               sum(r.minutes)::bigint AS minutes \
               FROM report_day_activities_now r {lj} WHERE {ROLLUP_FILTER} {group}), \
             people AS (SELECT {k}count(*) AS n FROM ( \
               SELECT DISTINCT {key_select}r.service_user_id FROM report_day_people_now r {lj} \
               WHERE r.activities > 0 AND {ROLLUP_FILTER}) x {group}), \
             workers AS (SELECT {k}count(*) AS n FROM ( \
               SELECT DISTINCT {key_select}r.worker_id FROM report_day_workers_now r {lj} \
               WHERE r.activities > 0 AND {ROLLUP_FILTER}) x {group})",
            k = lead(""),
            lj = line_join("r"),
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
        month = col("month", "totals.month", "text"),
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

/// Group sessions of one type on a ward.
#[derive(Debug, Clone, Serialize, QueryableByName, ToSchema)]
pub struct GroupRow {
    /// The group's activity (`music`, `art`, …).
    #[diesel(sql_type = Text)]
    #[schema(example = "music")]
    pub group_type: String,
    #[diesel(sql_type = SqlUuid)]
    pub ward_id: Uuid,
    #[diesel(sql_type = Text)]
    pub ward_code: String,
    #[diesel(sql_type = Text)]
    pub ward_name: String,
    #[diesel(sql_type = BigInt)]
    pub sessions: i64,
    /// Attendances by named service users.
    #[diesel(sql_type = BigInt)]
    pub named_attendance: i64,
    /// Attendances not recorded individually.
    #[diesel(sql_type = BigInt)]
    pub unnamed_attendance: i64,
    /// Named and unnamed attendance per session, to 2 decimals.
    #[diesel(sql_type = Double)]
    pub average_attendance: f64,
}

/// Group sessions and attendance by group type and ward.
pub async fn groups(
    conn: &mut AsyncPgConnection,
    period: &Period,
) -> diesel::QueryResult<Vec<GroupRow>> {
    run(conn, groups_sql(), period).await
}

/// The SQL of [`groups`], public for the benchmark.
pub fn groups_sql() -> String {
    format!(
        "SELECT r.group_type, w.id AS ward_id, w.code AS ward_code, w.name AS ward_name, r.sessions, \
           r.named_attendance, r.unnamed_attendance, \
           round((r.named_attendance + r.unnamed_attendance)::numeric / r.sessions, 2)::float8 \
             AS average_attendance \
         FROM (SELECT a.details->>'activity' AS group_type, a.ward_id, count(*) AS sessions, \
             sum(a.attendees_named)::bigint AS named_attendance, \
             sum(a.attendees_unnamed)::bigint AS unnamed_attendance \
           FROM activities a WHERE a.kind = 'group_session' AND {PERIOD_FILTER} \
           GROUP BY 1, 2) r \
         JOIN wards w ON w.id = r.ward_id ORDER BY r.group_type, w.code"
    )
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
