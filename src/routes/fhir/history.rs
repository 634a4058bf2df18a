//! `GET /fhir/R4/{type}/{id}/_history[/{vid}]`: the stored versions.

use actix_web::{get, web, HttpRequest};

use super::{base_url, caller, ok, resource_type, server, FhirRouteResult};
use crate::auth::CurrentUser;
use crate::domain::fhir::read;
use crate::error::ApiError;
use crate::state::AppState;

/// Every version of a resource, newest first (a history Bundle).
#[utoipa::path(
    tag = "fhir",
    params(("type" = String, Path, pattern = "^[A-Z][A-Za-z]+$"), ("id" = String, Path)),
    responses(
        (status = 200, description = "History Bundle", content_type = "application/fhir+json", body = Object),
        (status = 400, description = "A malformed request (OperationOutcome)", content_type = "application/fhir+json", body = Object),
        (status = 401, description = "No valid bearer token (OperationOutcome)", content_type = "application/fhir+json", body = Object),
        (status = 403, description = "The role may not do this (OperationOutcome)", content_type = "application/fhir+json", body = Object),
        (status = 404, description = "OperationOutcome", content_type = "application/fhir+json", body = Object),
    )
)]
#[get("/{type}/{id}/_history")]
pub async fn history(
    state: web::Data<AppState>,
    user: Result<CurrentUser, ApiError>,
    req: HttpRequest,
    path: web::Path<(String, String)>,
) -> FhirRouteResult {
    let (user, caller) = caller(user)?;
    let t = resource_type(&path.0)?;
    let base = base_url(&req);
    let mut conn = user.conn(&state.pool).await?;
    Ok(ok(read::history(
        &mut conn,
        &caller,
        &server(&state, &base),
        t,
        &path.1,
    )
    .await?))
}

/// One stored version of a resource (vread).
#[utoipa::path(
    tag = "fhir",
    params(("type" = String, Path, pattern = "^[A-Z][A-Za-z]+$"), ("id" = String, Path), ("vid" = String, Path)),
    responses(
        (status = 200, description = "The version", content_type = "application/fhir+json", body = Object),
        (status = 400, description = "A malformed request (OperationOutcome)", content_type = "application/fhir+json", body = Object),
        (status = 401, description = "No valid bearer token (OperationOutcome)", content_type = "application/fhir+json", body = Object),
        (status = 403, description = "The role may not do this (OperationOutcome)", content_type = "application/fhir+json", body = Object),
        (status = 404, description = "OperationOutcome", content_type = "application/fhir+json", body = Object),
    )
)]
#[get("/{type}/{id}/_history/{vid}")]
pub async fn vread(
    state: web::Data<AppState>,
    user: Result<CurrentUser, ApiError>,
    req: HttpRequest,
    path: web::Path<(String, String, String)>,
) -> FhirRouteResult {
    let (user, caller) = caller(user)?;
    let t = resource_type(&path.0)?;
    let base = base_url(&req);
    let mut conn = user.conn(&state.pool).await?;
    let s = server(&state, &base);
    Ok(ok(
        read::vread(&mut conn, &caller, &s, t, &path.1, &path.2).await?
    ))
}
