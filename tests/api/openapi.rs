//! The committed OpenAPI document is the one the code serves.

use actix_web::http::Method;

use crate::common::TestApp;

#[actix_web::test]
async fn committed_document_matches_the_code() {
    let committed =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/openapi/openapi.json"))
            .expect("openapi/openapi.json exists");
    let generated = peerlog::openapi::document_json();
    assert!(
        committed == generated,
        "openapi/openapi.json is out of date: run `cargo run -- openapi > openapi/openapi.json`"
    );
}

#[actix_web::test]
async fn the_served_document_is_the_committed_one() {
    let app = TestApp::new().await;
    let res = app
        .send(TestApp::req(Method::GET, "/openapi.json", None))
        .await;
    res.assert_status(200);
    let served = res.json();
    let committed: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/openapi/openapi.json"))
            .unwrap(),
    )
    .unwrap();
    assert_eq!(served, committed);
}

#[actix_web::test]
async fn every_operation_documents_its_problems_and_security() {
    let doc = serde_json::to_value(peerlog::openapi::document()).unwrap();
    // Both kinds of token: peerlog's own, and the trust's provider's.
    for scheme in ["bearer", "provider"] {
        assert_eq!(
            doc["components"]["securitySchemes"][scheme]["scheme"],
            "bearer"
        );
    }
    assert_eq!(
        doc["security"],
        serde_json::json!([{ "bearer": [] }, { "provider": [] }])
    );
    // Enumerations show the values the API takes, not the Rust names.
    assert_eq!(
        doc["components"]["schemas"]["Role"]["enum"][0],
        "peer_support_worker"
    );
    assert_eq!(
        doc["components"]["schemas"]["ServiceLine"]["enum"][2],
        "older_adult"
    );
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let responses = op["responses"].as_object().unwrap();
            // Sign-in, the app's settings and calendar subscriptions are
            // public, and say so.
            let public = op["security"] == serde_json::json!([{}]);
            if public && path.starts_with("/api/v1/") {
                assert!(
                    [
                        "/api/v1/auth/token",
                        "/api/v1/auth/refresh",
                        "/api/v1/auth/logout",
                        "/api/v1/auth/oidc/token",
                        // A tablet typing its enrolment code (the code is the
                        // credential), or asking whether it is enrolled.
                        "/api/v1/auth/tablet",
                        "/api/v1/app-config",
                        // A calendar subscription: the secret in the path is the credential.
                        "/api/v1/buddy/calendar/{token}.ics"
                    ]
                    .contains(&path.as_str()),
                    "{method} {path} is public"
                );
            }
            if path.starts_with("/api/v1/") && !public {
                assert!(responses.contains_key("401"), "{method} {path} lacks 401");
            }
            if op.get("requestBody").is_some() {
                for status in ["400", "415", "422"] {
                    assert!(
                        responses.contains_key(status),
                        "{method} {path} lacks {status}"
                    );
                }
            }
        }
    }
}

#[actix_web::test]
async fn every_schema_reference_resolves() {
    let doc = serde_json::to_value(peerlog::openapi::document()).unwrap();
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    let text = doc.to_string();
    let mut missing: Vec<&str> = text
        .split("\"$ref\":\"#/components/schemas/")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .filter(|name| !schemas.contains_key(*name))
        .collect();
    missing.dedup();
    assert!(
        missing.is_empty(),
        "unresolved schema references: {missing:?}"
    );
    assert_eq!(schemas["ActivityKind"]["enum"][0], "escorted_leave");
}

#[actix_web::test]
async fn each_activity_kind_is_a_full_object_schema_for_client_generators() {
    let doc = serde_json::to_value(peerlog::openapi::document()).unwrap();
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    let kinds = schemas["ActivityKind"]["enum"].as_array().unwrap();
    for (union, prefix, common) in [
        (
            "NewActivity",
            "New",
            vec!["id", "ward_id", "started_at", "note"],
        ),
        (
            "Activity",
            "",
            vec!["id", "recorded_by", "version", "status"],
        ),
    ] {
        let mapping = schemas[union]["discriminator"]["mapping"]
            .as_object()
            .unwrap_or_else(|| panic!("{union} has a discriminator mapping"));
        assert_eq!(schemas[union]["discriminator"]["propertyName"], "kind");
        assert_eq!(mapping.len(), kinds.len(), "{union} maps every kind");
        assert_eq!(
            schemas[union]["oneOf"].as_array().unwrap().len(),
            kinds.len()
        );
        assert!(schemas[union].get("allOf").is_none());
        for kind in kinds {
            let kind = kind.as_str().unwrap();
            let reference = mapping[kind].as_str().unwrap();
            let name = reference.rsplit('/').next().unwrap();
            assert!(
                name.starts_with(prefix) && name.ends_with("Activity"),
                "{name}"
            );
            let schema = &schemas[name];
            assert_eq!(schema["type"], "object", "{name}");
            assert_eq!(
                schema["properties"]["kind"]["enum"],
                serde_json::json!([kind])
            );
            let details = schema["properties"]["details"]["$ref"].as_str().unwrap();
            assert!(schemas.contains_key(details.rsplit('/').next().unwrap()));
            let required = schema["required"].as_array().unwrap();
            for field in ["kind", "details"] {
                assert!(required.contains(&field.into()), "{name} requires {field}");
            }
            for field in &common {
                assert!(
                    schema["properties"].get(field).is_some(),
                    "{name} has {field}"
                );
            }
        }
    }
    // No schema joins the unions with `allOf` any more (generators cannot
    // take allOf of a oneOf), and the old union of kinds is gone.
    assert!(!schemas.contains_key("ActivityDetails"));
    let text = doc.to_string();
    for part in text.split("\"allOf\":").skip(1) {
        let list = part.split(']').next().unwrap();
        for union in ["NewActivity\"", "/Activity\"", "ActivityDetails"] {
            assert!(!list.contains(union), "allOf over {union}: {list}");
        }
    }
    // How many service users each kind names, before the server has to say so.
    let people = |name: &str| schemas[name]["properties"]["service_user_ids"].clone();
    assert_eq!(
        (
            people("NewOneToOneActivity")["minItems"].clone(),
            people("NewOneToOneActivity")["maxItems"].clone()
        ),
        (1.into(), 1.into())
    );
    assert!(schemas["NewOneToOneActivity"]["required"]
        .as_array()
        .unwrap()
        .contains(&"service_user_ids".into()));
    assert_eq!(people("NewStaffSupportActivity")["maxItems"], 0);
    assert_eq!(people("NewAdvocacyActivity")["minItems"], 1);
    assert_eq!(schemas["OneToOne"]["properties"]["topics"]["maxItems"], 10);
    assert_eq!(
        schemas["Page_Activity"]["properties"]["items"]["items"]["$ref"],
        "#/components/schemas/Activity"
    );
}

