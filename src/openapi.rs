//! The OpenAPI document: the top-level description here, the paths from the
//! handlers' `#[utoipa::path]` as registered in `routes::configure`.
//!
//! The committed `openapi/openapi.json` must equal [`document`]'s output;
//! a test fails when they drift. Regenerate with
//! `cargo run -- openapi > openapi/openapi.json`.

use utoipa::openapi::path::Operation;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{Content, OpenApi as OpenApiDoc, RefOr, Response, ResponseBuilder};
use utoipa::{Modify, OpenApi};
use utoipa_actix_web::AppExt;

use crate::error::{Problem, PROBLEM_JSON};

/// The document's fixed parts.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "peerlog",
        description = "Peer Support Workers on NHS mental-health wards record what they do; \
ward tablets sync it, trust systems pull it, managers report on it. A second module runs \
the trust's Buddy Scheme.\n\nErrors are RFC 9457 `application/problem+json` with a stable \
`code`; validation problems list the failing fields in `errors[].field`. Lists are paginated \
by an opaque `cursor`. Records on a ward outside the caller's assignments answer 404.",
        license(name = "MIT"),
        version = env!("CARGO_PKG_VERSION"),
    ),
    modifiers(&BearerAuth, &CommonProblems),
    components(schemas(
        Problem,
        crate::error::FieldError,
        crate::routes::exports::ExportEnd,
        crate::report_format::ReportFormat,
        crate::models::activity::ActivityKind,
    )),
    tags(
        (name = "auth", description = "Signing in and out; the current user"),
        (name = "wards", description = "Wards and their service lines"),
        (name = "users", description = "Accounts and ward assignments (admin)"),
        (name = "activities", description = "Peer-support activities: record, read, list, amend, void"),
        (name = "service-users", description = "Service users, synchronised from the trust by reference"),
        (name = "vocabulary", description = "Controlled vocabularies for tablet forms"),
        (name = "buddy", description = "The Buddy Scheme: cohorts, students, buddies, pairings, meetings, reflections, feedback and reports"),
        (name = "reports", description = "Reports for managers and team leaders, as JSON or CSV; periods in Europe/London local dates"),
        (name = "sync", description = "Changes feed for ward tablets catching up after being offline"),
        (name = "exports", description = "Incremental NDJSON export of activities for the data warehouse"),
        (name = "events", description = "The activity event feed (outbox) for trust systems"),
        (name = "audit", description = "The append-only audit log (admin)"),
        (name = "health", description = "Liveness, readiness and metrics"),
    ),
    security(("bearer" = []))
)]
pub struct ApiDoc;

/// Adds the bearer JWT security scheme.
struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut OpenApiDoc) {
        let components = openapi.components.get_or_insert_default();
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .description(Some("Access token from POST /api/v1/auth/token"))
                    .build(),
            ),
        );
    }
}

/// Documents the problem answers every operation can give, so no handler
/// has to repeat them: 400/413/415/422 for bad input, 401 for a missing or
/// bad token, 404 for an unknown path, 503 when the database is down, 500
/// for the unexpected.
struct CommonProblems;

fn problem(description: &str) -> RefOr<Response> {
    RefOr::T(
        ResponseBuilder::new()
            .description(description)
            .content(
                PROBLEM_JSON,
                Content::new(Some(RefOr::Ref(utoipa::openapi::Ref::from_schema_name(
                    "Problem",
                )))),
            )
            .build(),
    )
}

fn add_if_missing(op: &mut Operation, status: &str, description: &str) {
    op.responses
        .responses
        .entry(status.to_string())
        .or_insert_with(|| problem(description));
}

