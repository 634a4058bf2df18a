//! `POST /api/v1/auth/oidc/token`: sign in with a token from the trust's
//! identity provider, for a peerlog session.
//!
//! The web app runs the authorisation-code flow with PKCE against the
//! provider itself (a public client: no secret anywhere) and sends the
//! token it got here. peerlog answers its own access and refresh tokens,
//! tied to a sign-in, so logout ends the session at once and a shared
//! tablet can switch user as with a password. (A provider token may also be
//! sent straight to the API as a bearer token; it then lives as long as the
//! provider made it.)

use actix_web::{post, web, HttpResponse};
use serde::Deserialize;
use utoipa::ToSchema;

use super::{issuer, no_store, TokenResponse};
use crate::auth::RequestMeta;
use crate::domain::sessions;
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::Json;
use crate::state::AppState;

/// A token the trust's identity provider issued.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OidcTokenRequest {
    /// The provider's ID token or access token (a JWT whose `aud` is one of
    /// `PEERLOG_OIDC_AUDIENCE`).
    #[schema(min_length = 1, max_length = 16384)]
    pub token: String,
}

/// Exchanges a provider token for peerlog tokens. 401 `invalid_token` for
/// a token that is not valid, `account_not_linked` when no peerlog account
/// is linked to the person (an admin links it by `external_id`, or turns on
/// auto-provisioning), `account_inactive` when the account is disabled or
/// waiting for an admin to complete it. 404 when no provider is configured.
#[utoipa::path(
    tag = "auth",
    request_body = OidcTokenRequest,
    responses(
        (status = 200, description = "Signed in", body = TokenResponse),
        (status = 401, description = "Token not valid, or the person has no usable account", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No identity provider is configured", body = Problem, content_type = "application/problem+json"),
    ),
    security(())
)]
#[post("/auth/oidc/token")]
pub async fn oidc_token(
    state: web::Data<AppState>,
    meta: RequestMeta,
    body: Json<OidcTokenRequest>,
) -> ApiResult<HttpResponse> {
    let provider = state.oidc.as_deref().ok_or(ApiError::NotFound)?;
    let mut conn = crate::db::conn(&state.pool).await?;
    let tokens =
        sessions::oidc::sign_in(&mut conn, issuer(&state), provider, &body.token, &meta).await?;
    Ok(no_store(tokens.into()))
}
