//! `POST /api/v1/auth/refresh`: trade a refresh token for new tokens.

use actix_web::{post, web, HttpResponse};
use chrono::Utc;
use diesel_async::AsyncConnection;

use super::{no_store, RefreshRequest, TokenResponse};
use crate::audit::{self, AuditActor, AuditEvent};
use crate::auth::{RequestMeta, Role};
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::Json;
use crate::models::{refresh_token, user};
use crate::state::AppState;

enum Outcome {
    Rotated {
        user_id: uuid::Uuid,
        role: Role,
        sid: uuid::Uuid,
        token: String,
    },
    Refused,
}

/// Rotates a refresh token: the old one stops working and a new pair is
/// issued. Presenting an already-rotated token revokes its whole family
/// and its sign-in: both the thief's and the owner's sessions end, access
/// tokens included, at their next request. A disabled account's tokens are
/// refused at once.
#[utoipa::path(
    tag = "auth",
    request_body = RefreshRequest,
    responses(
        (status = 200, description = "New tokens", body = TokenResponse),
        (status = 401, description = "Unknown, expired, revoked or reused refresh token", body = Problem, content_type = "application/problem+json"),
    ),
    security(())
)]
#[post("/auth/refresh")]
pub async fn refresh(
    state: web::Data<AppState>,
    meta: RequestMeta,
    body: Json<RefreshRequest>,
) -> ApiResult<HttpResponse> {
    let presented = body.0.refresh_token;
    let ttl = state.config.refresh_token_ttl_secs;
    let mut conn = crate::db::conn(&state.pool).await?;
    let outcome = conn
        .transaction::<_, ApiError, _>(async move |conn| {
            let Some(stored) = refresh_token::find_for_update(conn, &presented).await? else {
                return Ok(Outcome::Refused);
            };
            if stored.revoked_at.is_some() || stored.rotated_at.is_some() {
                refresh_token::revoke_family(conn, stored.family_id).await?;
                audit::record(
                    conn,
                    &AuditActor::anonymous(&meta),
                    AuditEvent::new("refresh_token_reused", "session", stored.family_id)
                        .details(serde_json::json!({ "user_id": stored.user_id })),
                )
                .await?;
                return Ok(Outcome::Refused);
            }
            if stored.expires_at <= Utc::now() {
                return Ok(Outcome::Refused);
            }
            let account = user::find(conn, stored.user_id).await?.filter(|u| u.active);
            let Some(account) = account else {
                refresh_token::revoke_family(conn, stored.family_id).await?;
                return Ok(Outcome::Refused);
            };
            refresh_token::mark_rotated(conn, stored.id).await?;
            let token = refresh_token::issue(conn, account.id, stored.family_id, ttl).await?;
            audit::record(
                conn,
                &AuditActor::user(account.id, account.role, &meta),
                AuditEvent::new("token_refreshed", "session", stored.family_id),
            )
            .await?;
            Ok(Outcome::Rotated {
                user_id: account.id,
                role: account.role,
                sid: stored.family_id,
                token,
            })
        })
        .await?;
    match outcome {
        Outcome::Refused => Err(ApiError::Unauthorized("invalid_refresh_token")),
        Outcome::Rotated {
            user_id,
            role,
            sid,
            token,
        } => Ok(no_store(TokenResponse {
            access_token: state
                .keys
                .issue(user_id, role, sid)
                .map_err(ApiError::internal)?,
            token_type: "Bearer",
            expires_in: state.keys.ttl_secs,
            refresh_token: token,
            device_token: None,
        })),
    }
}
