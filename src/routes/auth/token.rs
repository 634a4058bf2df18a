//! `POST /api/v1/auth/token`: sign in with username and password.

use actix_web::cookie::{Cookie, SameSite};
use actix_web::{post, web, HttpRequest, HttpResponse};
use serde::Deserialize;
use utoipa::ToSchema;

use super::{issuer, no_store, TokenResponse};
use crate::auth::RequestMeta;
use crate::config::Config;
use crate::domain::sessions::{self, token::PasswordSignIn};
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::Json;
use crate::identity::device;
use crate::state::AppState;

/// Credentials for signing in.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenRequest {
    #[schema(example = "psw", min_length = 1, max_length = 64)]
    pub username: String,
    #[schema(example = "peerlog-demo", min_length = 1, max_length = 256, format = Password)]
    pub password: String,
    /// The `device_token` an earlier sign-in as this username on this
    /// device answered. A device presenting one is throttled on its own, so
    /// guessing elsewhere cannot lock it out. Browsers need not send it:
    /// the `peerlog_device` cookie carries the same.
    #[schema(max_length = 2048)]
    #[serde(default)]
    pub device_token: Option<String>,
}

/// Signs in. Wrong password, unknown username and disabled account all
/// answer the same 401, in about the same time. Failures are throttled per
/// (username, client address) and per client address, with growing delays
/// (429 with `Retry-After`); a device that signed in as this username
/// before (its device token or cookie) is throttled on its own, so guessing
/// from elsewhere never locks it out; on a tablet an admin enrolled (its
/// `peerlog_tablet` cookie, see `/api/v1/tablets`) each person is throttled
/// on their own, never by the address, even at their first sign-in there.
/// A success answers a new device token
/// and sets it in the `peerlog_device` cookie. 404 when password sign-in is
/// switched off (`PEERLOG_LOCAL_LOGIN=false`).
#[utoipa::path(
    tag = "auth",
    request_body = TokenRequest,
    responses(
        (status = 200, description = "Signed in", body = TokenResponse),
        (status = 401, description = "Wrong username or password", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Password sign-in is switched off", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many failed attempts from this client; wait `Retry-After` seconds", body = Problem, content_type = "application/problem+json"),
    ),
    security(())
)]
#[post("/auth/token")]
pub async fn token(
    state: web::Data<AppState>,
    req: HttpRequest,
    meta: RequestMeta,
    body: Json<TokenRequest>,
) -> ApiResult<HttpResponse> {
    if !state.config.local_login {
        return Err(ApiError::NotFound);
    }
    let cookie = req.cookie(device::COOKIE);
    let tablet = req.cookie(super::tablet::COOKIE);
    let input = PasswordSignIn {
        username: &body.username,
        password: body.password.clone(),
        device_token: body.device_token.as_deref(),
        device_cookie: cookie.as_ref().map(|c| c.value()),
        tablet_secret: tablet.as_ref().map(|c| c.value()),
    };
    let (devices, limits) = (&state.devices, throttle_limits(&state.config));
    let mut conn = crate::db::conn(&state.pool).await?;
    let session =
        sessions::token::sign_in(&mut conn, issuer(&state), devices, &limits, input, &meta).await?;
    let mut res = no_store(TokenResponse {
        device_token: Some(session.device_token),
        ..session.tokens.into()
    });
    res.add_cookie(&device_cookie(session.device_cookie))
        .map_err(ApiError::internal)?;
    // An enrolled tablet in use stays enrolled: its cookie is renewed.
    if let (Some(_), Some(secret)) = (session.tablet, tablet) {
        res.add_cookie(&super::tablet::cookie(secret.value().to_string()))
            .map_err(ApiError::internal)?;
    }
    Ok(res)
}

/// The throttles' limits, as configured (`PEERLOG_LOGIN_*`).
fn throttle_limits(config: &Config) -> sessions::throttle::Limits {
    sessions::throttle::Limits {
        max_failures: config.login_max_failures,
        max_failures_per_address: config.login_max_failures_per_address,
        window_secs: config.login_lock_secs,
    }
}

/// The `peerlog_device` cookie: for the sign-in endpoints only, never
/// readable by scripts, kept as long as a device token lives.
fn device_cookie(value: String) -> Cookie<'static> {
    Cookie::build(device::COOKIE, value)
        .path("/api/v1/auth")
        .http_only(true)
        .secure(true)
        .same_site(SameSite::Strict)
        .max_age(actix_web::cookie::time::Duration::days(device::TTL_DAYS))
        .finish()
}
