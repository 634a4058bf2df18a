//! Accounts: who may sign in, with which role, on which wards.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::access::Role;
use crate::schema::{users, ward_assignments};

/// A user row, without the password hash.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = users)]
pub struct UserRow {
    pub id: Uuid,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub active: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub external_id: Option<String>,
}

/// A user account as the API shows it. The password hash never leaves
/// the database layer.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct User {
    pub id: Uuid,
    #[schema(example = "jsmith")]
    pub username: String,
    #[schema(example = "Jo Smith")]
    pub display_name: String,
    pub role: Role,
    pub active: bool,
    /// Wards the user is assigned to.
    pub ward_ids: Vec<Uuid>,
    /// The person at the trust's identity provider this account is linked
    /// to (the value of the configured claim, `sub` or `oid`); null when
    /// the account signs in only with a password.
    #[schema(example = "7f0c2d4e-1b2a-4c3d-9e8f-0a1b2c3d4e5f")]
    pub external_id: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl User {
    pub fn from_row(row: UserRow, ward_ids: Vec<Uuid>) -> Self {
        User {
            id: row.id,
            username: row.username,
            display_name: row.display_name,
            role: row.role,
            active: row.active,
            ward_ids,
            external_id: row.external_id,
            created_at: row.created_at,
            updated_at: row.updated_at,
        }
    }
}

/// A new user row.
#[derive(Debug, Insertable)]
#[diesel(table_name = users)]
pub struct NewUser<'a> {
    pub id: Uuid,
    pub username: &'a str,
    pub display_name: &'a str,
    pub password_hash: &'a str,
    pub role: Role,
    pub active: bool,
    pub external_id: Option<&'a str>,
}

/// Changes to a user; `None` leaves a field as it is.
#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = users)]
pub struct UserChanges<'a> {
    pub display_name: Option<&'a str>,
    pub password_hash: Option<&'a str>,
    pub role: Option<Role>,
    pub active: Option<bool>,
    /// `Some(None)` unlinks the account from its provider identity.
    pub external_id: Option<Option<&'a str>>,
    pub updated_at: Option<DateTime<Utc>>,
}

/// Inserts an account; false when the username is taken (nothing written).
pub async fn insert(conn: &mut AsyncPgConnection, new: NewUser<'_>) -> QueryResult<bool> {
    let inserted = diesel::insert_into(users::table)
        .values(new)
        .on_conflict_do_nothing()
        .execute(conn)
        .await?;
    Ok(inserted > 0)
}

/// Changes an account's row.
pub async fn update(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    changes: &UserChanges<'_>,
) -> QueryResult<()> {
    diesel::update(users::table.find(id))
        .set(changes)
        .execute(conn)
        .await
        .map(|_| ())
}

/// For sign-in: id, role, active flag and password hash by username.
pub async fn credentials(
    conn: &mut AsyncPgConnection,
    username: &str,
) -> QueryResult<Option<(Uuid, Role, bool, String)>> {
    users::table
        .filter(users::username.eq(username))
        .select((users::id, users::role, users::active, users::password_hash))
        .first(conn)
        .await
        .optional()
}

/// The stored hash of an account that signs in only through the trust's
/// identity provider: not a PHC string, so no password ever matches it.
pub const NO_PASSWORD: &str = "!";

/// The account linked to a provider identity, if any.
pub async fn by_external_id(
    conn: &mut AsyncPgConnection,
    external_id: &str,
) -> QueryResult<Option<Uuid>> {
    users::table
        .filter(users::external_id.eq(external_id))
        .select(users::id)
        .first(conn)
        .await
        .optional()
}

