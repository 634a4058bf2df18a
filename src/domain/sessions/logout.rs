//! Ending a session.

use diesel_async::{AsyncConnection, AsyncPgConnection};

use crate::access::RequestMeta;
use crate::audit::{self, AuditActor, AuditEvent};
use crate::domain::{DomainError, DomainResult};
use crate::models::refresh_token;

/// Ends the sign-in the refresh token belongs to: its whole refresh
/// family is revoked (so every access token of that sign-in is refused
/// from its next request on), audited as `logout` in the same
/// transaction. An unknown token changes nothing and is not an error, so
/// logout never tells whether a token was real.
pub async fn end(
    conn: &mut AsyncPgConnection,
    presented: &str,
    meta: &RequestMeta,
) -> DomainResult<()> {
    conn.transaction::<_, DomainError, _>(async move |conn| {
        if let Some(stored) = refresh_token::find_for_update(conn, presented).await? {
            refresh_token::revoke_family(conn, stored.family_id).await?;
            let mut actor = AuditActor::anonymous(meta);
            actor.actor_id = Some(stored.user_id);
            audit::record(
                conn,
                &actor,
                AuditEvent::new("logout", "session", stored.family_id),
            )
            .await?;
        }
        Ok(())
    })
    .await
}
