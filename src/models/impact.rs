//! The impact report's queries: the people's answers, their scores over a
//! stay, and the ward's activities beside the trust's own ward figures.
//! Every query takes a period of Europe/London dates (`$1` from inclusive,
//! `$2` to exclusive) and the wards (`$3`, `NULL` for every ward), as the
//! activity reports do; groups are made in the domain.

use chrono::NaiveDate;
use diesel::sql_types::{Array, BigInt, Date, Double, Int4, Nullable, Text, Uuid as SqlUuid};
use diesel::QueryableByName;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

/// The answers of a period: `$4` the measure code.
const ANSWERS_OF_PERIOD: &str = "r.completed_at >= ($1::timestamp AT TIME ZONE 'Europe/London') \
    AND r.completed_at < ($2::timestamp AT TIME ZONE 'Europe/London') \
    AND ($3::uuid[] IS NULL OR r.ward_id = ANY($3))";

async fn run<R>(
    conn: &mut AsyncPgConnection,
    sql: &str,
    from: NaiveDate,
    to: NaiveDate,
    wards: Option<&[Uuid]>,
    code: Option<&str>,
) -> diesel::QueryResult<Vec<R>>
where
    R: QueryableByName<diesel::pg::Pg> + Send + 'static,
{
    diesel::sql_query(sql)
        .bind::<Date, _>(from)
        .bind::<Date, _>(to)
        .bind::<Nullable<Array<SqlUuid>>, _>(wards.map(<[Uuid]>::to_vec))
        .bind::<Nullable<Text>, _>(code.map(str::to_string))
        .load(conn)
        .await
}

/// One answered item of one answer (or, with no item, an answer the
/// person declined as a whole).
#[derive(Debug, Clone, QueryableByName)]
pub struct AnsweredItem {
    #[diesel(sql_type = SqlUuid)]
    pub ward_id: Uuid,
    #[diesel(sql_type = SqlUuid)]
    pub service_user_id: Uuid,
    #[diesel(sql_type = SqlUuid)]
    pub response_id: Uuid,
    #[diesel(sql_type = Nullable<Text>)]
    pub item: Option<String>,
    #[diesel(sql_type = Nullable<Int4>)]
    pub value: Option<i32>,
}

/// The answered items of a measure's (`$4`) answers in the period; the
/// people are counted in the domain, distinct within each group.
pub async fn answered_items(
    conn: &mut AsyncPgConnection,
    from: NaiveDate,
    to: NaiveDate,
    wards: Option<&[Uuid]>,
    code: &str,
) -> diesel::QueryResult<Vec<AnsweredItem>> {
    let sql = format!(
        "SELECT r.ward_id, r.service_user_id, r.id AS response_id, \
                i.key AS item, i.value::text::int AS value \
         FROM measure_responses r \
         JOIN measure_definitions d ON d.id = r.definition_id \
         LEFT JOIN LATERAL jsonb_each(r.answers -> 'items') i ON true \
         WHERE d.code = $4 AND {ANSWERS_OF_PERIOD}"
    );
    run(conn, &sql, from, to, wards, Some(code)).await
}

/// One person's first and latest score on one of a measure's scores,
/// where the latest falls in the period.
#[derive(Debug, Clone, QueryableByName)]
pub struct ScoreChange {
    #[diesel(sql_type = Text)]
    pub measure: String,
    #[diesel(sql_type = Text)]
    pub score: String,
    #[diesel(sql_type = SqlUuid)]
    pub service_user_id: Uuid,
    /// The ward of the latest answer.
    #[diesel(sql_type = SqlUuid)]
    pub ward_id: Uuid,
    #[diesel(sql_type = Double)]
    pub first: f64,
    #[diesel(sql_type = Double)]
    pub latest: f64,
}

