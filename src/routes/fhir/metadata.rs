//! `GET /fhir/R4/metadata`: the CapabilityStatement (no sign-in needed, as
//! FHIR clients read it first).

use actix_web::{get, HttpRequest};

use super::{base_url, ok, FhirRouteResult};
use crate::fhir::capability::capability_statement;

/// The server's CapabilityStatement: what it serves, exactly.
#[utoipa::path(
    tag = "fhir",
    security(()),
    responses((status = 200, description = "CapabilityStatement", content_type = "application/fhir+json", body = Object))
)]
#[get("/metadata")]
pub async fn metadata(req: HttpRequest) -> FhirRouteResult {
    Ok(ok(capability_statement(&base_url(&req), "2026-12-04")))
}
