//! What the rules look up about the people and the ward an activity names.

use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::access::Role;
use crate::schema::{users, ward_assignments, wards};

/// Whether a ward is active; `None` when there is no such ward.
pub async fn ward_active(conn: &mut AsyncPgConnection, ward_id: Uuid) -> QueryResult<Option<bool>> {
    wards::table
        .find(ward_id)
        .select(wards::active)
        .first(conn)
        .await
        .optional()
}

/// Which of these users are active peer workers (or team leaders)
/// assigned to the ward.
pub async fn peer_workers_on_ward(
    conn: &mut AsyncPgConnection,
    ward_id: Uuid,
    ids: &[Uuid],
) -> QueryResult<Vec<Uuid>> {
    users::table
        .inner_join(ward_assignments::table)
        .filter(users::id.eq_any(ids))
        .filter(users::active.eq(true))
        .filter(users::role.eq_any([Role::PeerSupportWorker, Role::PeerTeamLeader]))
        .filter(ward_assignments::ward_id.eq(ward_id))
        .select(users::id)
        .load(conn)
        .await
}
