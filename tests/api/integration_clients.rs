//! `/api/v1/integration-clients`: an admin registers a trust system for
//! Backend Services sign-in; bad registrations are refused field by field
//! and nothing is half-written; only admins may do it.

use peerlog::auth::Role;
use serde_json::json;

use crate::common::smart::{self, rs384};

#[actix_web::test]
async fn an_admin_registers_a_client_with_its_account_wards_and_audit_row() {
    let app = smart::smart_app().await;
    let admin = app.user(Role::Admin, &[]).await;
    let ward = app
        .ward("ASH", peerlog::models::ward::ServiceLine::Adult)
        .await;
    let key = rs384("k1");
    let client = app
        .register_client(
            &admin.token,
            "rio-epr",
            &[&key],
            &["system/Encounter.rs"],
            &[ward],
        )
        .await;
    assert_eq!(client["client_id"], "rio-epr");
    assert_eq!(client["trust_wide"], false);
    assert_eq!(client["ward_ids"], json!([ward]));
    assert_eq!(client["scopes"], json!(["system/Encounter.rs"]));
    let account = app
        .get(
            &format!("/api/v1/users/{}", client["user_id"].as_str().unwrap()),
            &admin.token,
        )
        .await;
    account.assert_status(200);
    assert_eq!(account.json()["role"], "integration");
    assert_eq!(account.json()["username"], "client.rio-epr");
    assert_eq!(app.audit_count("create", "integration_client").await, 1);
    let id = client["id"].as_str().unwrap();
    let read = app
        .get(&format!("/api/v1/integration-clients/{id}"), &admin.token)
        .await;
    read.assert_status(200);
    assert_eq!(read.json()["jwks"]["keys"][0]["kid"], "k1");

    let again = app
        .post(
            "/api/v1/integration-clients",
            &admin.token,
            &json!({ "client_id": "rio-epr", "display_name": "again", "jwks": { "keys": [key.jwk] },
                     "scopes": ["system/*.rs"], "trust_wide": true }),
        )
        .await;
    again.assert_problem(409, "client_id_taken");
}

#[actix_web::test]
async fn bad_registrations_name_every_field_and_write_nothing() {
    let app = smart::smart_app().await;
    let admin = app.user(Role::Admin, &[]).await;
    let mut private = rs384("k").jwk;
    private["d"] = json!("AQAB");
    let res = app
        .post(
            "/api/v1/integration-clients",
            &admin.token,
            &json!({
                "client_id": "Bad Id!", "display_name": "",
                "jwks": { "keys": [private] },
                "scopes": ["system/*.write", "patient/Encounter.rs"],
                "trust_wide": true, "ward_ids": [uuid::Uuid::now_v7()],
            }),
        )
        .await;
    res.assert_problem(422, "validation_failed");
    let mut fields = res.error_fields();
    fields.sort();
    assert_eq!(
        fields,
        [
            "client_id",
            "display_name",
            "jwks",
            "scopes[0]",
            "scopes[1]",
            "ward_ids"
        ]
    );
    for (body, field) in [
        (
            json!({ "jwks_url": "http://keys.example.com/jwks" }),
            "jwks_url",
        ),
        (
            json!({ "jwks_url": "https://k.example/jwks", "jwks": { "keys": [rs384("x").jwk] } }),
            "jwks",
        ),
        (json!({ "jwks": { "keys": [] } }), "jwks"),
    ] {
        let mut full = json!({ "client_id": "sys", "display_name": "S", "scopes": ["system/*.rs"], "trust_wide": true });
        full.as_object_mut()
            .unwrap()
            .extend(body.as_object().unwrap().clone());
        let res = app
            .post("/api/v1/integration-clients", &admin.token, &full)
            .await;
        res.assert_problem(422, "validation_failed");
        assert_eq!(res.error_fields(), [field], "{full}");
    }
    // Neither wards nor trust-wide; an unknown ward.
    let res = app
        .post(
            "/api/v1/integration-clients",
            &admin.token,
            &json!({ "client_id": "sys", "display_name": "S", "jwks": { "keys": [rs384("x").jwk] },
                     "scopes": ["system/*.rs"], "ward_ids": [uuid::Uuid::now_v7()] }),
        )
        .await;
    res.assert_problem(422, "validation_failed");
    assert_eq!(res.error_fields(), ["ward_ids[0]"]);
    assert_eq!(app.audit_count("create", "integration_client").await, 0);
    let list = app.get("/api/v1/integration-clients", &admin.token).await;
    assert_eq!(list.json()["items"], json!([]));
}

#[actix_web::test]
async fn only_admins_register_or_read_clients() {
    let app = smart::smart_app().await;
    let manager = app.user(Role::Manager, &[]).await;
    let integration = app.user(Role::Integration, &[]).await;
    for who in [&manager, &integration] {
        app.get("/api/v1/integration-clients", &who.token)
            .await
            .assert_problem(403, "forbidden");
        app.post(
            "/api/v1/integration-clients",
            &who.token,
            &json!({ "client_id": "sys", "display_name": "S", "jwks": { "keys": [rs384("x").jwk] },
                     "scopes": ["system/*.rs"], "trust_wide": true }),
        )
        .await
        .assert_problem(403, "forbidden");
    }
}

#[actix_web::test]
async fn the_smart_configuration_names_what_is_served() {
    let app = smart::smart_app().await;
    for path in [
        "/.well-known/smart-configuration",
        "/fhir/R4/.well-known/smart-configuration",
    ] {
        let res = app
            .send(crate::common::TestApp::req(
                actix_web::http::Method::GET,
                path,
                None,
            ))
            .await;
        res.assert_status(200);
        let doc = res.json();
        assert_eq!(doc["token_endpoint"], smart::TOKEN_URL);
        assert_eq!(doc["grant_types_supported"], json!(["client_credentials"]));
        assert_eq!(
            doc["token_endpoint_auth_methods_supported"],
            json!(["private_key_jwt"])
        );
        let algs = doc["token_endpoint_auth_signing_alg_values_supported"]
            .as_array()
            .unwrap();
        assert!(algs.contains(&json!("RS384")) && algs.contains(&json!("ES384")));
        assert!(doc["capabilities"]
            .as_array()
            .unwrap()
            .contains(&json!("client-confidential-asymmetric")));
    }
}