/// Every person's first-to-latest change on every score, for the people
/// whose latest answer is in the period and who answered at least twice.
pub async fn score_changes(
    conn: &mut AsyncPgConnection,
    from: NaiveDate,
    to: NaiveDate,
    wards: Option<&[Uuid]>,
) -> diesel::QueryResult<Vec<ScoreChange>> {
    let sql = "WITH s AS ( \
            SELECT d.code AS measure, sc.key AS score, r.service_user_id, r.ward_id, \
                   sc.value::text::float8 AS value, r.completed_at, r.id \
            FROM measure_responses r \
            JOIN measure_definitions d ON d.id = r.definition_id \
            CROSS JOIN LATERAL jsonb_each(r.scores) sc \
            WHERE NOT r.declined \
              AND r.completed_at < ($2::timestamp AT TIME ZONE 'Europe/London') \
              AND ($3::uuid[] IS NULL OR r.ward_id = ANY($3)) \
              AND ($4::text IS NULL OR d.code = $4)), \
        firsts AS (SELECT DISTINCT ON (measure, score, service_user_id) * FROM s \
            ORDER BY measure, score, service_user_id, completed_at, id), \
        lasts AS (SELECT DISTINCT ON (measure, score, service_user_id) * FROM s \
            ORDER BY measure, score, service_user_id, completed_at DESC, id DESC) \
        SELECT f.measure, f.score, f.service_user_id, l.ward_id, f.value AS first, l.value AS latest \
        FROM firsts f JOIN lasts l USING (measure, score, service_user_id) \
        WHERE l.id <> f.id \
          AND l.completed_at >= ($1::timestamp AT TIME ZONE 'Europe/London')";
    run(conn, sql, from, to, wards, None).await
}

/// A ward's month of peer support beside the trust's figures for it.
#[derive(Debug, Clone, QueryableByName)]
pub struct WardMonth {
    #[diesel(sql_type = SqlUuid)]
    pub ward_id: Uuid,
    /// The month's first day.
    #[diesel(sql_type = Date)]
    pub month: NaiveDate,
    #[diesel(sql_type = BigInt)]
    pub contacts: i64,
    #[diesel(sql_type = BigInt)]
    pub minutes: i64,
    #[diesel(sql_type = BigInt)]
    pub de_escalations: i64,
    #[diesel(sql_type = BigInt)]
    pub restraint_avoided: i64,
    #[diesel(sql_type = BigInt)]
    pub escorted_leave: i64,
    /// Leave that would have been cancelled without a peer support worker.
    #[diesel(sql_type = BigInt)]
    pub leave_enabled: i64,
    #[diesel(sql_type = Nullable<Int4>)]
    pub restraint_incidents: Option<i32>,
    #[diesel(sql_type = Nullable<Int4>)]
    pub occupied_bed_days: Option<i32>,
    #[diesel(sql_type = Nullable<Int4>)]
    pub discharges: Option<i32>,
}

/// Each ward's months of the period (whole months from `from`'s), with
/// activity, the trust's figures, or both.
pub async fn ward_months(
    conn: &mut AsyncPgConnection,
    from: NaiveDate,
    to: NaiveDate,
    wards: Option<&[Uuid]>,
) -> diesel::QueryResult<Vec<WardMonth>> {
    let sql = "WITH a AS ( \
            SELECT a.ward_id, date_trunc('month', a.started_at AT TIME ZONE 'Europe/London')::date AS month, \
                   count(*) AS contacts, sum(a.duration_minutes)::bigint AS minutes, \
                   count(*) FILTER (WHERE a.kind = 'de_escalation') AS de_escalations, \
                   count(*) FILTER (WHERE a.kind = 'de_escalation' AND a.restraint_avoided) AS restraint_avoided, \
                   count(*) FILTER (WHERE a.kind = 'escorted_leave') AS escorted_leave, \
                   count(*) FILTER (WHERE a.kind = 'escorted_leave' \
                       AND (a.details ->> 'would_have_been_cancelled')::boolean) AS leave_enabled \
            FROM activities a \
            WHERE a.status <> 'entered_in_error' \
              AND a.started_at >= ($1::timestamp AT TIME ZONE 'Europe/London') \
              AND a.started_at < ($2::timestamp AT TIME ZONE 'Europe/London') \
              AND ($3::uuid[] IS NULL OR a.ward_id = ANY($3)) \
            GROUP BY 1, 2), \
        f AS ( \
            SELECT * FROM ward_figures f \
            WHERE f.month >= date_trunc('month', $1::date)::date AND f.month < $2 \
              AND ($3::uuid[] IS NULL OR f.ward_id = ANY($3)) AND $4::text IS NULL) \
        SELECT coalesce(a.ward_id, f.ward_id) AS ward_id, coalesce(a.month, f.month) AS month, \
               coalesce(a.contacts, 0) AS contacts, coalesce(a.minutes, 0) AS minutes, \
               coalesce(a.de_escalations, 0) AS de_escalations, \
               coalesce(a.restraint_avoided, 0) AS restraint_avoided, \
               coalesce(a.escorted_leave, 0) AS escorted_leave, \
               coalesce(a.leave_enabled, 0) AS leave_enabled, \
               f.restraint_incidents, f.occupied_bed_days, f.discharges \
        FROM a FULL JOIN f ON f.ward_id = a.ward_id AND f.month = a.month \
        ORDER BY 1, 2";
    run(conn, sql, from, to, wards, None).await
}

