//! De-escalations by ward and local month.

use diesel::sql_types::{BigInt, Double, Text, Uuid as SqlUuid};
use diesel::QueryableByName;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::{by_ward_and_month, KindReport};

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

impl KindReport for DeEscalationRow {
    const NAME: &'static str = "de-escalation";

    fn sql() -> String {
        by_ward_and_month(
            "de_escalation",
            "sum(r.activities)::bigint AS de_escalations, \
             sum(r.restraint_avoided)::bigint AS restraint_avoided, \
             sum(r.staff_called)::bigint AS staff_called",
            "r.de_escalations, r.restraint_avoided, \
             round(r.restraint_avoided::numeric / r.de_escalations, 3)::float8 AS restraint_avoided_share, \
             r.staff_called",
        )
    }
}
