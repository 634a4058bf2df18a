//! `GET /fhir/R4/$export` and `GET /fhir/R4/Group/{id}/$export`: the
//! Bulk Data kick-off. Answers 202 with the status URL in
//! `Content-Location`; the export then runs in the background.

use actix_web::http::header::CONTENT_LOCATION;
use actix_web::http::StatusCode;
use actix_web::{get, web, HttpRequest, HttpResponse};
use uuid::Uuid;

use super::outcome::{self, issue};
use crate::auth::{public_url, CurrentUser};
use crate::domain::bulk_export::{self, KickOff};
use crate::error::ApiError;
use crate::state::AppState;

/// The kick-off parameters of the IG this server reads; any other is
/// refused rather than silently ignored (`_typeFilter`, `_elements`,
/// `patient`, `includeAssociatedData` are not supported).
fn read_query(req: &HttpRequest) -> Result<KickOff, Box<HttpResponse>> {
    let mut input = KickOff::default();
    for (name, value) in form_urlencoded::parse(req.query_string().as_bytes()) {
        match name.as_ref() {
            "_type" => {
                let joined = match input.types.take() {
                    Some(t) => format!("{t},{value}"),
                    None => value.into_owned(),
                };
                input.types = Some(joined);
            }
            "_since" => input.since = Some(value.into_owned()),
            "_outputFormat" => input.output_format = Some(value.into_owned()),
            other => {
                return Err(Box::new(issue(
                    StatusCode::BAD_REQUEST,
                    "not-supported",
                    &format!("The parameter {other:?} is not supported by this server."),
                    Some(other),
                )))
            }
        }
    }
    let prefer = req.headers().get("prefer").and_then(|v| v.to_str().ok());
    if prefer.is_some_and(|p| !p.contains("respond-async")) {
        return Err(Box::new(issue(
            StatusCode::BAD_REQUEST,
            "not-supported",
            "Bulk export is asynchronous only: send Prefer: respond-async.",
            Some("Prefer"),
        )));
    }
    Ok(input)
}

/// Records the job and answers 202 with its status URL.
async fn start(
    req: &HttpRequest,
    state: &AppState,
    user: Result<CurrentUser, ApiError>,
    group_id: Option<Uuid>,
) -> HttpResponse {
    // Who first: a request without a valid token learns nothing else.
    let (user, mut conn) = match super::caller_and_conn(state, user).await {
        Ok(pair) => pair,
        Err(res) => return *res,
    };
    let mut input = match read_query(req) {
        Ok(i) => i,
        Err(res) => return *res,
    };
    let base = public_url::of(req, state);
    input.request_url = format!("{base}{}", req.uri());
    input.group_id = group_id;
    match bulk_export::kick_off(&mut conn, &user.actor(), input).await {
        Ok(job) => HttpResponse::Accepted()
            .insert_header((
                CONTENT_LOCATION,
                format!("{base}{}", super::status_path(job.id)),
            ))
            .finish(),
        Err(e) => outcome::from_domain(e),
    }
}

/// Starts a Bulk Data export of everything the caller may read
/// (`_type`, `_since`, `_outputFormat=application/fhir+ndjson`; send
/// `Prefer: respond-async`). A Backend Services client exports only the
/// types its scopes grant and only its wards.
#[utoipa::path(
    tag = "fhir-bulk",
    params(
        ("_type" = Option<String>, Query, pattern = "^(Patient|Encounter|Procedure|Group|Location|Organization)(,(Patient|Encounter|Procedure|Group|Location|Organization))*$", description = "Comma-separated: Patient, Encounter, Procedure, Group, Location, Organization"),
        ("_since" = Option<chrono::DateTime<chrono::Utc>>, Query, description = "A FHIR instant; a previous export's transactionTime gives every change after it exactly once"),
        ("_outputFormat" = Option<String>, Query, pattern = "^(application/fhir\\+ndjson|application/ndjson|ndjson)$", description = "application/fhir+ndjson"),
    ),
    responses(
        (status = 202, description = "Started; poll the Content-Location URL"),
        (status = 400, description = "OperationOutcome: a parameter is not valid or not supported", content_type = "application/fhir+json"),
        (status = 401, description = "OperationOutcome: no valid bearer token", content_type = "application/fhir+json"),
        (status = 403, description = "OperationOutcome: the role or scopes do not allow a type asked for", content_type = "application/fhir+json"),
    )
)]
#[get("/fhir/R4/$export")]
pub async fn export_everything(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: Result<CurrentUser, ApiError>,
) -> HttpResponse {
    start(&req, &state, user, None).await
}

/// Starts a Bulk Data export of one group session's members: their
/// Patients and every activity they are in (same parameters).
#[utoipa::path(
    tag = "fhir-bulk",
    params(
        ("id" = String, Path, description = "The Group's id (a group session's)"),
        ("_type" = Option<String>, Query, pattern = "^(Patient|Encounter|Procedure|Group|Location|Organization)(,(Patient|Encounter|Procedure|Group|Location|Organization))*$", description = "Comma-separated resource types"),
        ("_since" = Option<chrono::DateTime<chrono::Utc>>, Query, description = "A FHIR instant"),
        ("_outputFormat" = Option<String>, Query, pattern = "^(application/fhir\\+ndjson|application/ndjson|ndjson)$", description = "application/fhir+ndjson"),
    ),
    responses(
        (status = 202, description = "Started; poll the Content-Location URL"),
        (status = 400, description = "OperationOutcome: a parameter is not valid or not supported", content_type = "application/fhir+json"),
        (status = 401, description = "OperationOutcome: no valid bearer token", content_type = "application/fhir+json"),
        (status = 403, description = "OperationOutcome: the role or scopes do not allow a type asked for", content_type = "application/fhir+json"),
        (status = 404, description = "OperationOutcome: no such Group on the caller's wards", content_type = "application/fhir+json"),
    )
)]
#[get("/fhir/R4/Group/{id}/$export")]
pub async fn export_group(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: Result<CurrentUser, ApiError>,
    id: web::Path<String>,
) -> HttpResponse {
    match Uuid::parse_str(&id) {
        Ok(group) => start(&req, &state, user, Some(group)).await,
        Err(_) => issue(StatusCode::NOT_FOUND, "not-found", "No such Group.", None),
    }
}
