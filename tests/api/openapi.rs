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
    assert_eq!(
        doc["components"]["securitySchemes"]["bearer"]["scheme"],
        "bearer"
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
            if path.starts_with("/api/v1/")
                && path != "/api/v1/auth/token"
                && path != "/api/v1/auth/refresh"
                && path != "/api/v1/auth/logout"
            {
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
