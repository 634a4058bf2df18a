//! The scheme's evaluation report: per cohort and student discipline,
//! pairings by outcome, meetings held against planned, and the average
//! feedback ratings.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Double, Nullable, Text, Uuid as SqlUuid};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::Discipline;

/// One row of the report: a cohort and a discipline of its students (a
/// cohort without students yet has one row, under its own discipline).
#[derive(Debug, Clone, QueryableByName, Serialize, ToSchema)]
pub struct CohortReportRow {
    #[diesel(sql_type = SqlUuid)]
    pub cohort_id: Uuid,
    #[diesel(sql_type = Text)]
    pub cohort_name: String,
    /// The students' discipline.
    #[diesel(sql_type = Text)]
    pub discipline: Discipline,
    #[diesel(sql_type = BigInt)]
    pub students: i64,
    /// Pairings of any status.
    #[diesel(sql_type = BigInt)]
    pub pairings: i64,
    #[diesel(sql_type = BigInt)]
    pub proposed: i64,
    #[diesel(sql_type = BigInt)]
    pub active: i64,
    #[diesel(sql_type = BigInt)]
    pub completed: i64,
    #[diesel(sql_type = BigInt)]
    pub withdrawn: i64,
    /// Completed as a share of ended (completed + withdrawn) pairings, 0 to 1;
    /// absent while none has ended.
    #[diesel(sql_type = Nullable<Double>)]
    pub completion_rate: Option<f64>,
    /// Meetings the pairings' series call for (sum of `planned_meetings`).
    #[diesel(sql_type = BigInt)]
    pub series_target: i64,
    /// Meetings scheduled, whatever became of them.
    #[diesel(sql_type = BigInt)]
    pub meetings_planned: i64,
    #[diesel(sql_type = BigInt)]
    pub meetings_held: i64,
    /// Cancelled by student, buddy or coordinator.
    #[diesel(sql_type = BigInt)]
    pub meetings_cancelled: i64,
    #[diesel(sql_type = BigInt)]
    pub meetings_did_not_attend: i64,
    /// Averages of the 1–5 ratings, to two decimals; absent without feedback.
    #[diesel(sql_type = Nullable<Double>)]
    pub student_overall_rating: Option<f64>,
    #[diesel(sql_type = Nullable<Double>)]
    pub student_support_rating: Option<f64>,
    #[diesel(sql_type = Nullable<Double>)]
    pub buddy_overall_rating: Option<f64>,
    #[diesel(sql_type = Nullable<Double>)]
    pub buddy_support_rating: Option<f64>,
}

const REPORT_SQL: &str = r#"
WITH m AS (
    SELECT pairing_id,
           count(*) AS planned,
           count(*) FILTER (WHERE status = 'held') AS held,
           count(*) FILTER (WHERE status LIKE 'cancelled_by_%') AS cancelled,
           count(*) FILTER (WHERE status = 'did_not_attend') AS dna
    FROM buddy_meetings GROUP BY pairing_id
), f AS (
    SELECT pairing_id,
           sum(overall_rating) FILTER (WHERE respondent = 'student') AS s_overall,
           sum(support_rating) FILTER (WHERE respondent = 'student') AS s_support,
           count(*) FILTER (WHERE respondent = 'student') AS s_n,
           sum(overall_rating) FILTER (WHERE respondent = 'buddy') AS b_overall,
           sum(support_rating) FILTER (WHERE respondent = 'buddy') AS b_support,
           count(*) FILTER (WHERE respondent = 'buddy') AS b_n
    FROM buddy_feedback GROUP BY pairing_id
)
SELECT c.id AS cohort_id, c.name AS cohort_name,
       coalesce(s.discipline, c.discipline) AS discipline,
       count(DISTINCT s.id) AS students,
       count(p.id) AS pairings,
       count(p.id) FILTER (WHERE p.status = 'proposed') AS proposed,
       count(p.id) FILTER (WHERE p.status = 'active') AS active,
       count(p.id) FILTER (WHERE p.status = 'completed') AS completed,
       count(p.id) FILTER (WHERE p.status = 'withdrawn') AS withdrawn,
       round(count(p.id) FILTER (WHERE p.status = 'completed')::numeric
             / nullif(count(p.id) FILTER (WHERE p.status IN ('completed', 'withdrawn')), 0), 4)::float8
           AS completion_rate,
       coalesce(sum(p.planned_meetings), 0)::bigint AS series_target,
       coalesce(sum(m.planned), 0)::bigint AS meetings_planned,
       coalesce(sum(m.held), 0)::bigint AS meetings_held,
       coalesce(sum(m.cancelled), 0)::bigint AS meetings_cancelled,
       coalesce(sum(m.dna), 0)::bigint AS meetings_did_not_attend,
       round(sum(f.s_overall)::numeric / nullif(sum(f.s_n), 0), 2)::float8 AS student_overall_rating,
       round(sum(f.s_support)::numeric / nullif(sum(f.s_n), 0), 2)::float8 AS student_support_rating,
       round(sum(f.b_overall)::numeric / nullif(sum(f.b_n), 0), 2)::float8 AS buddy_overall_rating,
       round(sum(f.b_support)::numeric / nullif(sum(f.b_n), 0), 2)::float8 AS buddy_support_rating
FROM buddy_cohorts c
LEFT JOIN buddy_students s ON s.cohort_id = c.id
LEFT JOIN buddy_pairings p ON p.student_id = s.id
LEFT JOIN m ON m.pairing_id = p.id
LEFT JOIN f ON f.pairing_id = p.id
WHERE $1::uuid IS NULL OR c.id = $1::uuid
GROUP BY c.id, c.name, coalesce(s.discipline, c.discipline)
ORDER BY c.name, 3
"#;

/// The report rows, for one cohort or all.
pub async fn by_cohort(
    conn: &mut AsyncPgConnection,
    cohort_id: Option<Uuid>,
) -> QueryResult<Vec<CohortReportRow>> {
    diesel::sql_query(REPORT_SQL)
        .bind::<Nullable<SqlUuid>, _>(cohort_id)
        .load(conn)
        .await
}
