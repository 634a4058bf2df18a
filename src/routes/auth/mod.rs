//! `/api/v1/auth`: sign in (password, or a token from the trust's identity
//! provider), refresh, sign out. The rules, throttles and transactions are
//! [`crate::domain::sessions`]'s; these handlers extract and answer.

pub mod logout;
pub mod oidc;
pub mod refresh;
pub mod tablet;
pub mod token;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::sessions;
use crate::state::AppState;

/// Tokens answered by sign-in and refresh.
#[derive(Debug, Serialize, ToSchema)]
pub struct TokenResponse {
    /// A JWT to send as `Authorization: Bearer <access_token>`.
    pub access_token: String,
    /// Always `Bearer`.
    #[schema(example = "Bearer")]
    pub token_type: &'static str,
    /// Seconds until the access token expires.
    #[schema(example = 900)]
    pub expires_in: i64,
    /// Single-use token for `POST /api/v1/auth/refresh`.
    pub refresh_token: String,
    /// After a password sign-in: this device's token for this username, to
    /// send as `device_token` with the next sign-in here (browsers get it
    /// as the `peerlog_device` cookie too).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub device_token: Option<String>,
}

/// A refresh token to rotate or revoke.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefreshRequest {
    pub refresh_token: String,
}

impl From<sessions::Tokens> for TokenResponse {
    fn from(tokens: sessions::Tokens) -> Self {
        TokenResponse {
            access_token: tokens.access_token,
            token_type: "Bearer",
            expires_in: tokens.expires_in,
            refresh_token: tokens.refresh_token,
            device_token: None,
        }
    }
}

/// What signs the tokens of a session, as configured.
fn issuer(state: &AppState) -> sessions::Issuer<'_> {
    sessions::Issuer {
        keys: &state.keys,
        refresh_ttl_secs: state.config.refresh_token_ttl_secs,
    }
}

/// A response that must not be cached anywhere (it carries credentials).
pub(crate) fn no_store(body: TokenResponse) -> actix_web::HttpResponse {
    actix_web::HttpResponse::Ok()
        .insert_header((actix_web::http::header::CACHE_CONTROL, "no-store"))
        .json(body)
}