/// Creates an inactive account for a person's first sign-in through the
/// identity provider (`PEERLOG_OIDC_AUTO_PROVISION=true`): the least role,
/// no wards, no password, waiting for an admin to activate it. Does nothing
/// when the person already has one.
pub async fn provision_external(
    conn: &mut AsyncPgConnection,
    person: &crate::identity::oidc::ExternalIdentity,
) -> QueryResult<()> {
    use sha2::{Digest, Sha256};
    let digest = hex::encode(Sha256::digest(person.subject.as_bytes()));
    let stem: String = person
        .login_hint
        .as_deref()
        .unwrap_or("")
        .split('@')
        .next()
        .unwrap_or("")
        .to_ascii_lowercase()
        .chars()
        .filter(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'))
        .take(40)
        .collect();
    let stem = stem.trim_start_matches(['.', '_', '-']);
    let stem = if stem.is_empty() { "nhs" } else { stem };
    let username = format!("{stem}-{}", &digest[..8]);
    let display_name = person.name.clone().unwrap_or_else(|| username.clone());
    diesel::insert_into(users::table)
        .values(NewUser {
            id: Uuid::now_v7(),
            username: &username,
            display_name: display_name.trim(),
            password_hash: NO_PASSWORD,
            role: Role::PeerSupportWorker,
            active: false,
            external_id: Some(&person.subject),
        })
        .on_conflict_do_nothing()
        .execute(conn)
        .await
        .map(|_| ())
}

/// One user with their wards.
pub async fn find(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<Option<User>> {
    let Some(row) = users::table
        .find(id)
        .select(UserRow::as_select())
        .first(conn)
        .await
        .optional()?
    else {
        return Ok(None);
    };
    let wards = ward_ids(conn, id).await?;
    Ok(Some(User::from_row(row, wards)))
}

/// The wards a user is assigned to.
pub async fn ward_ids(conn: &mut AsyncPgConnection, user_id: Uuid) -> QueryResult<Vec<Uuid>> {
    ward_assignments::table
        .filter(ward_assignments::user_id.eq(user_id))
        .select(ward_assignments::ward_id)
        .order(ward_assignments::ward_id)
        .load(conn)
        .await
}

/// Filters for listing users.
#[derive(Debug, Default)]
pub struct UserFilter {
    pub role: Option<Role>,
    pub active: Option<bool>,
    pub ward_id: Option<Uuid>,
}

/// A page of users in username order, after the cursor's username.
pub async fn list(
    conn: &mut AsyncPgConnection,
    filter: &UserFilter,
    after_username: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<User>> {
    let mut query = users::table.select(UserRow::as_select()).into_boxed();
    if let Some(role) = filter.role {
        query = query.filter(users::role.eq(role));
    }
    if let Some(active) = filter.active {
        query = query.filter(users::active.eq(active));
    }
    if let Some(ward_id) = filter.ward_id {
        query = query.filter(
            users::id.eq_any(
                ward_assignments::table
                    .filter(ward_assignments::ward_id.eq(ward_id))
                    .select(ward_assignments::user_id),
            ),
        );
    }
    if let Some(name) = after_username {
        query = query.filter(users::username.gt(name.to_string()));
    }
    let rows: Vec<UserRow> = query
        .order(users::username.asc())
        .limit(limit + 1)
        .load(conn)
        .await?;
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let pairs: Vec<(Uuid, Uuid)> = ward_assignments::table
        .filter(ward_assignments::user_id.eq_any(&ids))
        .select((ward_assignments::user_id, ward_assignments::ward_id))
        .order((ward_assignments::user_id, ward_assignments::ward_id))
        .load(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let wards = pairs
                .iter()
                .filter(|(u, _)| *u == row.id)
                .map(|(_, w)| *w)
                .collect();
            User::from_row(row, wards)
        })
        .collect())
}

/// Replaces a user's ward assignments.
pub async fn set_wards(
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
    ward_ids: &[Uuid],
) -> QueryResult<()> {
    diesel::delete(ward_assignments::table.filter(ward_assignments::user_id.eq(user_id)))
        .execute(conn)
        .await?;
    let rows: Vec<_> = ward_ids
        .iter()
        .map(|w| {
            (
                ward_assignments::user_id.eq(user_id),
                ward_assignments::ward_id.eq(*w),
            )
        })
        .collect();
    diesel::insert_into(ward_assignments::table)
        .values(rows)
        .on_conflict_do_nothing()
        .execute(conn)
        .await?;
    Ok(())
}

/// The account and its wards, read in one statement on every request.
/// `active` is false when the account is disabled or, for a peerlog token,
/// when the token's sign-in was logged out or revoked.
#[derive(Debug, QueryableByName)]
pub struct AccountRow {
    #[diesel(sql_type = diesel::sql_types::Uuid)]
    pub id: Uuid,
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub username: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub display_name: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub role: Role,
    #[diesel(sql_type = diesel::sql_types::Bool)]
    pub active: bool,
    #[diesel(sql_type = diesel::sql_types::Array<diesel::sql_types::Uuid>)]
    pub ward_ids: Vec<Uuid>,
}

/// The account read for a token from the trust's identity provider: the
/// user linked to the person.
const ACCOUNT_BY_EXTERNAL_ID: &str = "SELECT u.id, u.username, u.display_name, u.role, u.active, \
       ARRAY(SELECT wa.ward_id FROM ward_assignments wa \
             WHERE wa.user_id = u.id ORDER BY wa.ward_id) AS ward_ids \
     FROM users u WHERE u.external_id = $1";

/// The account linked to a provider's person (`users.external_id`), with
/// its wards.
pub async fn account_by_external_id(
    conn: &mut AsyncPgConnection,
    external_id: &str,
) -> QueryResult<Option<AccountRow>> {
    diesel::sql_query(ACCOUNT_BY_EXTERNAL_ID)
        .bind::<diesel::sql_types::Text, _>(external_id)
        .get_result::<AccountRow>(conn)
        .await
        .optional()
}
