//! Buddies: service users and carers with lived experience who are
//! registered trust volunteers, each able to take a few students at once.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::{BuddyType, PairingStatus, VolunteerStatus};
use crate::schema::{buddies, buddy_pairings};

/// A buddy.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, Serialize, ToSchema)]
#[diesel(table_name = buddies)]
pub struct Buddy {
    pub id: Uuid,
    #[schema(example = "Robin Hart")]
    pub full_name: String,
    pub buddy_type: BuddyType,
    pub volunteer_status: VolunteerStatus,
    /// When the volunteer registration was verified; required for `registered`.
    pub volunteer_verified_on: Option<NaiveDate>,
    /// How many students the buddy takes at once (proposed and active pairings).
    #[schema(minimum = 1, maximum = 10)]
    pub capacity: i32,
    pub email: Option<String>,
    /// The `buddy_volunteer` account linked to this buddy, if any.
    pub user_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Changes to a buddy; `None` leaves a field as it is.
#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = buddies)]
pub struct BuddyChanges<'a> {
    pub full_name: Option<&'a str>,
    pub volunteer_status: Option<VolunteerStatus>,
    pub volunteer_verified_on: Option<Option<NaiveDate>>,
    pub capacity: Option<i32>,
    pub email: Option<Option<&'a str>>,
    pub user_id: Option<Option<Uuid>>,
    pub updated_at: Option<DateTime<Utc>>,
}

/// One buddy.
pub async fn find(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<Option<Buddy>> {
    buddies::table
        .find(id)
        .select(Buddy::as_select())
        .first(conn)
        .await
        .optional()
}

/// One buddy, its row locked until the transaction ends, so that two
/// pairings cannot both take the buddy's last place.
pub async fn lock(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<Option<Buddy>> {
    buddies::table
        .find(id)
        .select(Buddy::as_select())
        .for_update()
        .first(conn)
        .await
        .optional()
}

/// How many open (proposed or active) pairings a buddy has, leaving out
/// one pairing (the one being activated).
pub async fn open_pairings(
    conn: &mut AsyncPgConnection,
    buddy_id: Uuid,
    except: Option<Uuid>,
) -> QueryResult<i64> {
    let mut query = buddy_pairings::table
        .filter(buddy_pairings::buddy_id.eq(buddy_id))
        .filter(buddy_pairings::status.eq_any([PairingStatus::Proposed, PairingStatus::Active]))
        .into_boxed();
    if let Some(id) = except {
        query = query.filter(buddy_pairings::id.ne(id));
    }
    query.count().get_result(conn).await
}

/// A page of buddies in id order.
pub async fn list(
    conn: &mut AsyncPgConnection,
    buddy_type: Option<BuddyType>,
    status: Option<VolunteerStatus>,
    after: Option<Uuid>,
    limit: i64,
) -> QueryResult<Vec<Buddy>> {
    let mut query = buddies::table.select(Buddy::as_select()).into_boxed();
    if let Some(t) = buddy_type {
        query = query.filter(buddies::buddy_type.eq(t));
    }
    if let Some(s) = status {
        query = query.filter(buddies::volunteer_status.eq(s));
    }
    if let Some(id) = after {
        query = query.filter(buddies::id.gt(id));
    }
    query
        .order(buddies::id.asc())
        .limit(limit + 1)
        .load(conn)
        .await
}

/// Stores a new buddy.
pub async fn insert(conn: &mut AsyncPgConnection, row: &Buddy) -> QueryResult<Buddy> {
    diesel::insert_into(buddies::table)
        .values(row)
        .returning(Buddy::as_returning())
        .get_result(conn)
        .await
}

/// Changes a buddy; answers them as changed.
pub async fn update(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    changes: &BuddyChanges<'_>,
) -> QueryResult<Buddy> {
    diesel::update(buddies::table.find(id))
        .set(changes)
        .returning(Buddy::as_returning())
        .get_result(conn)
        .await
}
