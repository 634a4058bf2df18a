//! The Backend Services token request (SMART App Launch 2, RFC 7523): a
//! `client_credentials` grant authenticated by a `private_key_jwt` client
//! assertion. Checked in this order, each refusal an OAuth error:
//!
//! 1. the form: `grant_type=client_credentials` (else
//!    `unsupported_grant_type`), the jwt-bearer `client_assertion_type`
//!    and an assertion (else `invalid_request`);
//! 2. the client its `iss` names, registered and active; the assertion
//!    verified by one of the client's keys, for this endpoint, unexpired
//!    and short-lived (else `invalid_client`);
//! 3. every scope asked for covered by the client's registration (else
//!    `invalid_scope`);
//! 4. the `jti` never used before by this client (else `invalid_grant`):
//!    recorded in the same transaction as the audit row, so two requests
//!    racing with one assertion cannot both win.

use chrono::{TimeZone, Utc};
use diesel_async::{AsyncConnection, AsyncPgConnection};
use uuid::Uuid;

use crate::access::RequestMeta;
use crate::audit::{self, AuditActor, AuditEvent};
use crate::domain::DomainError;
use crate::identity::client_assertion::{self, AssertionError};
use crate::models::integration_client;
use crate::smart_scope::SmartScopes;

/// `client_assertion_type` of a JWT client assertion (RFC 7523).
pub const JWT_BEARER: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/// The form fields of a token request.
#[derive(Debug, Default, serde::Deserialize)]
pub struct TokenRequest {
    pub grant_type: Option<String>,
    pub client_assertion_type: Option<String>,
    pub client_assertion: Option<String>,
    pub scope: Option<String>,
}

/// What was granted: to whom, and which scopes.
#[derive(Debug)]
pub struct Granted {
    pub client: Uuid,
    pub client_id: String,
    pub scope: String,
}

/// Why no token: the OAuth 2.0 error (RFC 6749 §5.2) and its description.
#[derive(Debug)]
pub enum Refusal {
    InvalidRequest(String),
    UnsupportedGrantType,
    InvalidClient(String),
    InvalidGrant(String),
    InvalidScope(String),
    /// Not the client's fault (the database); logged.
    Internal(DomainError),
}

impl From<diesel::result::Error> for Refusal {
    fn from(e: diesel::result::Error) -> Self {
        Refusal::Internal(e.into())
    }
}

impl From<AssertionError> for Refusal {
    fn from(e: AssertionError) -> Self {
        Refusal::InvalidClient(e.to_string())
    }
}

impl Refusal {
    /// The OAuth `error` code.
    pub fn code(&self) -> &'static str {
        match self {
            Refusal::InvalidRequest(_) => "invalid_request",
            Refusal::UnsupportedGrantType => "unsupported_grant_type",
            Refusal::InvalidClient(_) => "invalid_client",
            Refusal::InvalidGrant(_) => "invalid_grant",
            Refusal::InvalidScope(_) => "invalid_scope",
            Refusal::Internal(_) => "server_error",
        }
    }

    /// The OAuth `error_description`.
    pub fn description(&self) -> String {
        match self {
            Refusal::InvalidRequest(d)
            | Refusal::InvalidClient(d)
            | Refusal::InvalidGrant(d)
            | Refusal::InvalidScope(d) => d.clone(),
            Refusal::UnsupportedGrantType => "grant_type must be client_credentials".into(),
            Refusal::Internal(_) => "the server could not answer; try again".into(),
        }
    }
}