/// Every problem status an operation answers is one its documentation
/// lists. Each operation is probed by several roles with what a fuzzer or
/// an attacker sends: no token, a forged token, a NUL in an unknown query
/// key, bad query values, malformed, mistyped, oversize and wrongly typed
/// bodies, ids that do not exist, and a body arriving while the in-flight
/// bound is full.
#[actix_web::test]
async fn every_status_an_operation_answers_to_hostile_input_is_documented() {
    use peerlog::auth::Role;

    let app = TestApp::with_config(|c| {
        c.max_body_bytes = 2048;
        c.max_inflight_body_bytes = 4096;
    })
    .await;
    let ward = app
        .ward("ASH", peerlog::models::ward::ServiceLine::Adult)
        .await;
    let mut tokens = vec![None, Some("not-a-token".to_string())];
    for role in [
        Role::Admin,
        Role::PeerSupportWorker,
        Role::BuddyCoordinator,
        Role::Integration,
        Role::Manager,
    ] {
        tokens.push(Some(app.user(role, &[ward]).await.token));
    }
    let doc = serde_json::to_value(peerlog::openapi::document()).unwrap();
    let id = uuid::Uuid::new_v4().to_string();
    let mut undocumented = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        let concrete: String = path
            .split('/')
            .map(|seg| {
                if seg.starts_with('{') {
                    id.as_str()
                } else {
                    seg
                }
            })
            .collect::<Vec<_>>()
            .join("/");
        for (method, op) in item.as_object().unwrap() {
            let documented = op["responses"].as_object().unwrap();
            let method: Method = method.to_uppercase().parse().unwrap();
            let has_body = op.get("requestBody").is_some();
            let queries = ["", "?%00=1", "?limit=abc&cursor=zzz&from=x", "?limit=1"];
            let bodies: Vec<(&str, String)> = if has_body {
                vec![
                    ("application/json", "{}".into()),
                    ("application/json", "{\"a\":".into()),
                    ("application/json", "[0,0,0]".into()),
                    ("application/json", "{\"x\\u0000\":1}".into()),
                    ("application/json", format!("[{}0]", "0,".repeat(2000))),
                    ("text/plain", "{}".into()),
                ]
            } else {
                vec![("", String::new())]
            };
            let mut probe = |status: u16, what: String| {
                if status >= 400 && !documented.contains_key(&status.to_string()) {
                    undocumented.push(format!("{method} {path} answered {status} to {what}"));
                }
            };
            for token in &tokens {
                for query in queries {
                    for (content_type, body) in &bodies {
                        let mut req = TestApp::req(
                            method.clone(),
                            &format!("{concrete}{query}"),
                            token.as_deref(),
                        )
                        .insert_header(("if-match", "\"v1\""));
                        if !content_type.is_empty() {
                            req = req
                                .insert_header(("content-type", *content_type))
                                .set_payload(body.clone());
                        }
                        let res = app.send(req).await;
                        let what = format!("{query} {content_type} {:.20}", body);
                        probe(res.status.as_u16(), what);
                    }
                }
                if has_body {
                    let held = app.state.body_budget.try_reserve(4000).unwrap();
                    let req = TestApp::req(method.clone(), &concrete, token.as_deref())
                        .insert_header(("content-type", "application/json"))
                        .set_payload("{\"reason\":\"a body while others are in flight\"}");
                    probe(app.send(req).await.status.as_u16(), "in flight".into());
                    drop(held);
                }
            }
        }
    }
    assert!(
        undocumented.is_empty(),
        "{} undocumented answers:\n{}",
        undocumented.len(),
        undocumented.join("\n")
    );
}