impl Modify for CommonProblems {
    fn modify(&self, openapi: &mut OpenApiDoc) {
        for (path, item) in openapi.paths.paths.iter_mut() {
            let is_probe = path == "/health" || path == "/metrics";
            let ops = [
                item.get.as_mut(),
                item.post.as_mut(),
                item.put.as_mut(),
                item.patch.as_mut(),
                item.delete.as_mut(),
            ];
            for op in ops.into_iter().flatten() {
                let public = op.security.as_ref().is_some_and(|s| {
                    s.iter().all(|req| {
                        serde_json::to_value(req).is_ok_and(|v| v == serde_json::json!({}))
                    })
                });
                let has_params = op.parameters.as_ref().is_some_and(|p| !p.is_empty());
                if op.request_body.is_some() {
                    add_if_missing(op, "400", "Malformed JSON");
                    add_if_missing(op, "413", "Body too large");
                    add_if_missing(op, "415", "Body is not application/json");
                    add_if_missing(op, "422", "Fields missing or not valid");
                    add_if_missing(
                        op,
                        "503",
                        "Database unavailable, or too many request bodies in flight (`server_busy`, with `Retry-After`)",
                    );
                }
                if has_params || path.contains('{') {
                    add_if_missing(op, "400", "Bad path or query parameter");
                }
                let has_cursor = op
                    .parameters
                    .as_ref()
                    .is_some_and(|ps| ps.iter().any(|p| p.name == "cursor"));
                if has_cursor {
                    add_if_missing(op, "422", "The cursor is not one this service issued");
                }
                let has_query = op.parameters.as_ref().is_some_and(|ps| {
                    ps.iter().any(|p| {
                        matches!(p.parameter_in, utoipa::openapi::path::ParameterIn::Query)
                    })
                });
                if has_query {
                    add_if_missing(op, "422", "A query parameter holds a NUL character");
                }
                if !public {
                    add_if_missing(op, "401", "Missing, expired or invalid access token");
                }
                if !is_probe {
                    add_if_missing(op, "500", "Unexpected error (quote the request id)");
                    add_if_missing(op, "503", "Database unavailable");
                }
            }
        }
    }
}

/// The complete document, exactly as served at `/openapi.json`.
pub fn document() -> OpenApiDoc {
    let (_, mut api) = actix_web::App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .configure(crate::routes::configure)
        .split_for_parts();
    // Modifiers run before the paths are merged in; run the per-operation
    // one again over the full document.
    CommonProblems.modify(&mut api);
    name_activity_kinds(&mut api);
    api
}

/// Gives each variant of the `ActivityDetails` union a named schema
/// (`EscortedLeaveKind`, …) and a discriminator on `kind`, so a generated
/// client gets one type per kind. utoipa writes adjacently tagged variants
/// inline, which generators cannot map.
fn name_activity_kinds(api: &mut OpenApiDoc) {
    use utoipa::openapi::schema::{Discriminator, Schema};
    let Some(components) = api.components.as_mut() else {
        return;
    };
    let Some(RefOr::T(Schema::OneOf(union))) = components.schemas.get_mut("ActivityDetails") else {
        return;
    };
    let mut mapping = Vec::new();
    let mut named = Vec::new();
    for item in std::mem::take(&mut union.items) {
        let RefOr::T(Schema::Object(variant)) = &item else {
            union.items.push(item);
            continue;
        };
        let details = match variant.properties.get("details") {
            Some(RefOr::Ref(r)) => r.ref_location.rsplit('/').next().map(str::to_string),
            _ => None,
        };
        let kind = match variant.properties.get("kind") {
            Some(RefOr::T(Schema::Object(k))) => k
                .enum_values
                .as_ref()
                .and_then(|v| v.first())
                .and_then(|v| v.as_str())
                .map(str::to_string),
            _ => None,
        };
        let (Some(details), Some(kind)) = (details, kind) else {
            union.items.push(item);
            continue;
        };
        let name = format!("{details}Kind");
        let reference = format!("#/components/schemas/{name}");
        union
            .items
            .push(RefOr::Ref(utoipa::openapi::Ref::new(reference.clone())));
        mapping.push((kind, reference));
        named.push((name, item));
    }
    union.discriminator = Some(Discriminator::with_mapping("kind", mapping));
    for (name, schema) in named {
        components.schemas.insert(name, schema);
    }
}

/// The document as committed: pretty JSON with a trailing newline.
pub fn document_json() -> String {
    let mut json = document()
        .to_pretty_json()
        .expect("the OpenAPI document serialises");
    json.push('\n');
    json
}