/// Checks a token request addressed to `token_url` (the assertion's
/// required `aud`) and records its `jti`. Refusals after the client is
/// known are audited against the client's account.
pub async fn grant(
    conn: &mut AsyncPgConnection,
    request: &TokenRequest,
    token_url: &str,
    meta: &RequestMeta,
) -> Result<Granted, Refusal> {
    if request.grant_type.as_deref() != Some("client_credentials") {
        return Err(match request.grant_type {
            None => Refusal::InvalidRequest("grant_type is required".into()),
            Some(_) => Refusal::UnsupportedGrantType,
        });
    }
    if request.client_assertion_type.as_deref() != Some(JWT_BEARER) {
        return Err(Refusal::InvalidRequest(format!(
            "client_assertion_type must be {JWT_BEARER}"
        )));
    }
    let assertion = request
        .client_assertion
        .as_deref()
        .filter(|a| !a.is_empty() && a.len() <= 16 * 1024)
        .ok_or_else(|| Refusal::InvalidRequest("client_assertion is required".into()))?;
    let client_id = client_assertion::claimed_issuer(assertion)?;
    let client = integration_client::by_client_id(conn, &client_id)
        .await?
        .filter(|c| c.active)
        .ok_or_else(|| Refusal::InvalidClient("no active client with this id".into()))?;
    let audit_actor = AuditActor::user(client.user_id, crate::access::Role::Integration, meta);
    let outcome = check(&client, assertion, request, token_url).await;
    let (scope, jti, exp) = match outcome {
        Ok(accepted) => accepted,
        Err(refusal) => {
            let event = AuditEvent::new("token_refused", "integration_client", client.id).details(
                serde_json::json!({ "error": refusal.code(), "why": refusal.description() }),
            );
            audit::record(conn, &audit_actor, event).await?;
            return Err(refusal);
        }
    };
    let expires_at = Utc
        .timestamp_opt(exp, 0)
        .single()
        .ok_or_else(|| Refusal::InvalidClient("exp out of range".into()))?;
    let id = client.id;
    let scope_text = scope.to_param();
    let details = serde_json::json!({ "scope": scope_text, "jti": jti });
    let fresh = conn
        .transaction::<_, Refusal, _>(async move |conn| {
            if !integration_client::use_jti(conn, id, &jti, expires_at).await? {
                return Ok(false);
            }
            let event = AuditEvent::new("token", "integration_client", id).details(details);
            audit::record(conn, &audit_actor, event).await?;
            Ok(true)
        })
        .await?;
    if !fresh {
        return Err(Refusal::InvalidGrant(
            "this client_assertion (jti) was used before".into(),
        ));
    }
    Ok(Granted {
        client: client.id,
        client_id: client.client_id,
        scope: scope_text,
    })
}

/// The checks that need the client: keys, assertion, scopes.
async fn check(
    client: &integration_client::ClientRow,
    assertion: &str,
    request: &TokenRequest,
    token_url: &str,
) -> Result<(SmartScopes, String, i64), Refusal> {
    let keys = match (&client.jwks, &client.jwks_url) {
        (Some(set), _) => client_assertion::parse_jwks(set).map_err(Refusal::InvalidClient)?,
        (None, Some(url)) => client_assertion::fetch_jwks(url).await.map_err(|e| {
            log::warn!("client {}: JWKS URL: {e}", client.client_id);
            Refusal::InvalidClient(format!("the client's JWKS could not be read: {e}"))
        })?,
        (None, None) => return Err(Refusal::InvalidClient("the client has no keys".into())),
    };
    let now = Utc::now().timestamp();
    let accepted = client_assertion::verify(assertion, &keys, &client.client_id, token_url, now)?;
    let asked = request
        .scope
        .as_deref()
        .filter(|s| !s.trim().is_empty())
        .ok_or_else(|| Refusal::InvalidScope("scope is required".into()))?;
    let asked = SmartScopes::parse_list(asked).map_err(|e| Refusal::InvalidScope(e.to_string()))?;
    let registered = SmartScopes(
        client
            .scopes
            .iter()
            .filter_map(|s| crate::smart_scope::SmartScope::parse(s).ok())
            .collect(),
    );
    if let Some(beyond) = asked.0.iter().find(|s| !registered.covers(s)) {
        return Err(Refusal::InvalidScope(format!(
            "{} is not granted to this client",
            beyond.as_str()
        )));
    }
    Ok((asked, accepted.jti, accepted.exp))
}
