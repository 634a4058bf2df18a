//! The one error type handlers return, and its RFC 9457 problem body.
//!
//! Which layer uses which error type:
//! - query functions in `models/` return diesel's `QueryResult`;
//! - the rules and transactions in `domain/` return `DomainError`;
//! - handlers and extractors return [`ApiResult`], converting either with `?`;
//! - diesel `NotFound` becomes 404, a pool or connection failure 503,
//!   unique/foreign-key/check violations that escape validation become 409 or
//!   422, and anything else is logged with the request id and answered with a
//!   generic 500 whose body names no internal detail.

use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use utoipa::ToSchema;

mod convert;
#[cfg(test)]
mod tests;

/// The media type of every error body.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// The result type of handlers.
pub type ApiResult<T> = Result<T, ApiError>;

use crate::domain::DomainError;
pub use crate::validate::FieldError;

/// An RFC 9457 problem document, `application/problem+json`.
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    /// A URI naming the kind of problem (`urn:peerlog:problem:<code>`).
    #[serde(rename = "type")]
    #[schema(example = "urn:peerlog:problem:validation_failed")]
    pub problem_type: String,
    /// Short summary of the kind of problem.
    pub title: String,
    /// HTTP status code.
    #[schema(example = 422)]
    pub status: u16,
    /// What went wrong on this request.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// Stable machine-readable code; clients branch on this.
    #[schema(example = "validation_failed")]
    pub code: String,
    /// The failing fields, for validation problems.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[schema(nullable = false)]
    pub errors: Vec<FieldError>,
    /// The request id, to quote when reporting a problem.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// For 412 and 409 answers: the current state of the resource.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub current: Option<serde_json::Value>,
}

