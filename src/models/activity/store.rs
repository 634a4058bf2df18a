//! Writing activities: the statements a change is made of. Which change
//! is allowed, and the transaction that holds the row, its links, a
//! version row, an outbox event and an audit row together, are the domain
//! layer's (`crate::domain::activities`).

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::{Activity, ActivityKind, ActivityStatus};
use crate::schema::{
    activities, activity_co_workers, activity_events, activity_service_users, activity_versions,
};

/// The columns a create or an amendment writes.
#[derive(Insertable, AsChangeset)]
#[diesel(table_name = activities)]
#[diesel(treat_none_as_null = true)]
pub struct ActivityColumns<'a> {
    pub ward_id: Uuid,
    pub kind: ActivityKind,
    pub started_at: DateTime<Utc>,
    pub ended_at: DateTime<Utc>,
    pub duration_minutes: i32,
    pub note: Option<&'a str>,
    pub details: serde_json::Value,
    pub restraint_avoided: Option<bool>,
    pub staff_called: Option<bool>,
    pub leave_minutes: Option<i32>,
    pub returned_as_planned: Option<bool>,
    pub attendees_named: Option<i32>,
    pub attendees_unnamed: Option<i32>,
}

/// Inserts a new activity unless one with its id exists (`INSERT … ON
/// CONFLICT (id) DO NOTHING`); answers how many rows were inserted.
pub async fn insert(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    recorded_by: Uuid,
    content_hash: &str,
    columns: ActivityColumns<'_>,
) -> QueryResult<usize> {
    diesel::insert_into(activities::table)
        .values((
            activities::id.eq(id),
            activities::recorded_by.eq(recorded_by),
            activities::content_hash.eq(content_hash),
            columns,
        ))
        .on_conflict(activities::id)
        .do_nothing()
        .execute(conn)
        .await
}

/// Replaces an activity's co-workers and service users.
pub async fn link(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    co_worker_ids: &[Uuid],
    service_user_ids: &[Uuid],
) -> QueryResult<()> {
    diesel::delete(activity_co_workers::table.filter(activity_co_workers::activity_id.eq(id)))
        .execute(conn)
        .await?;
    diesel::delete(
        activity_service_users::table.filter(activity_service_users::activity_id.eq(id)),
    )
    .execute(conn)
    .await?;
    let workers: Vec<_> = co_worker_ids
        .iter()
        .map(|w| {
            (
                activity_co_workers::activity_id.eq(id),
                activity_co_workers::user_id.eq(*w),
            )
        })
        .collect();
    diesel::insert_into(activity_co_workers::table)
        .values(workers)
        .execute(conn)
        .await?;
    let people: Vec<_> = service_user_ids
        .iter()
        .map(|s| {
            (
                activity_service_users::activity_id.eq(id),
                activity_service_users::service_user_id.eq(*s),
            )
        })
        .collect();
    diesel::insert_into(activity_service_users::table)
        .values(people)
        .execute(conn)
        .await?;
    Ok(())
}

/// The ward and recorder of an activity, its row locked until the
/// transaction ends.
pub async fn lock_owner(
    conn: &mut AsyncPgConnection,
    id: Uuid,
) -> QueryResult<Option<(Uuid, Uuid)>> {
    activities::table
        .find(id)
        .select((activities::ward_id, activities::recorded_by))
        .for_update()
        .first(conn)
        .await
        .optional()
}

/// The ward of an activity, its row locked until the transaction ends.
pub async fn lock_ward(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<Option<Uuid>> {
    activities::table
        .find(id)
        .select(activities::ward_id)
        .for_update()
        .first(conn)
        .await
        .optional()
}

/// The current version of an activity.
pub async fn version_of(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<Option<i32>> {
    activities::table
        .find(id)
        .select(activities::version)
        .first(conn)
        .await
        .optional()
}

/// Writes an amendment's columns as `version`.
pub async fn amend(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    columns: ActivityColumns<'_>,
    version: i32,
) -> QueryResult<()> {
    diesel::update(activities::table.find(id))
        .set((
            columns,
            activities::status.eq(ActivityStatus::Amended),
            activities::version.eq(version),
            activities::updated_at.eq(Utc::now()),
        ))
        .execute(conn)
        .await
        .map(|_| ())
}

/// Marks an activity entered in error, with its reason, as `version`.
pub async fn mark_entered_in_error(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    reason: &str,
    version: i32,
) -> QueryResult<()> {
    diesel::update(activities::table.find(id))
        .set((
            activities::status.eq(ActivityStatus::EnteredInError),
            activities::void_reason.eq(reason),
            activities::version.eq(version),
            activities::updated_at.eq(Utc::now()),
        ))
        .execute(conn)
        .await
        .map(|_| ())
}

/// Records who confirmed an escorted leave's authorisation, now, as
/// `version`.
pub async fn confirm_leave(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    confirmed_by: Uuid,
    version: i32,
) -> QueryResult<()> {
    diesel::update(activities::table.find(id))
        .set((
            activities::leave_confirmed_by.eq(confirmed_by),
            activities::leave_confirmed_at.eq(Utc::now()),
            activities::version.eq(version),
            activities::updated_at.eq(Utc::now()),
        ))
        .execute(conn)
        .await
        .map(|_| ())
}

/// Records, on a record being created, who authorised its escorted leave
/// and when (no new version: the record is created so).
pub async fn set_leave_confirmation(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    confirmed_by: Uuid,
    confirmed_at: DateTime<Utc>,
) -> QueryResult<()> {
    diesel::update(activities::table.find(id))
        .set((
            activities::leave_confirmed_by.eq(confirmed_by),
            activities::leave_confirmed_at.eq(confirmed_at),
        ))
        .execute(conn)
        .await
        .map(|_| ())
}

/// Keeps a change's version row and its outbox event: `activity` as it
/// reads after the change (`created`, `amended` or `voided`).
pub async fn record_version(
    conn: &mut AsyncPgConnection,
    activity: &Activity,
    change: &str,
    changed_by: Uuid,
    reason: Option<&str>,
) -> QueryResult<()> {
    let snapshot = activity.to_json();
    diesel::insert_into(activity_versions::table)
        .values((
            activity_versions::activity_id.eq(activity.id),
            activity_versions::version.eq(activity.version),
            activity_versions::change.eq(change),
            activity_versions::changed_by.eq(changed_by),
            activity_versions::reason.eq(reason),
            activity_versions::snapshot.eq(&snapshot),
        ))
        .execute(conn)
        .await?;
    diesel::insert_into(activity_events::table)
        .values((
            activity_events::activity_id.eq(activity.id),
            activity_events::ward_id.eq(activity.ward_id),
            activity_events::event_type.eq(change),
            activity_events::version.eq(activity.version),
            activity_events::payload.eq(&snapshot),
        ))
        .execute(conn)
        .await
        .map(|_| ())
}
