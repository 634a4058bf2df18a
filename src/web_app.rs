//! The web app (`web/`), embedded at build time by `build.rs` and served at
//! `/`: hashed assets cached for a year as immutable, `index.html`, the
//! service worker and the manifest revalidated on every load, gzip when the
//! browser takes it, and a strict Content-Security-Policy on every answer.
//! When the app was not built, `/` answers a short page saying how.
//!
//! The app is also served at [`OIDC_CALLBACK_PATH`], where the trust's
//! identity provider sends the browser back after "Sign in with your NHS
//! account" (every other screen is a hash route under `/`).

use std::collections::HashMap;
use std::io::Write;
use std::sync::OnceLock;

use actix_web::http::header::{self, HeaderValue};
use actix_web::{web, HttpRequest, HttpResponse};

use crate::state::AppState;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/web_assets.rs"));
}

/// The web app's policy when no identity provider is configured: its own
/// origin only; no inline script or style, no framing, no plugins; the API
/// is the only place it talks to.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; \
manifest-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'self'; \
form-action 'self'; frame-ancestors 'none'";

/// Where the identity provider sends the browser back with the
/// authorisation code: the redirect URI to register at the trust's provider
/// is peerlog's own address followed by this path.
pub const OIDC_CALLBACK_PATH: &str = "/auth/callback";

/// The policy with `connect-src` widened to one more origin (the identity
/// provider's token endpoint, where the app trades the authorisation code),
/// or exactly [`CONTENT_SECURITY_POLICY`] when there is none. Nothing else
/// is relaxed: the provider's pages are reached by a top-level navigation,
/// which no directive governs.
pub fn content_security_policy(extra_connect_origin: Option<&str>) -> String {
    match extra_connect_origin {
        None => CONTENT_SECURITY_POLICY.to_string(),
        Some(origin) => CONTENT_SECURITY_POLICY.replacen(
            "connect-src 'self';",
            &format!("connect-src 'self' {origin};"),
            1,
        ),
    }
}

/// The origin (`scheme://host[:port]`) of an http(s) URL, for a CSP source;
/// `None` for anything else.
fn origin_of(url: &str) -> Option<String> {
    let url = url::Url::parse(url).ok()?;
    matches!(url.scheme(), "http" | "https")
        .then(|| url.origin())
        .filter(url::Origin::is_tuple)
        .map(|o| o.ascii_serialization())
}

/// The web app's Content-Security-Policy for this process, built once at
/// start (one per worker, from the shared state): `connect-src` names the
/// identity provider's token endpoint when one is configured. That endpoint
/// comes from the discovery document fetched at start; when the provider
/// could not be reached then, the issuer's own origin stands in (where
/// Entra ID and NHS CIS2 both keep their token endpoints).
#[derive(Clone)]
pub struct Policy(HeaderValue);

impl Policy {
    pub fn for_state(state: &AppState) -> Policy {
        let origin = state.oidc.as_ref().and_then(|oidc| {
            oidc.cached_endpoints()
                .and_then(|e| origin_of(&e.token_endpoint))
                .or_else(|| origin_of(&oidc.settings().issuer))
        });
        let policy = content_security_policy(origin.as_deref());
        Policy(
            HeaderValue::from_str(&policy)
                .unwrap_or_else(|_| HeaderValue::from_static(CONTENT_SECURITY_POLICY)),
        )
    }

    /// The header's value.
    pub fn value(&self) -> &HeaderValue {
        &self.0
    }
}

/// One file ready to serve.
struct Asset {
    body: &'static [u8],
    gzip: Option<Vec<u8>>,
    content_type: &'static str,
    etag: String,
    immutable: bool,
}

fn assets() -> &'static HashMap<&'static str, Asset> {
    static ASSETS: OnceLock<HashMap<&'static str, Asset>> = OnceLock::new();
    ASSETS.get_or_init(|| {
        embedded::ASSETS
            .iter()
            .map(|&(path, body)| (path, prepare(path, body)))
            .collect()
    })
}

