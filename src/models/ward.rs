//! Wards: where peer support happens, grouped by service line for reports.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::access::WardScope;
use crate::schema::wards;

crate::text_enum! {
    /// The service line a ward belongs to; reports group by it.
    pub enum ServiceLine {
        Camhs = "camhs",
        Adult = "adult",
        OlderAdult = "older_adult",
        Specialist = "specialist",
        MediumSecure = "medium_secure",
        LearningDisability = "learning_disability",
        Other = "other",
    }
}

/// A ward.
#[derive(Debug, Clone, Queryable, Selectable, Serialize, ToSchema)]
#[diesel(table_name = wards)]
pub struct Ward {
    pub id: Uuid,
    /// Short unique code, upper case, e.g. `CAMHS-1`.
    #[schema(example = "ADULT-ASH")]
    pub code: String,
    #[schema(example = "Ash Ward")]
    pub name: String,
    pub service_line: ServiceLine,
    /// Inactive wards keep their records but take no new ones.
    pub active: bool,
    /// The ward's site code in the NHS Organisation Data Service, e.g.
    /// `RX4E4`; FHIR Locations carry it.
    #[schema(example = "RX4E4")]
    pub ods_site_code: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A new ward row.
#[derive(Debug, Insertable)]
#[diesel(table_name = wards)]
pub struct NewWard<'a> {
    pub id: Uuid,
    pub code: &'a str,
    pub name: &'a str,
    pub service_line: ServiceLine,
    pub active: bool,
    pub ods_site_code: Option<&'a str>,
}

/// Changes to a ward; `None` leaves a field as it is.
#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = wards)]
pub struct WardChanges<'a> {
    pub name: Option<&'a str>,
    pub service_line: Option<ServiceLine>,
    pub active: Option<bool>,
    pub ods_site_code: Option<&'a str>,
    pub updated_at: Option<DateTime<Utc>>,
}

/// Filters for listing wards.
#[derive(Debug, Default)]
pub struct WardFilter {
    pub service_line: Option<ServiceLine>,
    pub active: Option<bool>,
}

/// One ward, if it is within the scope.
pub async fn find(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    scope: &WardScope,
) -> QueryResult<Option<Ward>> {
    if !scope.contains(id) {
        return Ok(None);
    }
    wards::table
        .find(id)
        .select(Ward::as_select())
        .first(conn)
        .await
        .optional()
}

/// Inserts a ward; `None` when the code is taken (nothing written).
pub async fn insert(conn: &mut AsyncPgConnection, new: NewWard<'_>) -> QueryResult<Option<Ward>> {
    diesel::insert_into(wards::table)
        .values(new)
        .on_conflict_do_nothing()
        .returning(Ward::as_returning())
        .get_result(conn)
        .await
        .optional()
}

/// Changes a ward's row and gives it as it now reads.
pub async fn update(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    changes: &WardChanges<'_>,
) -> QueryResult<Ward> {
    diesel::update(wards::table.find(id))
        .set(changes)
        .returning(Ward::as_returning())
        .get_result(conn)
        .await
}

/// Which of these ward ids exist (any scope).
pub async fn existing_ids(conn: &mut AsyncPgConnection, ids: &[Uuid]) -> QueryResult<Vec<Uuid>> {
    wards::table
        .filter(wards::id.eq_any(ids))
        .select(wards::id)
        .load(conn)
        .await
}

/// Every ward, in code order (reports name and group them).
pub async fn all(conn: &mut AsyncPgConnection) -> QueryResult<Vec<Ward>> {
    wards::table
        .select(Ward::as_select())
        .order(wards::code.asc())
        .load(conn)
        .await
}

/// The ids of the wards with these codes, as (code, id).
pub async fn ids_by_code(
    conn: &mut AsyncPgConnection,
    codes: impl IntoIterator<Item = String>,
) -> QueryResult<Vec<(String, Uuid)>> {
    wards::table
        .filter(wards::code.eq_any(codes.into_iter().collect::<Vec<_>>()))
        .select((wards::code, wards::id))
        .load(conn)
        .await
}

/// A page of wards in code order, after the cursor's code.
pub async fn list(
    conn: &mut AsyncPgConnection,
    scope: &WardScope,
    filter: &WardFilter,
    after_code: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<Ward>> {
    let mut query = wards::table.select(Ward::as_select()).into_boxed();
    if let WardScope::Only(ids) = scope {
        query = query.filter(wards::id.eq_any(ids.clone()));
    }
    if let Some(line) = filter.service_line {
        query = query.filter(wards::service_line.eq(line));
    }
    if let Some(active) = filter.active {
        query = query.filter(wards::active.eq(active));
    }
    if let Some(code) = after_code {
        query = query.filter(wards::code.gt(code.to_string()));
    }
    query
        .order(wards::code.asc())
        .limit(limit + 1)
        .load(conn)
        .await
}

/// The wards with these ids (any scope), in code order.
pub async fn by_ids(conn: &mut AsyncPgConnection, ids: &[Uuid]) -> QueryResult<Vec<Ward>> {
    wards::table
        .filter(wards::id.eq_any(ids))
        .select(Ward::as_select())
        .order(wards::code.asc())
        .load(conn)
        .await
}

/// A peer worker on a ward, as the tablet's co-worker picker shows them.
#[derive(Debug, Clone, Queryable, Serialize, ToSchema)]
pub struct WardWorker {
    pub id: Uuid,
    #[schema(example = "Jo Smith")]
    pub display_name: String,
    /// `peer_support_worker` or `peer_team_leader`.
    pub role: crate::access::Role,
}

/// The active peer workers and team leaders assigned to a ward, by name.
pub async fn workers(conn: &mut AsyncPgConnection, ward_id: Uuid) -> QueryResult<Vec<WardWorker>> {
    use crate::access::Role;
    use crate::schema::{users, ward_assignments};
    users::table
        .inner_join(ward_assignments::table.on(ward_assignments::user_id.eq(users::id)))
        .filter(ward_assignments::ward_id.eq(ward_id))
        .filter(users::active.eq(true))
        .filter(users::role.eq_any([Role::PeerSupportWorker, Role::PeerTeamLeader]))
        .select((users::id, users::display_name, users::role))
        .order((users::display_name.asc(), users::id.asc()))
        .load(conn)
        .await
}
