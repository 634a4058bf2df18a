//! `GET /api/v1/app-config`: what the web app needs to know before anyone
//! signs in (the idle lock of a shared ward tablet, which ways to sign in
//! are offered). Public: it holds no secret and nothing about any person.

use actix_web::{get, web, HttpResponse};
use serde::Serialize;
use utoipa::ToSchema;

use crate::config::PersonDisambiguator;
use crate::error::ApiResult;
use crate::state::AppState;

/// Settings the web app reads at start.
#[derive(Debug, Serialize, ToSchema)]
pub struct AppConfig {
    /// Seconds without a touch before the tablet app locks its screen
    /// (`PEERLOG_IDLE_LOCK_SECS`, default 600).
    #[schema(example = 600)]
    pub idle_lock_seconds: i64,
    /// Whether username-and-password sign-in is offered
    /// (`PEERLOG_LOCAL_LOGIN`).
    pub local_login: bool,
    /// "Sign in with your NHS account": the trust's OpenID Connect
    /// provider, or null when none is configured (or it cannot be reached
    /// just now).
    pub oidc: Option<OidcClientConfig>,
    /// What the tablet shows after the initials of two people on one ward
    /// who share them (`PEERLOG_PERSON_DISAMBIGUATOR`): the last characters
    /// of the trust's reference, or the bed or bay the trust sends.
    pub person_disambiguator: PersonDisambiguator,
}

/// What the web app needs to run the authorisation-code flow with PKCE
/// against the trust's provider as a public client, then exchange the
/// token it gets at `POST /api/v1/auth/oidc/token`.
#[derive(Debug, Serialize, ToSchema)]
pub struct OidcClientConfig {
    #[schema(
        example = "https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/v2.0"
    )]
    pub issuer: String,
    /// Where to send the browser to sign in.
    #[schema(
        example = "https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/oauth2/v2.0/authorize"
    )]
    pub authorization_endpoint: String,
    /// Where to trade the code (with the PKCE verifier) for tokens.
    #[schema(
        example = "https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/oauth2/v2.0/token"
    )]
    pub token_endpoint: String,
    /// Where to send the browser to sign out at the provider, when it has one.
    pub end_session_endpoint: Option<String>,
    /// The web app's client id at the provider (`PEERLOG_OIDC_CLIENT_ID`).
    #[schema(example = "peerlog-web")]
    pub client_id: String,
    /// Space-separated scopes to ask for (`PEERLOG_OIDC_SCOPES`).
    #[schema(example = "openid profile")]
    pub scopes: String,
}

/// The web app's settings (no sign-in needed).
#[utoipa::path(
    tag = "health",
    security(()),
    responses((status = 200, description = "The settings", body = AppConfig))
)]
#[get("/app-config")]
pub async fn app_config(state: web::Data<AppState>) -> ApiResult<HttpResponse> {
    let oidc = match &state.oidc {
        Some(verifier) => {
            let settings = verifier.settings();
            let client_id = settings
                .client_id
                .clone()
                .or_else(|| settings.audiences.first().cloned());
            match (verifier.endpoints().await, client_id) {
                (Some(e), Some(client_id)) => Some(OidcClientConfig {
                    issuer: e.issuer,
                    authorization_endpoint: e.authorization_endpoint,
                    token_endpoint: e.token_endpoint,
                    end_session_endpoint: e.end_session_endpoint,
                    client_id,
                    scopes: settings.scopes.clone(),
                }),
                _ => None,
            }
        }
        None => None,
    };
    Ok(HttpResponse::Ok()
        .insert_header(("cache-control", "no-cache"))
        .json(AppConfig {
            idle_lock_seconds: state.config.idle_lock_secs,
            local_login: state.config.local_login,
            oidc,
            person_disambiguator: state.config.person_disambiguator,
        }))
}
