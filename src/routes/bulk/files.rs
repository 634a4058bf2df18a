//! `/fhir/R4/bulk-export/{id}/{n}.ndjson`: one file of a completed export,
//! streamed from disk 64 KiB at a time, to the account that started the
//! export only. Each download is audited.

use std::io::Read;

use actix_web::http::StatusCode;
use actix_web::web::Bytes;
use actix_web::{get, web, HttpResponse};
use uuid::Uuid;

use super::outcome::{self, issue};
use crate::audit::{self, AuditEvent};
use crate::auth::CurrentUser;
use crate::domain::bulk_export::{self, run::file_path};
use crate::error::ApiError;
use crate::models::bulk_export::{files, JobStatus};
use crate::state::AppState;

/// One NDJSON file of an export's manifest.
#[utoipa::path(
    tag = "fhir-bulk",
    params(
        ("id" = Uuid, Path, description = "The export's id"),
        ("file" = String, Path, description = "`<n>.ndjson`, as the manifest's url names it"),
    ),
    responses(
        (status = 200, description = "FHIR resources, one a line", content_type = "application/fhir+ndjson"),
        (status = 401, description = "OperationOutcome: no valid bearer token", content_type = "application/fhir+json"),
        (status = 404, description = "OperationOutcome: no such file, not yours, cancelled or expired", content_type = "application/fhir+json"),
    )
)]
#[get("/fhir/R4/bulk-export/{id}/{file}")]
pub async fn export_file(
    state: web::Data<AppState>,
    user: Result<CurrentUser, ApiError>,
    path: web::Path<(Uuid, String)>,
) -> HttpResponse {
    let (id, name) = path.into_inner();
    let not_found = || issue(StatusCode::NOT_FOUND, "not-found", "No such file.", None);
    let Some(seq) = name
        .strip_suffix(".ndjson")
        .and_then(|s| s.parse::<i32>().ok())
    else {
        return not_found();
    };
    let (user, mut conn) = match super::caller_and_conn(&state, user).await {
        Ok(pair) => pair,
        Err(res) => return *res,
    };
    let job = match bulk_export::own_job(&mut conn, &user.actor(), id).await {
        Ok(j) if j.status == JobStatus::Completed => j,
        Ok(_) => return not_found(),
        Err(e) => return outcome::from_domain(e),
    };
    match files(&mut conn, id).await {
        Ok(listed) if listed.iter().any(|f| f.seq == seq) => {}
        Ok(_) => return not_found(),
        Err(e) => return outcome::from_api(e.into()),
    }
    let event = AuditEvent::new("download", "fhir_bulk_export", job.id)
        .details(serde_json::json!({ "file": seq }));
    if let Err(e) = audit::record_read(&mut conn, &user.audit_actor(), event).await {
        return outcome::from_api(e.into());
    }
    let file = match std::fs::File::open(file_path(&state.config.bulk_export_dir, id, seq)) {
        Ok(f) => f,
        Err(_) => return not_found(),
    };
    HttpResponse::Ok()
        .content_type("application/fhir+ndjson")
        .streaming(futures_util::stream::unfold(Some(file), next_chunk))
}

/// The next 64 KiB of a file, read off the async threads.
async fn next_chunk(
    file: Option<std::fs::File>,
) -> Option<(Result<Bytes, ApiError>, Option<std::fs::File>)> {
    let mut file = file?;
    let read = web::block(move || {
        let mut buf = vec![0u8; 64 * 1024];
        let n = file.read(&mut buf)?;
        buf.truncate(n);
        Ok::<_, std::io::Error>((buf, file))
    })
    .await;
    match read {
        Ok(Ok((buf, _))) if buf.is_empty() => None,
        Ok(Ok((buf, file))) => Some((Ok(Bytes::from(buf)), Some(file))),
        _ => Some((Err(ApiError::internal("export file unreadable")), None)),
    }
}
