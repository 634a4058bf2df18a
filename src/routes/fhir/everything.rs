//! `GET /fhir/R4/Patient/{id}/$everything`: one person's whole record.

use actix_web::{get, web, HttpRequest};

use super::{base_url, caller, ok, server, FhirRouteResult};
use crate::auth::CurrentUser;
use crate::domain::fhir::everything;
use crate::error::ApiError;
use crate::state::AppState;

/// Everything peerlog holds about one person, every version, for a
/// subject access request. Only the roles the trust approved
/// (`PEERLOG_FHIR_EVERYTHING_ROLES`) may call it; it is audited.
#[utoipa::path(
    tag = "fhir",
    params(("id" = String, Path, description = "Patient id")),
    responses(
        (status = 200, description = "collection Bundle", content_type = "application/fhir+json", body = Object),
        (status = 400, description = "A malformed request (OperationOutcome)", content_type = "application/fhir+json", body = Object),
        (status = 401, description = "No valid bearer token (OperationOutcome)", content_type = "application/fhir+json", body = Object),
        (status = 403, description = "The role may not do this (OperationOutcome)", content_type = "application/fhir+json", body = Object),
        (status = 404, description = "OperationOutcome", content_type = "application/fhir+json", body = Object),
    )
)]
#[get("/Patient/{id}/$everything")]
pub async fn patient_everything(
    state: web::Data<AppState>,
    user: Result<CurrentUser, ApiError>,
    req: HttpRequest,
    id: web::Path<String>,
) -> FhirRouteResult {
    let (user, caller) = caller(user)?;
    let base = base_url(&req);
    let approved = &state.config.fhir.everything_roles;
    let mut conn = user.conn(&state.pool).await?;
    let s = server(&state, &base);
    Ok(ok(everything::everything(
        &mut conn, &caller, &s, approved, &id,
    )
    .await?))
}
