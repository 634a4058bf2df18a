//! `GET /fhir/R4/{type}/{id}`: read one resource.

use actix_web::{get, web, HttpRequest};

use super::{base_url, caller, ok, resource_type, server, FhirRouteResult};
use crate::auth::CurrentUser;
use crate::domain::fhir::read;
use crate::error::ApiError;
use crate::state::AppState;

/// One resource as it is now, within the caller's wards; reading a
/// person's record is audited.
#[utoipa::path(
    tag = "fhir",
    params(("type" = String, Path, pattern = "^[A-Z][A-Za-z]+$", description = "Resource type"), ("id" = String, Path, description = "Resource id")),
    responses(
        (status = 200, description = "The resource", content_type = "application/fhir+json", body = Object),
        (status = 400, description = "A malformed request (OperationOutcome)", content_type = "application/fhir+json", body = Object),
        (status = 401, description = "No valid bearer token (OperationOutcome)", content_type = "application/fhir+json", body = Object),
        (status = 403, description = "The role may not do this (OperationOutcome)", content_type = "application/fhir+json", body = Object),
        (status = 404, description = "Unknown type or id, or outside your wards (OperationOutcome)", content_type = "application/fhir+json", body = Object),
    )
)]
#[get("/{type}/{id}")]
pub async fn read_resource(
    state: web::Data<AppState>,
    user: Result<CurrentUser, ApiError>,
    req: HttpRequest,
    path: web::Path<(String, String)>,
) -> FhirRouteResult {
    let (user, caller) = caller(user)?;
    let t = resource_type(&path.0)?;
    let base = base_url(&req);
    let mut conn = user.conn(&state.pool).await?;
    let found = read::read(&mut conn, &caller, &server(&state, &base), t, &path.1).await?;
    Ok(ok(found))
}
