//! `GET /fhir/R4/{type}?…`: search, as a searchset Bundle with keyset
//! `next` links.

use actix_web::{get, web, HttpRequest};

use super::{base_url, caller, ok_text, resource_type, server, FhirApiError, FhirRouteResult};
use crate::auth::CurrentUser;
use crate::domain::fhir::{search, FhirError};
use crate::error::ApiError;
use crate::fhir::search::SearchError;
use crate::state::AppState;

/// A page of matches within the caller's wards. An unknown parameter, a
/// malformed date and a `_count` out of 1–200 are 400 OperationOutcomes.
#[utoipa::path(
    tag = "fhir",
    params(("type" = String, Path, pattern = "^[A-Z][A-Za-z]+$", description = "Resource type")),
    responses(
        (status = 200, description = "searchset Bundle", content_type = "application/fhir+json", body = Object),
        (status = 400, description = "A search parameter not served or malformed (OperationOutcome)", content_type = "application/fhir+json", body = Object),
        (status = 401, description = "No valid bearer token (OperationOutcome)", content_type = "application/fhir+json", body = Object),
        (status = 403, description = "The role may not read this type (OperationOutcome)", content_type = "application/fhir+json", body = Object),
        (status = 404, description = "A resource type not served (OperationOutcome)", content_type = "application/fhir+json", body = Object),
    )
)]
#[get("/{type}")]
pub async fn search_type(
    state: web::Data<AppState>,
    user: Result<CurrentUser, ApiError>,
    req: HttpRequest,
    path: web::Path<String>,
) -> FhirRouteResult {
    let (user, caller) = caller(user)?;
    let t = resource_type(&path)?;
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_str(req.query_string()).map_err(|_| {
            FhirApiError::from(FhirError::Search(SearchError {
                param: "query".into(),
                message: "not a valid query string".into(),
            }))
        })?;
    let base = base_url(&req);
    let mut conn = user.conn(&state.pool).await?;
    Ok(ok_text(
        search::search(&mut conn, &caller, &server(&state, &base), t, &pairs).await?,
    ))
}
