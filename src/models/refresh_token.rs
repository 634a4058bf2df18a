//! Refresh tokens: opaque, random, stored only as their SHA-256, rotated on
//! every use. A token used twice means someone copied it: the whole family
//! (every token descended from that sign-in) is revoked, and with it the
//! sign-in, which ends its access tokens too.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use rand::RngCore;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::schema::refresh_tokens;

/// A stored refresh token.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = refresh_tokens)]
pub struct RefreshToken {
    pub id: Uuid,
    pub family_id: Uuid,
    pub user_id: Uuid,
    pub expires_at: DateTime<Utc>,
    pub rotated_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// The SHA-256 of a token, as stored.
pub fn digest(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

/// Issues a new token in a family; returns the plain token (shown once).
pub async fn issue(
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
    family_id: Uuid,
    ttl_secs: i64,
) -> QueryResult<String> {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let token = URL_SAFE_NO_PAD.encode(bytes);
    let now = Utc::now();
    diesel::insert_into(refresh_tokens::table)
        .values((
            refresh_tokens::id.eq(Uuid::now_v7()),
            refresh_tokens::family_id.eq(family_id),
            refresh_tokens::user_id.eq(user_id),
            refresh_tokens::token_hash.eq(digest(&token)),
            refresh_tokens::issued_at.eq(now),
            refresh_tokens::expires_at.eq(now + Duration::seconds(ttl_secs)),
        ))
        .execute(conn)
        .await?;
    Ok(token)
}

/// Finds a token by its plain value and locks its row for this transaction.
pub async fn find_for_update(
    conn: &mut AsyncPgConnection,
    token: &str,
) -> QueryResult<Option<RefreshToken>> {
    refresh_tokens::table
        .filter(refresh_tokens::token_hash.eq(digest(token)))
        .select(RefreshToken::as_select())
        .for_update()
        .first(conn)
        .await
        .optional()
}

/// Marks a token as used (rotated).
pub async fn mark_rotated(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<()> {
    diesel::update(refresh_tokens::table.find(id))
        .set(refresh_tokens::rotated_at.eq(Utc::now()))
        .execute(conn)
        .await
        .map(|_| ())
}

/// Revokes every live token of a family, and its sign-in, so the access
/// tokens of that sign-in stop working too.
pub async fn revoke_family(conn: &mut AsyncPgConnection, family_id: Uuid) -> QueryResult<usize> {
    super::sign_in::revoke(conn, family_id).await?;
    diesel::update(
        refresh_tokens::table
            .filter(refresh_tokens::family_id.eq(family_id))
            .filter(refresh_tokens::revoked_at.is_null()),
    )
    .set(refresh_tokens::revoked_at.eq(Utc::now()))
    .execute(conn)
    .await
}

/// Revokes every live token and sign-in of a user (disabled, password or
/// role changed).
pub async fn revoke_user(conn: &mut AsyncPgConnection, user_id: Uuid) -> QueryResult<usize> {
    super::sign_in::revoke_user(conn, user_id).await?;
    diesel::update(
        refresh_tokens::table
            .filter(refresh_tokens::user_id.eq(user_id))
            .filter(refresh_tokens::revoked_at.is_null()),
    )
    .set(refresh_tokens::revoked_at.eq(Utc::now()))
    .execute(conn)
    .await
}
