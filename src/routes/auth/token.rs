//! `POST /api/v1/auth/token`: sign in with username and password.

use actix_web::cookie::{Cookie, SameSite};
use actix_web::{post, web, HttpRequest, HttpResponse};
use diesel_async::AsyncConnection;
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::{no_store, TokenResponse};
use crate::audit::{self, AuditActor, AuditEvent};
use crate::auth::{RequestMeta, Role};
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::Json;
use crate::identity::{device, password};
use crate::models::login_throttle::{self, Attempt};
use crate::models::{refresh_token, sign_in, user};
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
/// from elsewhere never locks it out. A success answers a new device token
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
    if body.device_token.as_ref().is_some_and(|t| t.len() > 2048) {
        return Err(ApiError::field(
            "device_token",
            "too_long",
            "at most 2048 characters",
        ));
    }
    let username = body.username.trim().to_ascii_lowercase();
    let password = body.password.clone();
    let invalid = || ApiError::Unauthorized("invalid_credentials");
    if username.is_empty() || username.len() > 64 || password.is_empty() || password.len() > 1024 {
        return Err(invalid());
    }
    let config = state.config.clone();
    let mut conn = crate::db::conn(&state.pool).await?;

    // Which throttles this attempt counts against: its own device token's,
    // or the (username, client) pair's and the address's.
    let cookie = req.cookie(device::COOKIE);
    let presented = body
        .device_token
        .iter()
        .map(String::as_str)
        .chain(cookie.iter().flat_map(|c| c.value().split('~')))
        .filter(|t| t.len() <= 2048)
        .take(device::COOKIE_MAX_TOKENS + 1);
    let known_device = state.devices.find(&username, presented);
    let keys = login_throttle::Keys::new(&username, meta.client_ip.as_deref(), known_device);

    // Counted before the (slow) password check, atomically, so parallel
    // guesses cannot slip past the limit; a success takes its count back.
    login_throttle::expire(&mut conn).await?;
    let window = config.login_lock_secs;
    let mut verdict =
        login_throttle::count_attempt(&mut conn, &keys.client, config.login_max_failures, window)
            .await?;
    if let (Attempt::Allowed, Some(address)) = (verdict, &keys.address) {
        verdict = login_throttle::count_attempt(
            &mut conn,
            address,
            config.login_max_failures_per_address,
            window,
        )
        .await?;
    }
    if let Attempt::Blocked(until) = verdict {
        let retry_after_secs = (until - chrono::Utc::now()).num_seconds().max(1);
        return Err(ApiError::TooManyRequests { retry_after_secs });
    }

    let account = user::credentials(&mut conn, &username).await?;
    let stored_hash = account.as_ref().map(|(_, _, _, hash)| hash.clone());
    let password_ok = web::block(move || match stored_hash {
        // Accounts that sign in only through the identity provider have no
        // usable hash: spend the same time as for a wrong password.
        Some(hash) if hash.starts_with("$argon2") => password::verify(&password, &hash),
        _ => {
            password::verify_against_dummy(&password);
            false
        }
    })
    .await?;

    let signed_in: Option<(Uuid, Role)> = match account {
        Some((id, role, true, _)) if password_ok => Some((id, role)),
        _ => None,
    };

    let Some((user_id, role)) = signed_in else {
        let known_id = account.map(|(id, ..)| id);
        let mut event = AuditEvent::new("login_failed", "session", "");
        event.entity_id = known_id.map(|id| id.to_string());
        audit::record(&mut conn, &AuditActor::anonymous(&meta), event).await?;
        return Err(invalid());
    };

    let refresh_ttl = config.refresh_token_ttl_secs;
    let (sid, refresh) = conn
        .transaction::<_, ApiError, _>(async move |conn| {
            login_throttle::succeeded(conn, &keys).await?;
            let sid = sign_in::create(conn, user_id, sign_in::Method::Password).await?;
            let refresh = refresh_token::issue(conn, user_id, sid, refresh_ttl).await?;
            audit::record(
                conn,
                &AuditActor::user(user_id, role, &meta),
                AuditEvent::new("login", "session", sid),
            )
            .await?;
            Ok((sid, refresh))
        })
        .await?;
    let access_token = state
        .keys
        .issue(user_id, role, sid)
        .map_err(ApiError::internal)?;
    let device_token = state.devices.issue(&username).map_err(ApiError::internal)?;
    let cookie_value =
        state
            .devices
            .cookie_value(&username, &device_token, cookie.as_ref().map(|c| c.value()));
    let mut res = no_store(TokenResponse {
        access_token,
        token_type: "Bearer",
        expires_in: state.keys.ttl_secs,
        refresh_token: refresh,
        device_token: Some(device_token),
    });
    let cookie = Cookie::build(device::COOKIE, cookie_value)
        .path("/api/v1/auth")
        .http_only(true)
        .secure(true)
        .same_site(SameSite::Strict)
        .max_age(actix_web::cookie::time::Duration::days(device::TTL_DAYS))
        .finish();
    res.add_cookie(&cookie).map_err(ApiError::internal)?;
    Ok(res)
}
