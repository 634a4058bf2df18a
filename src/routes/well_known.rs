//! `/.well-known/smart-configuration` (and the same under `/fhir/R4`, where
//! SMART clients look for it beside the FHIR base): how a trust system
//! signs in. It names only what is served: the Backend Services token
//! endpoint, its `private_key_jwt` authentication and algorithms, and
//! `system/` read scopes. No user or patient launch is offered.

use actix_web::{get, web, HttpRequest, HttpResponse};
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::public_url;
use crate::identity::client_assertion::ALGORITHMS;
use crate::state::AppState;

/// The SMART configuration document (SMART App Launch 2, §Conformance).
#[derive(Debug, Serialize, ToSchema)]
pub struct SmartConfiguration {
    pub issuer: String,
    pub token_endpoint: String,
    pub token_endpoint_auth_methods_supported: Vec<&'static str>,
    pub token_endpoint_auth_signing_alg_values_supported: Vec<String>,
    pub grant_types_supported: Vec<&'static str>,
    pub scopes_supported: Vec<&'static str>,
    pub response_types_supported: Vec<&'static str>,
    pub capabilities: Vec<&'static str>,
}

fn configuration(req: &HttpRequest, state: &AppState) -> SmartConfiguration {
    SmartConfiguration {
        issuer: public_url::of(req, state),
        token_endpoint: public_url::token_endpoint(req, state),
        token_endpoint_auth_methods_supported: vec!["private_key_jwt"],
        token_endpoint_auth_signing_alg_values_supported: ALGORITHMS
            .iter()
            .map(|a| format!("{a:?}"))
            .collect(),
        grant_types_supported: vec!["client_credentials"],
        scopes_supported: vec!["system/*.rs", "system/*.read"],
        response_types_supported: vec!["token"],
        capabilities: vec![
            "client-confidential-asymmetric",
            "permission-v1",
            "permission-v2",
        ],
    }
}

/// How a trust system signs in (SMART Backend Services), public.
#[utoipa::path(
    tag = "integration-clients",
    security(()),
    responses((status = 200, description = "The SMART configuration", body = SmartConfiguration))
)]
#[get("/.well-known/smart-configuration")]
pub async fn smart_configuration(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok().json(configuration(&req, &state))
}

/// The same document beside the FHIR base, where SMART clients look first.
#[utoipa::path(
    tag = "integration-clients",
    security(()),
    responses((status = 200, description = "The SMART configuration", body = SmartConfiguration))
)]
#[get("/fhir/R4/.well-known/smart-configuration")]
pub async fn fhir_smart_configuration(
    req: HttpRequest,
    state: web::Data<AppState>,
) -> HttpResponse {
    HttpResponse::Ok().json(configuration(&req, &state))
}
