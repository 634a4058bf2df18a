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
        crate::domain::activities::rules::RecordRules,
    )),
    tags(
        (name = "auth", description = "Signing in and out; the current user"),
        (name = "wards", description = "Wards and their service lines"),
        (name = "users", description = "Accounts and ward assignments (admin)"),
        (name = "fhir-bulk", description = "FHIR Bulk Data export (Bulk Data Access IG v2): kick-off, status, files, cancel"),
        (name = "integration-clients", description = "Trust systems signing in with SMART Backend Services: registration (admin), the token endpoint, the SMART configuration"),
        (name = "tablets", description = "The trust's ward tablets as known devices: an admin enrols, lists, relabels and revokes them; sign-ins on an enrolled tablet are throttled per person, never by the address"),
        (name = "activities", description = "Peer-support activities: record, read, list, amend, void"),
        (name = "leave", description = "Escorted leave as it happens: planned, authorised by a nurse on the ward, out, returned (recording the activity), or cancelled"),
        (name = "service-users", description = "Service users, synchronised from the trust by reference"),
        (name = "vocabulary", description = "Controlled vocabularies for tablet forms"),
        (name = "buddy", description = "The Buddy Scheme: cohorts, students, buddies, pairings, meetings, reflections, feedback and reports"),
        (name = "reports", description = "Reports for managers and team leaders, as JSON or CSV; periods in Europe/London local dates"),
        (name = "measures", description = "The person's own voice and outcome measures: definitions as data, answers locked on submit and reported only in aggregate"),
        (name = "sync", description = "Changes feed for ward tablets catching up after being offline"),
        (name = "exports", description = "Incremental NDJSON export of activities for the data warehouse"),
        (name = "events", description = "The activity event feed (outbox) for trust systems"),
        (name = "audit", description = "The append-only audit log (admin)"),
        (name = "health", description = "Liveness, readiness and metrics"),
    ),
    security(("bearer" = []), ("provider" = []))
)]
pub struct ApiDoc;

/// Adds the two bearer security schemes: peerlog's own access tokens and
/// tokens from the trust's OpenID Connect provider. Either is accepted.
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
                    .description(Some(
                        "peerlog's own access token (HS256, tied to a sign-in that logout ends at \
once), from POST /api/v1/auth/token (password), POST /api/v1/auth/oidc/token (a token from the \
trust's identity provider) or POST /api/v1/auth/refresh",
                    ))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "provider",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .description(Some(
                        "A token from the trust's OpenID Connect provider (`PEERLOG_OIDC_ISSUER`; \
discovery at `<issuer>/.well-known/openid-configuration`), signed RS256, PS256 or ES256 by a key \
of its JWKS, `aud` one of `PEERLOG_OIDC_AUDIENCE`, naming a person linked to a peerlog account \
by `external_id`. `GET /api/v1/app-config` tells a client the provider's endpoints.",
                    ))
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
    let mut api = split_activity_unions(api);
    // The cross-field rules of a record, as data (shape: the `RecordRules`
    // schema), so a form can refuse what the server would refuse.
    let rules = serde_json::to_value(crate::domain::activities::rules::record_rules())
        .expect("the rules serialise");
    api.extensions
        .get_or_insert_default()
        .insert("x-record-rules".to_string(), rules);
    api
}

