//! Sign-ins: one row for each time a person signs in (with a password or
//! through the trust's identity provider). Access tokens carry the sign-in's
//! id as `sid`; the per-request account read refuses a token whose sign-in
//! was revoked, so logout, a reused refresh token or a disabled account end
//! every access token of that sign-in at once. The sign-in's refresh tokens
//! are its family (`refresh_tokens.family_id`).

use chrono::Utc;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::schema::sign_ins;

/// How a person signed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Password,
    Oidc,
}

impl Method {
    fn as_str(self) -> &'static str {
        match self {
            Method::Password => "password",
            Method::Oidc => "oidc",
        }
    }
}

/// Records a new sign-in; returns its id (also the refresh-token family).
pub async fn create(
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
    method: Method,
) -> QueryResult<Uuid> {
    let id = Uuid::now_v7();
    diesel::insert_into(sign_ins::table)
        .values((
            sign_ins::id.eq(id),
            sign_ins::user_id.eq(user_id),
            sign_ins::method.eq(method.as_str()),
        ))
        .execute(conn)
        .await?;
    Ok(id)
}

/// Ends a sign-in: its access tokens stop working at their next request.
pub async fn revoke(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<usize> {
    diesel::update(
        sign_ins::table
            .find(id)
            .filter(sign_ins::revoked_at.is_null()),
    )
    .set(sign_ins::revoked_at.eq(Utc::now()))
    .execute(conn)
    .await
}

/// Ends every sign-in of a user (disabled, password or role changed).
pub async fn revoke_user(conn: &mut AsyncPgConnection, user_id: Uuid) -> QueryResult<usize> {
    diesel::update(
        sign_ins::table
            .filter(sign_ins::user_id.eq(user_id))
            .filter(sign_ins::revoked_at.is_null()),
    )
    .set(sign_ins::revoked_at.eq(Utc::now()))
    .execute(conn)
    .await
}
