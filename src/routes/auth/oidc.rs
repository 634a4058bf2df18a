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
use diesel_async::AsyncConnection;
use serde::Deserialize;
use utoipa::ToSchema;

use super::{no_store, TokenResponse};
use crate::audit::{self, AuditActor, AuditEvent};
use crate::auth::{linked_account, RequestMeta};
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::Json;
use crate::models::{refresh_token, sign_in};
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
    let oidc = state.oidc.clone().ok_or(ApiError::NotFound)?;
    if body.token.len() > 16384 {
        return Err(ApiError::Unauthorized("invalid_token"));
    }
    let person = oidc.verify(&body.token).await.map_err(|e| {
        log::debug!("provider token refused: {e}");
        ApiError::Unauthorized("invalid_token")
    })?;
    let mut conn = crate::db::conn(&state.pool).await?;
    let account = linked_account(&mut conn, &state, &person).await?;
    let (user_id, role) = (account.id, account.role);
    let refresh_ttl = state.config.refresh_token_ttl_secs;
    let (sid, refresh) = conn
        .transaction::<_, ApiError, _>(async move |conn| {
            let sid = sign_in::create(conn, user_id, sign_in::Method::Oidc).await?;
            let refresh = refresh_token::issue(conn, user_id, sid, refresh_ttl).await?;
            audit::record(
                conn,
                &AuditActor::user(user_id, role, &meta),
                AuditEvent::new("login", "session", sid)
                    .details(serde_json::json!({ "method": "oidc" })),
            )
            .await?;
            Ok((sid, refresh))
        })
        .await?;
    Ok(no_store(TokenResponse {
        access_token: state
            .keys
            .issue(user_id, role, sid)
            .map_err(ApiError::internal)?,
        token_type: "Bearer",
        expires_in: state.keys.ttl_secs,
        refresh_token: refresh,
        device_token: None,
    }))
}