fn prepare(path: &str, body: &'static [u8]) -> Asset {
    use sha2::{Digest, Sha256};
    let content_type = content_type(path);
    let compressible = content_type.starts_with("text/")
        || content_type.contains("javascript")
        || content_type.contains("json")
        || content_type.contains("svg");
    let gzip = (compressible && body.len() > 512)
        .then(|| {
            let mut encoder =
                flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
            encoder.write_all(body).ok()?;
            encoder.finish().ok()
        })
        .flatten()
        .filter(|gz| gz.len() < body.len());
    Asset {
        body,
        gzip,
        content_type,
        etag: format!("\"{}\"", &hex::encode(Sha256::digest(body))[..32]),
        // Vite names what it hashes under /assets/.
        immutable: path.starts_with("/assets/"),
    }
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or_default() {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" => "application/json",
        "webmanifest" => "application/manifest+json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// Whether the web app was built into this binary.
pub fn is_built() -> bool {
    assets().contains_key("/index.html")
}

/// Answers a GET or HEAD for a web-app path, or `None` when the path is not
/// the app's (the caller then answers 404/405 as for any unknown path).
pub fn serve(req: &HttpRequest) -> Option<HttpResponse> {
    if req.method() != actix_web::http::Method::GET && req.method() != actix_web::http::Method::HEAD
    {
        return None;
    }
    let path = match req.path() {
        "/" | OIDC_CALLBACK_PATH => "/index.html",
        other => other,
    };
    let policy = req
        .app_data::<web::Data<Policy>>()
        .map(|p| p.value().clone());
    let Some(asset) = assets().get(path) else {
        return (path == "/index.html").then(|| not_built(policy));
    };
    let mut res = HttpResponse::Ok();
    with_security_headers(&mut res, policy);
    res.insert_header((header::CONTENT_TYPE, asset.content_type))
        .insert_header((header::ETAG, asset.etag.as_str()))
        .insert_header((header::VARY, "accept-encoding"))
        .insert_header((
            header::CACHE_CONTROL,
            if asset.immutable {
                "public, max-age=31536000, immutable"
            } else {
                // index.html, sw.js, the manifest: always ask.
                "no-cache"
            },
        ));
    let unchanged = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|tags| tags.split(',').any(|t| t.trim() == asset.etag));
    if unchanged {
        return Some(
            res.status(actix_web::http::StatusCode::NOT_MODIFIED)
                .finish(),
        );
    }
    let takes_gzip = req
        .headers()
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|e| e.trim().starts_with("gzip")));
    Some(match (&asset.gzip, takes_gzip) {
        (Some(gz), true) => res
            .insert_header((header::CONTENT_ENCODING, "gzip"))
            .body(gz.clone()),
        _ => res.body(asset.body),
    })
}

fn with_security_headers(res: &mut actix_web::HttpResponseBuilder, policy: Option<HeaderValue>) {
    res.insert_header((
        header::CONTENT_SECURITY_POLICY,
        policy.unwrap_or_else(|| HeaderValue::from_static(CONTENT_SECURITY_POLICY)),
    ))
    .insert_header((header::X_FRAME_OPTIONS, "DENY"));
}

/// The page `/` shows when the binary was built without the web app.
fn not_built(policy: Option<HeaderValue>) -> HttpResponse {
    let mut res = HttpResponse::Ok();
    with_security_headers(&mut res, policy);
    res.insert_header((header::CONTENT_TYPE, "text/html; charset=utf-8"))
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .body(
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
             <title>peerlog: the web app was not built</title></head><body>\
             <h1>The peerlog web app was not built into this binary</h1>\
             <p>The API is running: see <a href=\"/docs/\">/docs</a>.</p>\
             <p>To build the app, install Node.js 20 and npm, then run \
             <code>npm ci &amp;&amp; npm run build</code> in <code>web/</code> and build \
             peerlog again (<code>scripts/run</code> does all of this).</p></body></html>",
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connect_src_names_the_token_endpoint_origin_only_when_asked() {
        assert_eq!(content_security_policy(None), CONTENT_SECURITY_POLICY);
        let with = content_security_policy(Some("https://login.microsoftonline.com"));
        assert!(with.contains("; connect-src 'self' https://login.microsoftonline.com;"));
        assert_eq!(
            with.replace(" https://login.microsoftonline.com", ""),
            CONTENT_SECURITY_POLICY
        );
    }

    #[test]
    fn origins_are_scheme_host_and_port_of_http_urls_only() {
        assert_eq!(
            origin_of("https://login.microsoftonline.com/tenant/oauth2/v2.0/token?x=1").as_deref(),
            Some("https://login.microsoftonline.com")
        );
        assert_eq!(
            origin_of("http://127.0.0.1:4000/token").as_deref(),
            Some("http://127.0.0.1:4000")
        );
        assert_eq!(
            origin_of("https://idp.example:443/t").as_deref(),
            Some("https://idp.example")
        );
        for bad in [
            "javascript:alert(1)",
            "data:text/plain,x",
            "not a url",
            "ftp://x/y",
        ] {
            assert_eq!(origin_of(bad), None, "{bad}");
        }
    }
}
