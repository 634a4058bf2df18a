//! OperationOutcome answers for the Bulk Data endpoints: each refusal with
//! its HTTP status, an issue code from FHIR's IssueType and the parameter
//! at fault, never an internal detail.

use actix_web::http::StatusCode;
use actix_web::HttpResponse;
use serde_json::json;

use crate::domain::DomainError;
use crate::error::ApiError;

use crate::fhir::bundle::outcome;
use crate::fhir::FHIR_JSON;

/// One issue: FHIR `code`, what went wrong, and the parameter at fault.
pub fn issue(
    status: StatusCode,
    code: &str,
    diagnostics: &str,
    expression: Option<&str>,
) -> HttpResponse {
    HttpResponse::build(status)
        .content_type(FHIR_JSON)
        .json(outcome(code, diagnostics, expression))
}

/// The outcome of a domain refusal.
pub fn from_domain(e: DomainError) -> HttpResponse {
    match e {
        DomainError::Invalid(fields) => {
            let issues: Vec<_> = fields
                .iter()
                .map(|f| {
                    let code = if f.code == "unsupported" || f.code == "unsupported_type" {
                        "not-supported"
                    } else {
                        "invalid"
                    };
                    json!({ "severity": "error", "code": code, "diagnostics": f.message, "expression": [f.field] })
                })
                .collect();
            HttpResponse::BadRequest()
                .content_type(FHIR_JSON)
                .json(json!({ "resourceType": "OperationOutcome", "issue": issues }))
        }
        DomainError::NotFound => issue(
            StatusCode::NOT_FOUND,
            "not-found",
            "No such export, or not yours.",
            None,
        ),
        DomainError::Forbidden => issue(
            StatusCode::FORBIDDEN,
            "forbidden",
            "Your role or scopes do not allow exporting these resource types.",
            None,
        ),
        other => from_api(other.into()),
    }
}

/// The outcome of an API error (a refused token, a database failure).
pub fn from_api(e: ApiError) -> HttpResponse {
    let status = actix_web::ResponseError::status_code(&e);
    let (code, text) = match status {
        StatusCode::UNAUTHORIZED => ("login", "A valid bearer token is required."),
        StatusCode::FORBIDDEN => ("forbidden", "Not allowed."),
        StatusCode::NOT_FOUND => ("not-found", "Not found."),
        s if s.is_client_error() => ("invalid", "The request is not valid."),
        _ => {
            log::error!("bulk export: {e}");
            ("exception", "The server could not answer; try again later.")
        }
    };
    let mut res = issue(status, code, text, None);
    if status == StatusCode::UNAUTHORIZED {
        res.headers_mut().insert(
            actix_web::http::header::WWW_AUTHENTICATE,
            actix_web::http::header::HeaderValue::from_static("Bearer"),
        );
    }
    res
}
