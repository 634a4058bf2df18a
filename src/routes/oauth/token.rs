//! `POST /api/v1/oauth/token`: the `client_credentials` grant with a
//! `private_key_jwt` client assertion (SMART Backend Services). Answers are
//! OAuth 2.0's own JSON (RFC 6749 §5), not problem+json: that is what
//! every OAuth client library reads.

use actix_web::http::header::{CACHE_CONTROL, CONTENT_TYPE, PRAGMA};
use actix_web::http::StatusCode;
use actix_web::{post, web, HttpRequest, HttpResponse};
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::{public_url, RequestMeta};
use crate::db;
use crate::domain::integration_clients::token::{self, Refusal, TokenRequest};
use crate::identity::system_token::{SystemTokenKeys, TTL_SECS};
use crate::state::AppState;

/// A granted access token.
#[derive(Debug, Serialize, ToSchema)]
pub struct SystemTokenResponse {
    /// Send as `Authorization: Bearer …` to the FHIR API (and the REST API,
    /// as the client's `integration` account limited to its wards).
    pub access_token: String,
    #[schema(example = "bearer")]
    pub token_type: &'static str,
    /// Seconds the token lives (300).
    pub expires_in: i64,
    /// The scopes granted: exactly those asked for.
    #[schema(example = "system/Encounter.rs system/Patient.rs")]
    pub scope: String,
}

/// An OAuth 2.0 error answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct OAuthError {
    /// `invalid_request`, `unsupported_grant_type`, `invalid_client`,
    /// `invalid_grant`, `invalid_scope` or `server_error`.
    #[schema(example = "invalid_client")]
    pub error: &'static str,
    pub error_description: String,
}

/// The form a client sends.
#[derive(Debug, serde::Deserialize, ToSchema)]
#[allow(dead_code)]
pub struct TokenForm {
    /// `client_credentials`
    #[schema(pattern = "^client_credentials$")]
    grant_type: String,
    /// `urn:ietf:params:oauth:client-assertion-type:jwt-bearer`
    #[schema(pattern = "^urn:ietf:params:oauth:client-assertion-type:jwt-bearer$")]
    client_assertion_type: String,
    /// A JWT signed with one of the client's registered keys (RS384,
    /// ES384, RS256 or ES256; `kid` in the header): `iss` and `sub` the
    /// client id, `aud` this endpoint's URL, `exp` at most five minutes
    /// ahead, a `jti` never used before.
    #[schema(min_length = 1)]
    client_assertion: String,
    /// Space-separated SMART scopes, each covered by the client's registration.
    #[schema(example = "system/*.rs")]
    scope: String,
}

/// Issues an access token to an integration client (SMART Backend
/// Services). Every refusal is an OAuth error: a malformed, expired,
/// mis-addressed or wrongly signed assertion, or one by a key not
/// registered, is `invalid_client` (401); a replayed assertion (`jti`
/// used before) is `invalid_grant`; a scope not granted to the client is
/// `invalid_scope`.
#[utoipa::path(
    tag = "integration-clients",
    request_body(content = TokenForm, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 200, description = "The access token", body = SystemTokenResponse),
        (status = 400, description = "`invalid_request`, `unsupported_grant_type`, `invalid_grant` or `invalid_scope`", body = OAuthError),
        (status = 401, description = "`invalid_client`", body = OAuthError),
        (status = 503, description = "`server_error`", body = OAuthError),
    )
)]
#[post("/oauth/token")]
pub async fn system_token(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Bytes,
) -> HttpResponse {
    let form_type = req
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    let request = match serde_urlencoded::from_bytes::<TokenRequest>(&body) {
        Ok(r) if form_type => r,
        _ => {
            return refused(Refusal::InvalidRequest(
                "send an application/x-www-form-urlencoded form".into(),
            ))
        }
    };
    let mut conn = match db::conn(&state.pool).await {
        Ok(c) => c,
        Err(_) => {
            return refused(Refusal::Internal(crate::domain::DomainError::internal(
                "no connection",
            )))
        }
    };
    let audience = public_url::token_endpoint(&req, &state);
    match token::grant(&mut conn, &request, &audience, &RequestMeta::of(&req)).await {
        Ok(granted) => match SystemTokenKeys::new(state.config.token_settings()).issue(
            granted.client,
            &granted.client_id,
            &granted.scope,
        ) {
            Ok(access_token) => no_store(StatusCode::OK).json(SystemTokenResponse {
                access_token,
                token_type: "bearer",
                expires_in: TTL_SECS,
                scope: granted.scope,
            }),
            Err(e) => refused(Refusal::Internal(crate::domain::DomainError::internal(e))),
        },
        Err(refusal) => refused(refusal),
    }
}

/// An answer that no cache keeps (RFC 6749 §5.1).
fn no_store(status: StatusCode) -> actix_web::HttpResponseBuilder {
    let mut res = HttpResponse::build(status);
    res.insert_header((CACHE_CONTROL, "no-store"))
        .insert_header((PRAGMA, "no-cache"));
    res
}

/// The OAuth error answer for a refusal.
fn refused(refusal: Refusal) -> HttpResponse {
    let status = match &refusal {
        Refusal::InvalidClient(_) => StatusCode::UNAUTHORIZED,
        Refusal::Internal(e) => {
            log::error!("token request: {e}");
            StatusCode::SERVICE_UNAVAILABLE
        }
        _ => StatusCode::BAD_REQUEST,
    };
    no_store(status).json(OAuthError {
        error: refusal.code(),
        error_description: refusal.description(),
    })
}
