//! Group sessions and attendance by group type and ward.

use diesel::sql_types::{BigInt, Double, Text, Uuid as SqlUuid};
use diesel::QueryableByName;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::{kind_source, KindReport};

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

impl KindReport for GroupRow {
    const NAME: &'static str = "groups";

    fn sql() -> String {
        format!(
            "SELECT r.group_type, w.id AS ward_id, w.code AS ward_code, w.name AS ward_name, r.sessions, \
               r.named_attendance, r.unnamed_attendance, \
               round((r.named_attendance + r.unnamed_attendance)::numeric / r.sessions, 2)::float8 \
                 AS average_attendance \
             FROM (SELECT NULLIF(r.detail, '') AS group_type, r.ward_id, sum(r.activities)::bigint AS sessions, \
                 sum(r.attendees_named)::bigint AS named_attendance, \
                 sum(r.attendees_unnamed)::bigint AS unnamed_attendance \
               FROM {} r GROUP BY 1, 2 HAVING sum(r.activities) > 0) r \
             JOIN wards w ON w.id = r.ward_id ORDER BY r.group_type, w.code",
            kind_source("group_session")
        )
    }
}
