//! `POST /api/v1/auth/logout`: end a session.

use actix_web::{post, web, HttpResponse};

use super::RefreshRequest;
use crate::auth::RequestMeta;
use crate::domain::sessions;
use crate::error::{ApiResult, Problem};
use crate::extract::Json;
use crate::state::AppState;

/// Ends the sign-in the refresh token belongs to: its whole refresh family
/// is revoked and every access token issued for that sign-in is refused
/// from its next request on. Answers 204 whether or not the token was known.
#[utoipa::path(
    tag = "auth",
    request_body = RefreshRequest,
    responses(
        (status = 204, description = "Signed out"),
        (status = 422, description = "Body not of the right shape", body = Problem, content_type = "application/problem+json"),
    ),
    security(())
)]
#[post("/auth/logout")]
pub async fn logout(
    state: web::Data<AppState>,
    meta: RequestMeta,
    body: Json<RefreshRequest>,
) -> ApiResult<HttpResponse> {
    let mut conn = crate::db::conn(&state.pool).await?;
    sessions::logout::end(&mut conn, &body.refresh_token, &meta).await?;
    Ok(HttpResponse::NoContent().finish())
}
