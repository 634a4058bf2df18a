//! peerlog: peer-support activity records for NHS mental-health wards, and
//! the trust's Buddy Scheme.
//!
//! Layout: `routes/` holds the HTTP handlers (one folder per resource),
//! `models/` the rows and queries, `auth/` tokens, passwords and the
//! current user, `error.rs` the one error type and its problem+json body.
//! [`app`] builds the application the binary serves and the tests drive.

pub mod access;
pub mod audit;
pub mod auth;
pub mod body_budget;
pub mod config;
pub mod continuity;
pub mod db;
pub mod demo;
pub mod domain;
pub mod error;
pub mod extract;
pub mod fhir;
pub mod identity;
pub mod jobs;
pub mod json_path;
pub mod metrics;
pub mod models;
pub mod ods;
pub mod openapi;
pub mod pagination;
pub mod report_format;
pub mod request_id;
pub mod rfc3339;
pub mod route_table;
pub mod routes;
pub mod schema;
pub mod smart_scope;
pub mod state;
pub mod text_enum;
pub mod validate;
pub mod web_app;

use actix_cors::Cors;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::{DefaultHeaders, ErrorHandlerResponse, ErrorHandlers, Logger};
use actix_web::{web, App, HttpRequest, HttpResponse};
use utoipa_actix_web::AppExt;
use utoipa_swagger_ui::SwaggerUi;

use crate::error::PROBLEM_JSON;
use crate::metrics::Metrics;
use crate::state::AppState;

/// The access-log line: never headers or bodies, so no token or password
/// can reach the log; the request line comes from [`logged_request_line`],
/// which hides the secret of a calendar subscription's path.
pub const LOG_FORMAT: &str = r#"%a "%{request}xi" %s %b %Dms rid=%{x-request-id}o"#;

/// Paths whose last segment is a secret (calendar clients cannot send a
/// bearer token, so a subscription's URL carries one).
const SECRET_PATH_PREFIXES: &[&str] = &["/api/v1/buddy/calendar/"];

/// The request line as the access log shows it: method, path and query,
/// version, with any secret in the path replaced.
pub fn logged_request_line(method: &str, path: &str, query: &str, version: &str) -> String {
    let path = match SECRET_PATH_PREFIXES.iter().find(|p| path.starts_with(*p)) {
        Some(prefix) => format!("{prefix}[secret]"),
        None => path.to_string(),
    };
    let query = if query.is_empty() {
        String::new()
    } else {
        format!("?{query}")
    };
    format!("{method} {path}{query} {version}")
}

/// Builds the application: routes, Swagger UI at `/docs`, the document at
/// `/openapi.json`, and the middleware (request id, access log, metrics,
/// CORS, problem+json for every error).
pub fn app(
    state: AppState,
    metrics: Metrics,
) -> App<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    let cors = cors(&state.config.cors_origins);
    let hsts = state.config.hsts;
    let api = openapi::document();
    let routes = route_table::RouteTable::from_document(&api);
    let policy = web_app::Policy::for_state(&state);
    metrics.watch(state.pool.clone());
    let (app, _) = App::new()
        .into_utoipa_app()
        .app_data(web::Data::new(state))
        .app_data(web::Data::new(metrics.clone()))
        .app_data(web::Data::new(routes))
        .app_data(web::Data::new(policy))
        .app_data(route_table::path_config())
        .configure(routes::configure)
        .split_for_parts();
    app.service(SwaggerUi::new("/docs/{_:.*}").url("/openapi.json", api))
        .route("/docs", web::get().to(docs_redirect))
        .default_service(web::to(route_table::unmatched))
        .wrap(ErrorHandlers::new().default_handler(problem_for_bare_error))
        .wrap(security_headers(hsts))
        .wrap(metrics.middleware.clone())
        .wrap(cors)
        .wrap(actix_web::middleware::from_fn(request_id::middleware))
        .wrap(
            Logger::new(LOG_FORMAT).custom_request_replace("request", |req| {
                logged_request_line(
                    req.method().as_str(),
                    req.path(),
                    req.query_string(),
                    &format!("{:?}", req.version()),
                )
            }),
        )
}

