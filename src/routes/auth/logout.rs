//! `POST /api/v1/auth/logout`: end a session.

use actix_web::{post, web, HttpResponse};
use diesel_async::AsyncConnection;

use super::RefreshRequest;
use crate::audit::{self, AuditActor, AuditEvent};
use crate::auth::RequestMeta;
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::Json;
use crate::models::refresh_token;
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
    let presented = body.0.refresh_token;
    let mut conn = crate::db::conn(&state.pool).await?;
    conn.transaction::<_, ApiError, _>(async move |conn| {
        if let Some(stored) = refresh_token::find_for_update(conn, &presented).await? {
            refresh_token::revoke_family(conn, stored.family_id).await?;
            let mut actor = AuditActor::anonymous(&meta);
            actor.actor_id = Some(stored.user_id);
            audit::record(
                conn,
                &actor,
                AuditEvent::new("logout", "session", stored.family_id),
            )
            .await?;
        }
        Ok(())
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
