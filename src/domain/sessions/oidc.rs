//! Signing in with a token from the trust's identity provider, and which
//! peerlog account a provider's person is.

use diesel_async::AsyncPgConnection;

use super::{open, Issuer, Opening, Tokens};
use crate::access::RequestMeta;
use crate::domain::{DomainError, DomainResult};
use crate::identity::oidc::{ExternalIdentity, OidcVerifier};
use crate::models::sign_in;
use crate::models::user::{self, AccountRow};

/// The longest provider token read.
pub const MAX_TOKEN: usize = 16384;

/// The account a provider's person is linked to: `account_inactive` when
/// it is disabled, `account_not_linked` when there is none. With
/// `auto_provision`, an unknown person gets an inactive account for an
/// admin to complete (and is told `account_inactive`).
pub async fn linked_account(
    conn: &mut AsyncPgConnection,
    person: &ExternalIdentity,
    auto_provision: bool,
) -> DomainResult<AccountRow> {
    match user::account_by_external_id(conn, &person.subject).await? {
        Some(a) if a.active => Ok(a),
        Some(_) => Err(DomainError::Unauthorized("account_inactive")),
        None if auto_provision => {
            user::provision_external(conn, person).await?;
            Err(DomainError::Unauthorized("account_inactive"))
        }
        None => Err(DomainError::Unauthorized("account_not_linked")),
    }
}

/// Exchanges a provider token for a peerlog session, so logout ends it at
/// once and a shared tablet switches user as with a password. The token
/// must be valid (`invalid_token`, the reason logged at debug only) and
/// name a person with an active linked account.
pub async fn sign_in(
    conn: &mut AsyncPgConnection,
    issuer: Issuer<'_>,
    provider: &OidcVerifier,
    token: &str,
    meta: &RequestMeta,
) -> DomainResult<Tokens> {
    if token.len() > MAX_TOKEN {
        return Err(DomainError::Unauthorized("invalid_token"));
    }
    let person = provider.verify(token).await.map_err(|e| {
        log::debug!("provider token refused: {e}");
        DomainError::Unauthorized("invalid_token")
    })?;
    let auto_provision = provider.settings().auto_provision;
    let account = linked_account(conn, &person, auto_provision).await?;
    let opening = Opening {
        user_id: account.id,
        role: account.role,
        method: sign_in::Method::Oidc,
        details: serde_json::json!({ "method": "oidc" }),
        throttle: None,
    };
    open(conn, issuer, opening, meta).await
}
