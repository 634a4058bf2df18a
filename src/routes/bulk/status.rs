//! `/fhir/R4/bulk-export/{id}`: an export's status (202 with `X-Progress`
//! and `Retry-After` while it runs, then 200 with the manifest) and its
//! cancellation (`DELETE`, 202; the URL then answers 404). Only the
//! account that started the export gets anything but 404.

use actix_web::http::header::{EXPIRES, RETRY_AFTER};
use actix_web::http::StatusCode;
use actix_web::{delete, get, web, HttpRequest, HttpResponse};
use serde_json::json;
use uuid::Uuid;

use super::outcome::{self, issue};
use crate::auth::{public_url, CurrentUser};
use crate::domain::bulk_export;
use crate::error::ApiError;
use crate::fhir::instant;
use crate::models::bulk_export::{files, JobStatus};
use crate::state::AppState;

/// Seconds a client should wait before polling again.
const RETRY_AFTER_SECS: &str = "2";

/// Where an export stands, or its manifest.
#[utoipa::path(
    tag = "fhir-bulk",
    params(("id" = Uuid, Path, description = "The export's id (from Content-Location)")),
    responses(
        (status = 200, description = "The manifest: transactionTime, request, requiresAccessToken, output, error", content_type = "application/json"),
        (status = 202, description = "Still running: X-Progress says how far, Retry-After when to ask again"),
        (status = 401, description = "OperationOutcome: no valid bearer token", content_type = "application/fhir+json"),
        (status = 404, description = "OperationOutcome: no such export, not yours, cancelled or expired", content_type = "application/fhir+json"),
        (status = 500, description = "OperationOutcome: the export failed", content_type = "application/fhir+json"),
    )
)]
#[get("/fhir/R4/bulk-export/{id}")]
pub async fn export_status(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: Result<CurrentUser, ApiError>,
    id: web::Path<Uuid>,
) -> HttpResponse {
    let (user, mut conn) = match super::caller_and_conn(&state, user).await {
        Ok(pair) => pair,
        Err(res) => return *res,
    };
    let job = match bulk_export::own_job(&mut conn, &user.actor(), *id).await {
        Ok(j) => j,
        Err(e) => return outcome::from_domain(e),
    };
    match job.status {
        JobStatus::Pending | JobStatus::Running => HttpResponse::Accepted()
            .insert_header((
                "X-Progress",
                job.progress.as_deref().unwrap_or("waiting to start"),
            ))
            .insert_header((RETRY_AFTER, RETRY_AFTER_SECS))
            .finish(),
        JobStatus::Failed => issue(
            StatusCode::INTERNAL_SERVER_ERROR,
            "exception",
            job.error.as_deref().unwrap_or("the export failed"),
            None,
        ),
        JobStatus::Cancelled | JobStatus::Expired => {
            outcome::from_domain(crate::domain::DomainError::NotFound)
        }
        JobStatus::Completed => {
            let listed = match files(&mut conn, job.id).await {
                Ok(f) => f,
                Err(e) => return outcome::from_api(e.into()),
            };
            let base = public_url::of(&req, &state);
            let output: Vec<_> = listed
                .iter()
                .filter(|f| f.count > 0)
                .map(|f| {
                    json!({
                        "type": f.resource_type,
                        "url": format!("{base}{}/{}.ndjson", super::status_path(job.id), f.seq),
                        "count": f.count,
                    })
                })
                .collect();
            let mut res = HttpResponse::Ok();
            if let Some(expires) = job.expires_at {
                res.insert_header((EXPIRES, expires.to_rfc2822()));
            }
            res.json(json!({
                "transactionTime": instant(job.transaction_time),
                "request": job.request_url,
                "requiresAccessToken": true,
                "output": output,
                "error": [],
            }))
        }
    }
}

/// Cancels an export (running or done) and deletes its files.
#[utoipa::path(
    tag = "fhir-bulk",
    params(("id" = Uuid, Path, description = "The export's id")),
    responses(
        (status = 202, description = "Cancelled; the status URL now answers 404"),
        (status = 401, description = "OperationOutcome: no valid bearer token", content_type = "application/fhir+json"),
        (status = 404, description = "OperationOutcome: no such export, not yours, or already cancelled", content_type = "application/fhir+json"),
    )
)]
#[delete("/fhir/R4/bulk-export/{id}")]
pub async fn cancel_export(
    state: web::Data<AppState>,
    user: Result<CurrentUser, ApiError>,
    id: web::Path<Uuid>,
) -> HttpResponse {
    let (user, mut conn) = match super::caller_and_conn(&state, user).await {
        Ok(pair) => pair,
        Err(res) => return *res,
    };
    match bulk_export::cancel(&mut conn, &user.actor(), *id, &state.config.bulk_export_dir).await {
        Ok(()) => HttpResponse::Accepted().finish(),
        Err(e) => outcome::from_domain(e),
    }
}
