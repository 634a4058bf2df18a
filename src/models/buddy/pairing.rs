//! Pairings: a student and a buddy, arranged by a coordinator, for a series
//! of structured meetings.

use chrono::{DateTime, Utc};
use diesel::pg::Pg;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::{MeetingStatus, PairingStatus, Scope};
use crate::schema::{buddies, buddy_meetings, buddy_pairings, buddy_students};

/// A pairing.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, Serialize, ToSchema)]
#[diesel(table_name = buddy_pairings)]
pub struct Pairing {
    pub id: Uuid,
    pub student_id: Uuid,
    /// The student's cohort (a student has one active pairing per cohort).
    pub cohort_id: Uuid,
    pub buddy_id: Uuid,
    /// The coordinator who arranged the pairing.
    pub coordinator_id: Uuid,
    pub status: PairingStatus,
    /// How many held meetings make the series complete.
    #[schema(minimum = 1, maximum = 20)]
    pub planned_meetings: i32,
    /// Why the pairing was withdrawn; only for `withdrawn`.
    pub withdrawn_reason: Option<String>,
    pub activated_at: Option<DateTime<Utc>>,
    /// When the pairing was completed or withdrawn.
    pub ended_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Filters for listing pairings.
#[derive(Debug, Default)]
pub struct PairingFilter {
    pub cohort_id: Option<Uuid>,
    pub student_id: Option<Uuid>,
    pub buddy_id: Option<Uuid>,
    pub status: Option<PairingStatus>,
}

type Boxed<'a> = buddy_pairings::BoxedQuery<'a, Pg>;

/// Restricts a pairing query to what the scope may see.
fn scoped(query: Boxed<'_>, scope: Scope) -> Boxed<'_> {
    match scope {
        Scope::All => query,
        Scope::Student(user_id) => query.filter(
            buddy_pairings::student_id.eq_any(
                buddy_students::table
                    .filter(buddy_students::user_id.eq(user_id))
                    .select(buddy_students::id),
            ),
        ),
        Scope::Volunteer(user_id) => query.filter(
            buddy_pairings::buddy_id.eq_any(
                buddies::table
                    .filter(buddies::user_id.eq(user_id))
                    .select(buddies::id),
            ),
        ),
    }
}

/// One pairing, if the scope may see it.
pub async fn find(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    scope: Scope,
) -> QueryResult<Option<Pairing>> {
    let query = buddy_pairings::table
        .filter(buddy_pairings::id.eq(id))
        .into_boxed();
    scoped(query, scope)
        .select(Pairing::as_select())
        .first(conn)
        .await
        .optional()
}

/// One pairing, if the scope may see it, locked until the transaction
/// ends so that its status and meeting outcomes change one at a time.
pub async fn lock(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    scope: Scope,
) -> QueryResult<Option<Pairing>> {
    if find(conn, id, scope).await?.is_none() {
        return Ok(None);
    }
    buddy_pairings::table
        .find(id)
        .select(Pairing::as_select())
        .for_update()
        .first(conn)
        .await
        .optional()
}

/// A page of pairings the scope may see, in id order.
pub async fn list(
    conn: &mut AsyncPgConnection,
    scope: Scope,
    filter: &PairingFilter,
    after: Option<Uuid>,
    limit: i64,
) -> QueryResult<Vec<Pairing>> {
    let mut query = scoped(buddy_pairings::table.into_boxed(), scope);
    if let Some(c) = filter.cohort_id {
        query = query.filter(buddy_pairings::cohort_id.eq(c));
    }
    if let Some(s) = filter.student_id {
        query = query.filter(buddy_pairings::student_id.eq(s));
    }
    if let Some(b) = filter.buddy_id {
        query = query.filter(buddy_pairings::buddy_id.eq(b));
    }
    if let Some(s) = filter.status {
        query = query.filter(buddy_pairings::status.eq(s));
    }
    if let Some(id) = after {
        query = query.filter(buddy_pairings::id.gt(id));
    }
    query
        .select(Pairing::as_select())
        .order(buddy_pairings::id.asc())
        .limit(limit + 1)
        .load(conn)
        .await
}

/// Stores a new pairing.
pub async fn insert(conn: &mut AsyncPgConnection, row: &Pairing) -> QueryResult<Pairing> {
    diesel::insert_into(buddy_pairings::table)
        .values(row)
        .returning(Pairing::as_returning())
        .get_result(conn)
        .await
}

/// The student's active pairing in a cohort, other than `except`.
pub async fn active_for_student(
    conn: &mut AsyncPgConnection,
    student_id: Uuid,
    cohort_id: Uuid,
    except: Option<Uuid>,
) -> QueryResult<Option<Uuid>> {
    let mut query = buddy_pairings::table
        .filter(buddy_pairings::student_id.eq(student_id))
        .filter(buddy_pairings::cohort_id.eq(cohort_id))
        .filter(buddy_pairings::status.eq(PairingStatus::Active))
        .select(buddy_pairings::id)
        .into_boxed();
    if let Some(id) = except {
        query = query.filter(buddy_pairings::id.ne(id));
    }
    query.first(conn).await.optional()
}

/// How many of a pairing's meetings were held.
pub async fn meetings_held(conn: &mut AsyncPgConnection, pairing_id: Uuid) -> QueryResult<i64> {
    buddy_meetings::table
        .filter(buddy_meetings::pairing_id.eq(pairing_id))
        .filter(buddy_meetings::status.eq(MeetingStatus::Held))
        .count()
        .get_result(conn)
        .await
}

/// Moves a pairing to a new status, stamping when it started or ended.
pub async fn set_status(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    to: PairingStatus,
    reason: Option<&str>,
) -> QueryResult<Pairing> {
    let now = Utc::now();
    let update = diesel::update(buddy_pairings::table.find(id));
    match to {
        PairingStatus::Active => {
            update
                .set((
                    buddy_pairings::status.eq(to),
                    buddy_pairings::activated_at.eq(Some(now)),
                    buddy_pairings::updated_at.eq(now),
                ))
                .returning(Pairing::as_returning())
                .get_result(conn)
                .await
        }
        PairingStatus::Proposed => {
            update
                .set((
                    buddy_pairings::status.eq(to),
                    buddy_pairings::updated_at.eq(now),
                ))
                .returning(Pairing::as_returning())
                .get_result(conn)
                .await
        }
        PairingStatus::Completed | PairingStatus::Withdrawn => {
            update
                .set((
                    buddy_pairings::status.eq(to),
                    buddy_pairings::withdrawn_reason.eq(reason),
                    buddy_pairings::ended_at.eq(Some(now)),
                    buddy_pairings::updated_at.eq(now),
                ))
                .returning(Pairing::as_returning())
                .get_result(conn)
                .await
        }
    }
}