/// Reshapes the activity schemas for client generators. utoipa writes an
/// activity as `allOf: [ActivityDetails, common fields]`, where
/// `ActivityDetails` is a `oneOf` of `{kind, details}` pairs. Generators
/// cannot use that shape (openapi-python-client drops every schema that
/// touches it; openapi-typescript reads the `allOf` as a subtype named after
/// itself), so each union becomes one full object schema per kind —
/// `NewOneToOneActivity`, `OneToOneActivity`, … — with the common fields,
/// `kind` as a single-value enum and the kind's own `details`, gathered in a
/// `oneOf` with a discriminator mapping. Inline copies (in `Page_Activity`)
/// become references. The JSON on the wire is the same.
fn split_activity_unions(api: OpenApiDoc) -> OpenApiDoc {
    use serde_json::{json, Map, Value};
    let mut doc = serde_json::to_value(&api).expect("the document serialises");
    let schemas = doc["components"]["schemas"]
        .as_object_mut()
        .expect("the document has schemas");
    let Some(details_union) = schemas.remove("ActivityDetails") else {
        return api;
    };
    // (kind, details schema reference, the kind's description), in the
    // union's order. Each variant is `{kind: enum [k], details: $ref}`.
    let kinds: Vec<(String, Value, String)> = details_union["oneOf"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|variant| {
            let kind = variant["properties"]["kind"]["enum"][0].as_str()?;
            let details = variant["properties"]["details"]["$ref"].as_str()?;
            let about = variant["description"].as_str().unwrap_or_default();
            Some((
                kind.to_string(),
                json!({ "$ref": details }),
                about.to_string(),
            ))
        })
        .collect();
    let mut inline: Vec<(Value, String)> = Vec::new();
    for (base, prefix, new) in [("NewActivity", "New", true), ("Activity", "", false)] {
        let Some(original) = schemas.remove(base) else {
            continue;
        };
        let common = original["allOf"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|part| part.get("$ref").is_none())
            .cloned()
            .unwrap_or_default();
        let mut refs = Vec::new();
        let mut mapping = Map::new();
        for (kind, details, about) in &kinds {
            let name = match details["$ref"].as_str().and_then(|r| r.rsplit('/').next()) {
                Some(details_name) => format!("{prefix}{details_name}Activity"),
                None => continue,
            };
            let mut properties = Map::new();
            properties.insert("kind".into(), json!({ "type": "string", "enum": [kind] }));
            if let Some(fields) = common["properties"].as_object() {
                properties.extend(fields.clone());
            }
            properties.insert("details".into(), details.clone());
            let mut required = vec![json!("kind")];
            required.extend(common["required"].as_array().cloned().unwrap_or_default());
            required.push(json!("details"));
            let what = if new { "A new" } else { "An" };
            let mut schema = json!({
                "type": "object",
                "description": format!("{what} activity of kind `{kind}`: {}", lower_first(about)),
                "required": required,
                "properties": properties,
            });
            if new {
                // The service refuses fields it does not know.
                schema["additionalProperties"] = json!(false);
                name_people_as_the_kind_does(&mut schema, kind);
            }
            let reference = format!("#/components/schemas/{name}");
            refs.push(json!({ "$ref": reference }));
            mapping.insert(kind.clone(), json!(reference));
            schemas.insert(name, schema);
        }
        let mut union = json!({
            "oneOf": refs,
            "discriminator": { "propertyName": "kind", "mapping": mapping },
        });
        if let Some(description) = original.get("description") {
            union["description"] = description.clone();
        }
        inline.push((
            original["allOf"].clone(),
            format!("#/components/schemas/{base}"),
        ));
        schemas.insert(base.to_string(), union);
    }
    // The per-kind wrappers (`OneToOneKind`, …) served only the old union.
    let wrappers: Vec<String> = schemas
        .iter()
        .filter(|(name, schema)| {
            name.ends_with("Kind") && schema["properties"].get("details").is_some()
        })
        .map(|(name, _)| name.clone())
        .collect();
    for name in wrappers {
        schemas.remove(&name);
    }
    replace_inline_copies(&mut doc, &inline);
    serde_json::from_value(doc).expect("the reshaped document is an OpenAPI document")
}

/// States how many service users a new activity of this kind names, so a
/// form or a client knows before the server says so: none for staff
/// support, exactly one for a one-to-one or a suicide-prevention
/// conversation, at least one for most kinds.
fn name_people_as_the_kind_does(schema: &mut serde_json::Value, kind: &str) {
    use crate::domain::activities::check::SERVICE_USERS_MAX;
    use crate::domain::activities::kinds::Involvement;
    use crate::models::activity::ActivityKind;
    use serde_json::json;
    let Some(kind) = ActivityKind::parse(kind) else {
        return;
    };
    let (min, max) = match kind.involvement() {
        Involvement::None => (0, 0),
        Involvement::One => (1, 1),
        Involvement::AtLeastOne => (1, SERVICE_USERS_MAX),
        Involvement::Any => (0, SERVICE_USERS_MAX),
    };
    let people = &mut schema["properties"]["service_user_ids"];
    people["minItems"] = json!(min);
    people["maxItems"] = json!(max);
    if min > 0 {
        if let Some(required) = schema["required"].as_array_mut() {
            let at = required.len().saturating_sub(1);
            required.insert(at, json!("service_user_ids"));
        }
    }
}

/// Replaces every schema that is one of `inline`'s `allOf` lists with a
/// reference to the named schema.
fn replace_inline_copies(node: &mut serde_json::Value, inline: &[(serde_json::Value, String)]) {
    use serde_json::Value;
    match node {
        Value::Object(map) => {
            if let Some(all_of) = map.get("allOf") {
                if let Some((_, reference)) = inline.iter().find(|(list, _)| list == all_of) {
                    *node = serde_json::json!({ "$ref": reference });
                    return;
                }
            }
            for child in map.values_mut() {
                replace_inline_copies(child, inline);
            }
        }
        Value::Array(items) => {
            for child in items {
                replace_inline_copies(child, inline);
            }
        }
        _ => {}
    }
}

/// "Therapeutic …" → "therapeutic …", for joining a doc line into a sentence.
fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
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