/// Headers on every answer: no MIME sniffing, no referrer, never framed
/// (answers that set their own Content-Security-Policy, the web app's,
/// keep it; it forbids framing too), and HSTS when `PEERLOG_HSTS=true`.
fn security_headers(hsts: bool) -> DefaultHeaders {
    let headers = DefaultHeaders::new()
        .add((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .add((header::REFERRER_POLICY, "no-referrer"))
        .add((header::CONTENT_SECURITY_POLICY, "frame-ancestors 'none'"))
        .add((header::X_FRAME_OPTIONS, "DENY"));
    if hsts {
        headers.add((
            header::STRICT_TRANSPORT_SECURITY,
            "max-age=31536000; includeSubDomains",
        ))
    } else {
        headers
    }
}

async fn docs_redirect() -> HttpResponse {
    HttpResponse::PermanentRedirect()
        .insert_header((header::LOCATION, "/docs/"))
        .finish()
}

fn cors(origins: &[String]) -> Cors {
    let mut cors = Cors::default()
        .allowed_methods(["GET", "POST", "PUT", "PATCH", "DELETE"])
        .allowed_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            header::ACCEPT,
            header::IF_MATCH,
        ])
        .expose_headers([
            header::ETAG,
            header::LOCATION,
            header::HeaderName::from_static("x-request-id"),
        ])
        .max_age(3600);
    for origin in origins {
        cors = cors.allowed_origin(origin);
    }
    cors
}

/// Turns any error response that is not already problem+json (actix's own
/// 404/405/413 and the like) into one, keeping its status and headers.
fn problem_for_bare_error<B: MessageBody + 'static>(
    res: ServiceResponse<B>,
) -> actix_web::Result<ErrorHandlerResponse<B>> {
    let is_problem = res
        .response()
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| {
            // FHIR answers errors as OperationOutcomes, kept as they are.
            v.as_bytes().starts_with(PROBLEM_JSON.as_bytes())
                || v.as_bytes().starts_with(fhir::FHIR_JSON.as_bytes())
        });
    // OAuth 2.0 clients read OAuth's own error JSON (RFC 6749 §5.2).
    let is_oauth = res.request().path().starts_with("/api/v1/oauth/");
    if is_problem || is_oauth {
        return Ok(ErrorHandlerResponse::Response(res.map_into_left_body()));
    }
    let status = res.status();
    let (req, old) = res.into_parts();
    let mut new = HttpResponse::build(status);
    for (name, value) in old.headers() {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            new.append_header((name.clone(), value.clone()));
        }
    }
    let body = error::problem_for_status(
        status,
        request_id::current().or_else(|| request_id_of(&req)),
    );
    let response = new
        .insert_header((header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON)))
        .body(body);
    Ok(ErrorHandlerResponse::Response(
        ServiceResponse::new(req, response).map_into_right_body::<B>(),
    ))
}

fn request_id_of(req: &HttpRequest) -> Option<String> {
    use actix_web::HttpMessage;
    req.extensions()
        .get::<request_id::RequestId>()
        .map(|r| r.0.clone())
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_access_log_never_shows_a_calendar_subscription_secret() {
        let line = super::logged_request_line(
            "GET",
            "/api/v1/buddy/calendar/AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_abcde.ics",
            "",
            "HTTP/1.1",
        );
        assert_eq!(line, "GET /api/v1/buddy/calendar/[secret] HTTP/1.1");
        assert_eq!(
            super::logged_request_line("GET", "/api/v1/activities", "limit=5", "HTTP/1.1"),
            "GET /api/v1/activities?limit=5 HTTP/1.1"
        );
    }
}
