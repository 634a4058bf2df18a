//! The web app (`web/`), embedded at build time by `build.rs` and served at
//! `/`: hashed assets cached for a year as immutable, `index.html`, the
//! service worker and the manifest revalidated on every load, gzip when the
//! browser takes it, and a strict Content-Security-Policy on every answer.
//! When the app was not built, `/` answers a short page saying how.

use std::collections::HashMap;
use std::io::Write;
use std::sync::OnceLock;

use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse};

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/web_assets.rs"));
}

/// The web app's policy: its own origin only; no inline script or style,
/// no framing, no plugins; the API is the only place it talks to.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; \
manifest-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'self'; \
form-action 'self'; frame-ancestors 'none'";

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
        "/" => "/index.html",
        other => other,
    };
    let Some(asset) = assets().get(path) else {
        return (path == "/index.html").then(not_built);
    };
    let mut res = HttpResponse::Ok();
    with_security_headers(&mut res);
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

fn with_security_headers(res: &mut actix_web::HttpResponseBuilder) {
    res.insert_header((
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CONTENT_SECURITY_POLICY),
    ))
    .insert_header((header::X_FRAME_OPTIONS, "DENY"));
}

/// The page `/` shows when the binary was built without the web app.
fn not_built() -> HttpResponse {
    let mut res = HttpResponse::Ok();
    with_security_headers(&mut res);
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
