//! The scheme's evaluation report: completion and withdrawal by cohort and
//! discipline, meetings held against planned, average feedback ratings.

use diesel_async::AsyncPgConnection;
use uuid::Uuid;

use crate::domain::DomainResult;
use crate::models::buddy::report::{self, CohortReportRow};

/// One row per cohort and student discipline (of one cohort, when given),
/// by cohort name.
pub async fn by_cohort(
    conn: &mut AsyncPgConnection,
    cohort_id: Option<Uuid>,
) -> DomainResult<Vec<CohortReportRow>> {
    Ok(report::by_cohort(conn, cohort_id).await?)
}
