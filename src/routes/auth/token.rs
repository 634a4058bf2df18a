//! `POST /api/v1/auth/token`: sign in with username and password.

use actix_web::{post, web, HttpResponse};
use diesel_async::AsyncConnection;
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::{no_store, TokenResponse};
use crate::audit::{self, AuditActor, AuditEvent};
use crate::auth::{password, RequestMeta, Role};
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::Json;
use crate::models::{login_throttle, refresh_token, user};
use crate::state::AppState;

/// Credentials for signing in.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenRequest {
    #[schema(example = "psw", min_length = 1, max_length = 64)]
    pub username: String,
    #[schema(example = "peerlog-demo", min_length = 1, max_length = 256, format = Password)]
    pub password: String,
}

/// Signs in. Wrong password, unknown username and disabled account all
/// answer the same 401, in about the same time. Too many failures for one
/// username lock it for a while (429 with `Retry-After`).
#[utoipa::path(
    tag = "auth",
    request_body = TokenRequest,
    responses(
        (status = 200, description = "Signed in", body = TokenResponse),
        (status = 401, description = "Wrong username or password", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many failed attempts for this username", body = Problem, content_type = "application/problem+json"),
    ),
    security(())
)]
#[post("/auth/token")]
pub async fn token(
    state: web::Data<AppState>,
    meta: RequestMeta,
    body: Json<TokenRequest>,
) -> ApiResult<HttpResponse> {
    let username = body.username.trim().to_ascii_lowercase();
    let password = body.password.clone();
    let invalid = || ApiError::Unauthorized("invalid_credentials");
    if username.is_empty() || username.len() > 64 || password.is_empty() || password.len() > 1024 {
        return Err(invalid());
    }
    let config = state.config.clone();
    let mut conn = crate::db::conn(&state.pool).await?;

    // Counted before the (slow) password check, atomically, so parallel
    // guesses cannot slip past the limit; a success clears the count.
    let attempt = login_throttle::count_attempt(
        &mut conn,
        &username,
        config.login_max_failures,
        config.login_lock_secs,
    )
    .await?;
    if let login_throttle::Attempt::Locked(until) = attempt {
        let retry_after_secs = (until - chrono::Utc::now()).num_seconds().max(1);
        return Err(ApiError::TooManyRequests { retry_after_secs });
    }

    let account = user::credentials(&mut conn, &username).await?;
    let stored_hash = account.as_ref().map(|(_, _, _, hash)| hash.clone());
    let password_ok = web::block(move || match stored_hash {
        Some(hash) => password::verify(&password, &hash),
        None => {
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
    let refresh = conn
        .transaction::<_, ApiError, _>(async move |conn| {
            login_throttle::clear(conn, &username).await?;
            let family = Uuid::now_v7();
            let refresh = refresh_token::issue(conn, user_id, family, refresh_ttl).await?;
            audit::record(
                conn,
                &AuditActor::user(user_id, role, &meta),
                AuditEvent::new("login", "session", family),
            )
            .await?;
            Ok(refresh)
        })
        .await?;
    let access_token = state
        .keys
        .issue(user_id, role)
        .map_err(ApiError::internal)?;
    Ok(no_store(TokenResponse {
        access_token,
        token_type: "Bearer",
        expires_in: state.keys.ttl_secs,
        refresh_token: refresh,
    }))
}
