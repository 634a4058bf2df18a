//! Escorted leave by ward and local month.

use diesel::sql_types::{BigInt, Double, Text, Uuid as SqlUuid};
use diesel::QueryableByName;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::{by_ward_and_month, KindReport};

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

impl KindReport for EscortedLeaveRow {
    const NAME: &'static str = "escorted-leave";

    fn sql() -> String {
        by_ward_and_month(
            "escorted_leave",
            "sum(r.activities)::bigint AS episodes, \
             round(sum(r.leave_minutes) / 60.0, 2)::float8 AS leave_hours, \
             sum(r.returned_as_planned)::bigint AS returned_as_planned, \
             sum(r.not_returned_as_planned)::bigint AS not_returned_as_planned",
            "r.episodes, r.leave_hours, r.returned_as_planned, r.not_returned_as_planned",
        )
    }
}
