//! `GET /api/v1/app-config`: what the web app needs to know before anyone
//! signs in (the idle lock of a shared ward tablet). Public: it holds no
//! secret and nothing about any person.

use actix_web::{get, web, HttpResponse};
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::ApiResult;
use crate::state::AppState;

/// Settings the web app reads at start.
#[derive(Debug, Serialize, ToSchema)]
pub struct AppConfig {
    /// Seconds without a touch before the tablet app locks its screen
    /// (`PEERLOG_IDLE_LOCK_SECS`, default 600).
    #[schema(example = 600)]
    pub idle_lock_seconds: i64,
}

/// The web app's settings (no sign-in needed).
#[utoipa::path(
    tag = "health",
    security(()),
    responses((status = 200, description = "The settings", body = AppConfig))
)]
#[get("/app-config")]
pub async fn app_config(state: web::Data<AppState>) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok()
        .insert_header(("cache-control", "no-cache"))
        .json(AppConfig {
            idle_lock_seconds: state.config.idle_lock_secs,
        }))
}
