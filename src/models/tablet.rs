//! Enrolled ward tablets: rows and queries. Enrolment codes and tablet
//! secrets are random and kept only as their SHA-256 ([`digest`]).

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::Serialize;
use sha2::{Digest, Sha256};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::schema::tablets;

/// The SHA-256 of a code or secret, as stored.
pub fn digest(text: &str) -> Vec<u8> {
    Sha256::digest(text.as_bytes()).to_vec()
}

/// A tablet's row, less its hashes.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = tablets)]
pub struct TabletRow {
    pub id: Uuid,
    pub name: String,
    pub ward_id: Option<Uuid>,
    pub code_expires_at: Option<DateTime<Utc>>,
    pub enrolled_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub last_sign_in_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

/// Where a tablet stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TabletStatus {
    /// Its enrolment code has not been used yet and is still valid.
    AwaitingEnrolment,
    /// Its enrolment code ran out unused: create the tablet again.
    CodeExpired,
    /// Enrolled: sign-ins on it are throttled per person on the tablet.
    Enrolled,
    /// Revoked: it signs in like any unknown device.
    Revoked,
}

/// An enrolled (or to-be-enrolled) ward tablet, as the API shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Tablet {
    pub id: Uuid,
    /// What the ward calls it, e.g. "Ash ward tablet 2".
    #[schema(example = "Ash ward tablet 2")]
    pub name: String,
    /// The ward it lives on, if the admin said (a label only: it does not
    /// limit who signs in on it).
    pub ward_id: Option<Uuid>,
    pub status: TabletStatus,
    /// Until when its enrolment code works, while awaiting enrolment.
    pub code_expires_at: Option<DateTime<Utc>>,
    pub enrolled_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
    /// The last successful password sign-in on it.
    pub last_sign_in_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

impl Tablet {
    /// The API's view of a row, as of `now`.
    pub fn from_row(row: TabletRow, now: DateTime<Utc>) -> Self {
        let status = if row.revoked_at.is_some() {
            TabletStatus::Revoked
        } else if row.enrolled_at.is_some() {
            TabletStatus::Enrolled
        } else if row.code_expires_at.is_some_and(|t| t > now) {
            TabletStatus::AwaitingEnrolment
        } else {
            TabletStatus::CodeExpired
        };
        Tablet {
            id: row.id,
            name: row.name,
            ward_id: row.ward_id,
            status,
            code_expires_at: row.code_expires_at.filter(|_| row.enrolled_at.is_none()),
            enrolled_at: row.enrolled_at,
            revoked_at: row.revoked_at,
            last_sign_in_at: row.last_sign_in_at,
            created_at: row.created_at,
        }
    }
}

/// A new tablet's row, awaiting enrolment.
#[derive(Debug, Insertable)]
#[diesel(table_name = tablets)]
pub struct NewTablet<'a> {
    pub id: Uuid,
    pub name: &'a str,
    pub ward_id: Option<Uuid>,
    pub code_hash: Vec<u8>,
    pub code_expires_at: DateTime<Utc>,
    pub created_by: Uuid,
}

/// Changes to a tablet's label; `None` leaves a field as it is.
#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = tablets)]
pub struct TabletChanges<'a> {
    pub name: Option<&'a str>,
    pub ward_id: Option<Option<Uuid>>,
    pub updated_at: Option<DateTime<Utc>>,
}

pub async fn insert(conn: &mut AsyncPgConnection, new: NewTablet<'_>) -> QueryResult<()> {
    diesel::insert_into(tablets::table)
        .values(new)
        .execute(conn)
        .await
        .map(|_| ())
}

pub async fn find(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<Option<TabletRow>> {
    tablets::table
        .find(id)
        .select(TabletRow::as_select())
        .first(conn)
        .await
        .optional()
}

/// Tablets newest first (ids are UUIDv7), after a cursor.
pub async fn list(
    conn: &mut AsyncPgConnection,
    before: Option<Uuid>,
    limit: i64,
) -> QueryResult<Vec<TabletRow>> {
    let mut query = tablets::table
        .select(TabletRow::as_select())
        .order(tablets::id.desc())
        .limit(limit + 1)
        .into_boxed();
    if let Some(before) = before {
        query = query.filter(tablets::id.lt(before));
    }
    query.load(conn).await
}

pub async fn update(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    changes: &TabletChanges<'_>,
) -> QueryResult<usize> {
    diesel::update(tablets::table.find(id))
        .set(changes)
        .execute(conn)
        .await
}

/// Uses a valid, unused enrolment code up: the tablet now holds the secret
/// whose digest is `secret_hash`. `None` when no tablet awaits this code.
pub async fn redeem_code(
    conn: &mut AsyncPgConnection,
    code_hash: &[u8],
    secret_hash: &[u8],
) -> QueryResult<Option<TabletRow>> {
    let now = Utc::now();
    diesel::update(
        tablets::table
            .filter(tablets::code_hash.eq(code_hash))
            .filter(tablets::code_expires_at.gt(now))
            .filter(tablets::revoked_at.is_null()),
    )
    .set((
        tablets::code_hash.eq(None::<Vec<u8>>),
        tablets::code_expires_at.eq(None::<DateTime<Utc>>),
        tablets::secret_hash.eq(secret_hash),
        tablets::enrolled_at.eq(now),
        tablets::updated_at.eq(now),
    ))
    .returning(TabletRow::as_returning())
    .get_result(conn)
    .await
    .optional()
}

/// The enrolled, unrevoked tablet holding this secret.
pub async fn by_secret(
    conn: &mut AsyncPgConnection,
    secret_hash: &[u8],
) -> QueryResult<Option<TabletRow>> {
    tablets::table
        .filter(tablets::secret_hash.eq(secret_hash))
        .filter(tablets::revoked_at.is_null())
        .select(TabletRow::as_select())
        .first(conn)
        .await
        .optional()
}

/// Revokes a tablet: its code and secret are forgotten. False when it was
/// revoked already.
pub async fn revoke(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<bool> {
    let now = Utc::now();
    diesel::update(
        tablets::table
            .find(id)
            .filter(tablets::revoked_at.is_null()),
    )
    .set((
        tablets::code_hash.eq(None::<Vec<u8>>),
        tablets::code_expires_at.eq(None::<DateTime<Utc>>),
        tablets::secret_hash.eq(None::<Vec<u8>>),
        tablets::revoked_at.eq(now),
        tablets::updated_at.eq(now),
    ))
    .execute(conn)
    .await
    .map(|n| n > 0)
}

/// Notes a successful sign-in on a tablet.
pub async fn signed_in(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<()> {
    diesel::update(tablets::table.find(id))
        .set(tablets::last_sign_in_at.eq(Utc::now()))
        .execute(conn)
        .await
        .map(|_| ())
}
