//! Rotating a refresh token, with reuse detection: a token presented
//! twice means it was copied, so the whole sign-in ends.

use chrono::Utc;
use diesel_async::{AsyncConnection, AsyncPgConnection};

use super::{Issuer, Tokens};
use crate::access::RequestMeta;
use crate::audit::{self, AuditActor, AuditEvent};
use crate::domain::{DomainError, DomainResult};
use crate::models::{refresh_token, user};

/// Rotates a refresh token: the old one stops working and a new pair is
/// issued. Presenting an already-rotated token revokes its whole family
/// and its sign-in (audited as `refresh_token_reused`); an unknown or
/// expired token, or a disabled account's, is refused. Every refusal is
/// `invalid_refresh_token`, and what it revoked stays revoked.
pub async fn rotate(
    conn: &mut AsyncPgConnection,
    issuer: Issuer<'_>,
    presented: &str,
    meta: &RequestMeta,
) -> DomainResult<Tokens> {
    let ttl = issuer.refresh_ttl_secs;
    // The refusal is an answer, not a failure: what the transaction
    // revoked and audited on the way must commit.
    let rotated = conn
        .transaction::<_, DomainError, _>(async move |conn| {
            let Some(stored) = refresh_token::find_for_update(conn, presented).await? else {
                return Ok(None);
            };
            if stored.revoked_at.is_some() || stored.rotated_at.is_some() {
                refresh_token::revoke_family(conn, stored.family_id).await?;
                audit::record(
                    conn,
                    &AuditActor::anonymous(meta),
                    AuditEvent::new("refresh_token_reused", "session", stored.family_id)
                        .details(serde_json::json!({ "user_id": stored.user_id })),
                )
                .await?;
                return Ok(None);
            }
            if stored.expires_at <= Utc::now() {
                return Ok(None);
            }
            let account = user::find(conn, stored.user_id).await?.filter(|u| u.active);
            let Some(account) = account else {
                refresh_token::revoke_family(conn, stored.family_id).await?;
                return Ok(None);
            };
            refresh_token::mark_rotated(conn, stored.id).await?;
            let token = refresh_token::issue(conn, account.id, stored.family_id, ttl).await?;
            audit::record(
                conn,
                &AuditActor::user(account.id, account.role, meta),
                AuditEvent::new("token_refreshed", "session", stored.family_id),
            )
            .await?;
            Ok(Some((account.id, account.role, stored.family_id, token)))
        })
        .await?;
    let (user_id, role, sid, token) =
        rotated.ok_or(DomainError::Unauthorized("invalid_refresh_token"))?;
    issuer.tokens(user_id, role, sid, token)
}
