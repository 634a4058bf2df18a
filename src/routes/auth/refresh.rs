//! `POST /api/v1/auth/refresh`: trade a refresh token for new tokens.

use actix_web::{post, web, HttpResponse};

use super::{issuer, no_store, RefreshRequest, TokenResponse};
use crate::auth::RequestMeta;
use crate::domain::sessions;
use crate::error::{ApiResult, Problem};
use crate::extract::Json;
use crate::state::AppState;

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
    let mut conn = crate::db::conn(&state.pool).await?;
    let tokens =
        sessions::refresh::rotate(&mut conn, issuer(&state), &body.refresh_token, &meta).await?;
    Ok(no_store(tokens.into()))
}
