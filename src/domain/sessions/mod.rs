//! Signing in and out: a password or provider sign-in opens a session (a
//! sign-in row, its first refresh token and the access token), a refresh
//! rotates it, a logout ends it. Each writes its audit row in the same
//! transaction as the rest of what it writes, so a session and its audit
//! trail commit or roll back together.
//!
//! Functions here take the request's facts ([`RequestMeta`]) and plain
//! input, and refuse with [`DomainError::Unauthorized`] (a code the client
//! branches on) or [`DomainError::Throttled`]; the routes only extract and
//! answer.

pub mod logout;
pub mod oidc;
pub mod refresh;
pub mod throttle;
pub mod token;

use diesel_async::{AsyncConnection, AsyncPgConnection};
use uuid::Uuid;

use crate::access::{RequestMeta, Role};
use crate::audit::{self, AuditActor, AuditEvent};
use crate::domain::{DomainError, DomainResult};
use crate::identity::jwt::TokenKeys;
use crate::models::{login_throttle, refresh_token, sign_in};

/// The credentials a sign-in or refresh hands back to the caller.
#[derive(Debug)]
pub struct Tokens {
    /// A signed access token for the session.
    pub access_token: String,
    /// Seconds until the access token expires.
    pub expires_in: i64,
    /// The single-use refresh token (shown once; only its digest is kept).
    pub refresh_token: String,
}

/// What signs a session's tokens, and how long its refresh tokens live.
#[derive(Clone, Copy)]
pub struct Issuer<'a> {
    pub keys: &'a TokenKeys,
    pub refresh_ttl_secs: i64,
}

impl Issuer<'_> {
    /// An access token for `user_id` in sign-in `sid`, with its refresh token.
    fn tokens(
        &self,
        user_id: Uuid,
        role: Role,
        sid: Uuid,
        refresh: String,
    ) -> DomainResult<Tokens> {
        Ok(Tokens {
            access_token: self
                .keys
                .issue(user_id, role, sid)
                .map_err(DomainError::internal)?,
            expires_in: self.keys.ttl_secs,
            refresh_token: refresh,
        })
    }
}

/// Who is signing in, and how.
struct Opening<'a> {
    user_id: Uuid,
    role: Role,
    method: sign_in::Method,
    /// The `login` audit row's details.
    details: serde_json::Value,
    /// The throttles a password sign-in counted against, forgotten in the
    /// same transaction.
    throttle: Option<&'a login_throttle::Keys>,
}

/// Opens a session for an account that proved who it is: the throttle
/// forgiven, the sign-in row, its first refresh token and the `login`
/// audit row in one transaction, then the access token.
async fn open(
    conn: &mut AsyncPgConnection,
    issuer: Issuer<'_>,
    opening: Opening<'_>,
    meta: &RequestMeta,
) -> DomainResult<Tokens> {
    let Opening {
        user_id,
        role,
        method,
        details,
        throttle,
    } = opening;
    let ttl = issuer.refresh_ttl_secs;
    let (sid, refresh) = conn
        .transaction::<_, DomainError, _>(async move |conn| {
            if let Some(keys) = throttle {
                login_throttle::succeeded(conn, keys).await?;
            }
            let sid = sign_in::create(conn, user_id, method).await?;
            let refresh = refresh_token::issue(conn, user_id, sid, ttl).await?;
            audit::record(
                conn,
                &AuditActor::user(user_id, role, meta),
                AuditEvent::new("login", "session", sid).details(details),
            )
            .await?;
            Ok((sid, refresh))
        })
        .await?;
    issuer.tokens(user_id, role, sid, refresh)
}
