//! `/fhir/R4`: the FHIR R4 read API (UK Core), in FHIR JSON
//! (`application/fhir+json`). Each handler extracts, calls
//! `crate::domain::fhir` (which authorises through
//! `crate::fhir::access::authorise` and keeps the REST API's ward scope and
//! audit), and answers; every error is an OperationOutcome with its status,
//! sign-in failures included.

pub mod everything;
pub mod history;
pub mod metadata;
pub mod read;
pub mod search;

use actix_web::http::header::{self, ContentType};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, ResponseError};
use serde_json::Value;

use crate::auth::CurrentUser;
use crate::domain::fhir::{FhirError, Server};
use crate::error::ApiError;
use crate::fhir::access::{Caller, ResourceType};
use crate::fhir::bundle::outcome;
use crate::fhir::FHIR_JSON;
use crate::state::AppState;

/// An error answered as an OperationOutcome.
#[derive(Debug)]
pub struct FhirApiError {
    status: StatusCode,
    code: &'static str,
    diagnostics: String,
    expression: Option<String>,
}

impl std::fmt::Display for FhirApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.status, self.diagnostics)
    }
}

impl ResponseError for FhirApiError {
    fn status_code(&self) -> StatusCode {
        self.status
    }

    fn error_response(&self) -> HttpResponse {
        let mut r = HttpResponse::build(self.status);
        r.insert_header((header::CONTENT_TYPE, FHIR_JSON));
        if self.status == StatusCode::UNAUTHORIZED {
            r.insert_header((header::WWW_AUTHENTICATE, "Bearer realm=\"peerlog\""));
        }
        r.body(outcome(self.code, &self.diagnostics, self.expression.as_deref()).to_string())
    }
}

fn fail(status: StatusCode, code: &'static str, diagnostics: impl Into<String>) -> FhirApiError {
    FhirApiError {
        status,
        code,
        diagnostics: diagnostics.into(),
        expression: None,
    }
}

impl From<ApiError> for FhirApiError {
    fn from(e: ApiError) -> Self {
        let status = e.status_code();
        let code = match status {
            StatusCode::UNAUTHORIZED => "login",
            StatusCode::FORBIDDEN => "forbidden",
            StatusCode::NOT_FOUND => "not-found",
            StatusCode::BAD_REQUEST => "invalid",
            StatusCode::SERVICE_UNAVAILABLE | StatusCode::TOO_MANY_REQUESTS => "transient",
            _ => "exception",
        };
        if status.is_server_error() {
            // Logs what happened; the caller sees only that it did.
            let _ = e.error_response();
        }
        let detail = e
            .to_problem(None)
            .detail
            .unwrap_or_else(|| status.to_string());
        fail(status, code, detail)
    }
}

impl From<FhirError> for FhirApiError {
    fn from(e: FhirError) -> Self {
        match e {
            FhirError::NotFound(what) => fail(
                StatusCode::NOT_FOUND,
                "not-found",
                format!("{what} is not known"),
            ),
            FhirError::Denied => fail(
                StatusCode::FORBIDDEN,
                "forbidden",
                "your role may not do this",
            ),
            FhirError::Search(s) => FhirApiError {
                status: StatusCode::BAD_REQUEST,
                code: "invalid",
                diagnostics: format!("{}: {}", s.param, s.message),
                expression: Some(s.param),
            },
            FhirError::Domain(d) => ApiError::from(d).into(),
        }
    }
}

/// The result of a FHIR handler.
pub type FhirRouteResult = Result<HttpResponse, FhirApiError>;

/// A resource or Bundle as a 200, with the version's `ETag` and
/// `Last-Modified` where the resource has them.
/// A 200 of FHIR JSON already written (a searchset Bundle).
pub fn ok_text(body: String) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header(ContentType(FHIR_JSON.parse().expect("valid media type")))
        .body(body)
}

pub fn ok(v: Value) -> HttpResponse {
    let mut r = HttpResponse::Ok();
    r.insert_header(ContentType(FHIR_JSON.parse().expect("valid media type")));
    if let Some(vid) = v["meta"]["versionId"].as_str() {
        r.insert_header((header::ETAG, format!("W/\"{vid}\"")));
    }
    r.body(v.to_string())
}

/// The caller, or the reason the bearer token was refused.
pub fn caller(user: Result<CurrentUser, ApiError>) -> Result<(CurrentUser, Caller), FhirApiError> {
    let user = user?;
    let caller = Caller::User(user.actor());
    Ok((user, caller))
}

/// A resource type from the path; one not served is answered 404.
pub fn resource_type(name: &str) -> Result<ResourceType, FhirApiError> {
    ResourceType::parse(name).ok_or_else(|| {
        fail(
            StatusCode::NOT_FOUND,
            "not-supported",
            format!("resource type {name:?} is not served here"),
        )
    })
}

/// The FHIR base URL, for `fullUrl`s and links: under `PEERLOG_PUBLIC_URL`
/// when set (as Bulk Data links and the Backend Services audience are),
/// else the server as the caller reached it
/// ([`crate::auth::public_url::as_reached`]).
pub fn base_url(req: &HttpRequest) -> String {
    match req.app_data::<actix_web::web::Data<AppState>>() {
        Some(state) => format!("{}/fhir/R4", crate::auth::public_url::of(req, state)),
        None => format!(
            "{}/fhir/R4",
            crate::auth::public_url::as_reached(req, false)
        ),
    }
}

/// What the domain needs of the server for one request.
pub fn server<'a>(state: &'a AppState, base: &'a str) -> Server<'a> {
    Server {
        trust: &state.config.fhir.trust,
        base,
    }
}