/// Everything a handler can answer instead of success.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("validation failed")]
    Validation(Vec<FieldError>),
    /// A domain rule refuses the request (422), e.g. pairing a buddy who is
    /// not a registered volunteer; the code names the rule and `field` the
    /// input that broke it.
    #[error("rule broken: {code}")]
    Rule {
        code: &'static str,
        field: &'static str,
        detail: String,
    },
    #[error("bad request: {detail}")]
    BadRequest { code: &'static str, detail: String },
    #[error("unauthorized: {0}")]
    Unauthorized(&'static str),
    #[error("forbidden")]
    Forbidden,
    #[error("not found")]
    NotFound,
    #[error("conflict: {detail}")]
    Conflict {
        code: &'static str,
        detail: String,
        current: Option<serde_json::Value>,
    },
    #[error("precondition failed")]
    PreconditionFailed { current: serde_json::Value },
    #[error("precondition required")]
    PreconditionRequired,
    #[error("unsupported media type")]
    UnsupportedMediaType,
    #[error("payload too large")]
    PayloadTooLarge,
    #[error("not acceptable")]
    NotAcceptable,
    #[error("too many requests")]
    TooManyRequests { retry_after_secs: i64 },
    #[error("service unavailable: {0}")]
    Unavailable(String),
    /// Too many request bodies are held at once across the server (503
    /// with `Retry-After`); nothing was read or stored.
    #[error("busy: request bodies in flight at their bound")]
    Busy { retry_after_secs: i64 },
    #[error("internal error: {0}")]
    Internal(String),
}

impl ApiError {
    /// A single-field validation failure, built as the domain builds it.
    pub fn field(field: impl Into<String>, code: &str, message: impl Into<String>) -> Self {
        DomainError::field(field, code, message).into()
    }

    /// An internal failure, logged; the client sees a generic message.
    pub fn internal(what: impl std::fmt::Display) -> Self {
        DomainError::internal(what).into()
    }

    /// The stable machine code of this error.
    pub fn code(&self) -> &'static str {
        match self {
            ApiError::Validation(_) => "validation_failed",
            ApiError::Rule { code, .. } => code,
            ApiError::BadRequest { code, .. } => code,
            ApiError::Unauthorized(code) => code,
            ApiError::Forbidden => "forbidden",
            ApiError::NotFound => "not_found",
            ApiError::Conflict { code, .. } => code,
            ApiError::PreconditionFailed { .. } => "version_mismatch",
            ApiError::PreconditionRequired => "if_match_required",
            ApiError::UnsupportedMediaType => "unsupported_media_type",
            ApiError::PayloadTooLarge => "payload_too_large",
            ApiError::NotAcceptable => "not_acceptable",
            ApiError::TooManyRequests { .. } => "too_many_requests",
            ApiError::Unavailable(_) => "database_unavailable",
            ApiError::Busy { .. } => "server_busy",
            ApiError::Internal(_) => "internal_error",
        }
    }

    fn detail(&self) -> Option<String> {
        Some(match self {
            ApiError::Validation(_) => {
                "The request has fields that are missing or not valid.".into()
            }
            ApiError::BadRequest { detail, .. }
            | ApiError::Conflict { detail, .. }
            | ApiError::Rule { detail, .. } => detail.clone(),
            ApiError::Unauthorized("invalid_credentials") => {
                "The username or password is not correct.".into()
            }
            ApiError::Unauthorized("missing_token") => {
                "This endpoint needs an access token: send `Authorization: Bearer <token>`.".into()
            }
            ApiError::Unauthorized("account_not_linked") => {
                "Your identity-provider account is not linked to a peerlog account; ask an administrator.".into()
            }
            ApiError::Unauthorized("account_inactive") => {
                "Your peerlog account is not active; ask an administrator.".into()
            }
            ApiError::Unauthorized(_) => {
                "The access or refresh token is not valid; sign in again.".into()
            }
            ApiError::Forbidden => "Your role does not allow this.".into(),
            ApiError::NotFound => "No such resource, or it is not visible to you.".into(),
            ApiError::PreconditionFailed { .. } => {
                "The record has changed since the version you edited; see `current`.".into()
            }
            ApiError::PreconditionRequired => {
                "Send `If-Match` with the ETag of the version you edited.".into()
            }
            ApiError::UnsupportedMediaType => "Send the body as `application/json`.".into(),
            ApiError::PayloadTooLarge => "The request body is larger than allowed.".into(),
            ApiError::NotAcceptable => "Ask for `application/json` or `text/csv`.".into(),
            ApiError::TooManyRequests { .. } => {
                "Too many failed attempts; wait before trying again.".into()
            }
            ApiError::Unavailable(_) => {
                "The service cannot reach its database; try again shortly.".into()
            }
            ApiError::Busy { .. } => {
                "The service is receiving too many request bodies at once; send this one again after `Retry-After` seconds.".into()
            }
            ApiError::Internal(_) => {
                "Something went wrong on our side; quote the request id.".into()
            }
        })
    }

    /// The problem document for this error.
    pub fn to_problem(&self, request_id: Option<String>) -> Problem {
        let status = self.status_code();
        let code = self.code();
        Problem {
            problem_type: format!("urn:peerlog:problem:{code}"),
            title: status.canonical_reason().unwrap_or("Error").to_string(),
            status: status.as_u16(),
            detail: self.detail(),
            code: code.to_string(),
            errors: match self {
                ApiError::Validation(errors) => errors.clone(),
                ApiError::Rule {
                    code,
                    field,
                    detail,
                } => vec![FieldError::new(*field, code, detail.clone())],
                _ => Vec::new(),
            },
            request_id,
            current: match self {
                ApiError::PreconditionFailed { current } => Some(current.clone()),
                ApiError::Conflict { current, .. } => current.clone(),
                _ => None,
            },
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::Validation(_) | ApiError::Rule { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::BadRequest { .. } => StatusCode::BAD_REQUEST,
            ApiError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden => StatusCode::FORBIDDEN,
            ApiError::NotFound => StatusCode::NOT_FOUND,
            ApiError::Conflict { .. } => StatusCode::CONFLICT,
            ApiError::PreconditionFailed { .. } => StatusCode::PRECONDITION_FAILED,
            ApiError::PreconditionRequired => StatusCode::PRECONDITION_REQUIRED,
            ApiError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::NotAcceptable => StatusCode::NOT_ACCEPTABLE,
            ApiError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Unavailable(_) | ApiError::Busy { .. } => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            ApiError::Internal(what) => log::error!("internal error: {what}"),
            ApiError::Unavailable(what) => log::warn!("database unavailable: {what}"),
            _ => {}
        }
        let mut response = HttpResponse::build(self.status_code());
        response.insert_header((header::CONTENT_TYPE, PROBLEM_JSON));
        match self {
            ApiError::Unauthorized(_) => {
                response.insert_header((header::WWW_AUTHENTICATE, "Bearer realm=\"peerlog\""));
            }
            ApiError::TooManyRequests { retry_after_secs }
            | ApiError::Busy { retry_after_secs } => {
                response.insert_header((header::RETRY_AFTER, retry_after_secs.max(&1).to_string()));
            }
            // The pool had no connection free within its wait (or the
            // database is down): a tablet may try again shortly.
            ApiError::Unavailable(_) => {
                response.insert_header((header::RETRY_AFTER, "1"));
            }
            _ => {}
        }
        response.body(
            serde_json::to_string(&self.to_problem(crate::request_id::current()))
                .unwrap_or_default(),
        )
    }
}

/// The problem body for an error status produced outside a handler
/// (routing, actix's own extractors).
pub fn problem_for_status(status: StatusCode, request_id: Option<String>) -> String {
    let code = match status.as_u16() {
        400 => "bad_request",
        401 => "unauthorized",
        403 => "forbidden",
        404 => "not_found",
        405 => "method_not_allowed",
        406 => "not_acceptable",
        408 => "request_timeout",
        413 => "payload_too_large",
        414 => "uri_too_long",
        415 => "unsupported_media_type",
        429 => "too_many_requests",
        431 => "headers_too_large",
        503 => "service_unavailable",
        s if s >= 500 => "internal_error",
        _ => "bad_request",
    };
    let problem = Problem {
        problem_type: format!("urn:peerlog:problem:{code}"),
        title: status.canonical_reason().unwrap_or("Error").to_string(),
        status: status.as_u16(),
        detail: None,
        code: code.to_string(),
        errors: Vec::new(),
        request_id,
        current: None,
    };
    serde_json::to_string(&problem).unwrap_or_default()
}
