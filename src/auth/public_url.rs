//! The address trust systems reach peerlog at: `PEERLOG_PUBLIC_URL` when
//! set, else the request's own scheme and host. Backend Services
//! assertions must name the token endpoint under it (`aud`), and Bulk
//! Data manifests link their files under it. Behind a load balancer set
//! the variable: a `Host` header is the client's to choose.

use actix_web::HttpRequest;

use crate::state::AppState;

/// The base URL, without a trailing slash.
pub fn of(req: &HttpRequest, state: &AppState) -> String {
    match &state.config.public_url {
        Some(url) => url.clone(),
        None => {
            let info = req.connection_info();
            format!("{}://{}", info.scheme(), info.host())
        }
    }
}

/// The Backend Services token endpoint's path.
pub const TOKEN_PATH: &str = "/api/v1/oauth/token";

/// The token endpoint's full URL: what an assertion's `aud` must be.
pub fn token_endpoint(req: &HttpRequest, state: &AppState) -> String {
    format!("{}{TOKEN_PATH}", of(req, state))
}
