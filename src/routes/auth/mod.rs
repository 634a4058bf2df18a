//! `/api/v1/auth`: sign in (password, or a token from the trust's identity
//! provider), refresh, sign out.

pub mod logout;
pub mod oidc;
pub mod refresh;
pub mod token;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

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

/// A response that must not be cached anywhere (it carries credentials).
pub(crate) fn no_store(body: TokenResponse) -> actix_web::HttpResponse {
    actix_web::HttpResponse::Ok()
        .insert_header((actix_web::http::header::CACHE_CONTROL, "no-store"))
        .json(body)
}
