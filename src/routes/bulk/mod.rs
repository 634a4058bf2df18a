//! FHIR Bulk Data export (Bulk Data Access IG v2) under `/fhir/R4`: the
//! kick-off (`$export`, `Group/{id}/$export`), the status URL a client
//! polls and may `DELETE`, and the NDJSON files. Every answer that is not
//! a success is a FHIR OperationOutcome ([`outcome`]). The rules, the job
//! and its runner are [`crate::domain::bulk_export`]'s.

pub mod files;
pub mod kick_off;
pub mod outcome;
pub mod status;

/// The path of an export's status URL, under the public base.
pub fn status_path(id: uuid::Uuid) -> String {
    format!("/fhir/R4/bulk-export/{id}")
}

/// The signed-in caller and the request's connection, or the
/// OperationOutcome that refuses the request (401, or 503 without a
/// connection).
async fn caller_and_conn(
    state: &crate::state::AppState,
    user: Result<crate::auth::CurrentUser, crate::error::ApiError>,
) -> Result<(crate::auth::CurrentUser, crate::db::DbConn), Box<actix_web::HttpResponse>> {
    let user = user.map_err(|e| Box::new(outcome::from_api(e)))?;
    let conn = user
        .conn(&state.pool)
        .await
        .map_err(|e| Box::new(outcome::from_api(e)))?;
    Ok((user, conn))
}
