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
        None => as_reached(req, state.config.hsts),
    }
}

/// The server as the caller reached it: the caller's own `Host` header
/// (never a forwarded header, which anyone may send, so no one else can
/// rewrite the links a client follows), `https` when peerlog is served
/// behind TLS (`PEERLOG_HSTS`).
pub fn as_reached(req: &HttpRequest, tls: bool) -> String {
    let host = req
        .headers()
        .get(actix_web::http::header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| !h.is_empty() && h.bytes().all(|b| b.is_ascii_graphic()))
        .unwrap_or("localhost");
    let scheme = if tls { "https" } else { "http" };
    format!("{scheme}://{host}")
}

/// The Backend Services token endpoint's path.
pub const TOKEN_PATH: &str = "/api/v1/oauth/token";

/// The token endpoint's full URL: what an assertion's `aud` must be.
pub fn token_endpoint(req: &HttpRequest, state: &AppState) -> String {
    format!("{}{TOKEN_PATH}", of(req, state))
}