/// The distinct people supported in a period, per ward, per service line
/// (ward `NULL`) and in all (both `NULL`): a person on two wards counts
/// once in their service line and in all.
#[derive(Debug, Clone, QueryableByName)]
pub struct PeopleSupported {
    #[diesel(sql_type = Nullable<SqlUuid>)]
    pub ward_id: Option<Uuid>,
    #[diesel(sql_type = Nullable<Text>)]
    pub service_line: Option<String>,
    #[diesel(sql_type = BigInt)]
    pub people: i64,
}

/// People supported per ward, per service line and in all.
pub async fn people_supported(
    conn: &mut AsyncPgConnection,
    from: NaiveDate,
    to: NaiveDate,
    wards: Option<&[Uuid]>,
) -> diesel::QueryResult<Vec<PeopleSupported>> {
    let sql = "SELECT a.ward_id, w.service_line, count(DISTINCT asu.service_user_id) AS people \
        FROM activities a JOIN activity_service_users asu ON asu.activity_id = a.id \
        JOIN wards w ON w.id = a.ward_id \
        WHERE a.status <> 'entered_in_error' \
          AND a.started_at >= ($1::timestamp AT TIME ZONE 'Europe/London') \
          AND a.started_at < ($2::timestamp AT TIME ZONE 'Europe/London') \
          AND ($3::uuid[] IS NULL OR a.ward_id = ANY($3)) AND $4::text IS NULL \
        GROUP BY GROUPING SETS ((a.ward_id, w.service_line), (w.service_line), ())";
    run(conn, sql, from, to, wards, None).await
}

/// A quote a person agreed to share, not withdrawn.
#[derive(Debug, Clone, QueryableByName)]
pub struct SharedQuote {
    #[diesel(sql_type = SqlUuid)]
    pub ward_id: Uuid,
    /// The Europe/London month, `YYYY-MM` (never the day).
    #[diesel(sql_type = Text)]
    pub month: String,
    #[diesel(sql_type = Text)]
    pub quote: String,
}

/// The period's shared quotes, newest first.
pub async fn shared_quotes(
    conn: &mut AsyncPgConnection,
    from: NaiveDate,
    to: NaiveDate,
    wards: Option<&[Uuid]>,
) -> diesel::QueryResult<Vec<SharedQuote>> {
    let sql = format!(
        "SELECT r.ward_id, to_char(r.completed_at AT TIME ZONE 'Europe/London', 'YYYY-MM') AS month, \
                r.quote FROM measure_responses r \
         WHERE r.quote IS NOT NULL AND r.quote_consent AND r.quote_withdrawn_at IS NULL \
           AND {ANSWERS_OF_PERIOD} AND $4::text IS NULL \
         ORDER BY r.completed_at DESC, r.id LIMIT 200"
    );
    run(conn, &sql, from, to, wards, None).await
}
