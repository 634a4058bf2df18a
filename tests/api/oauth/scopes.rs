//! What a Backend Services token may do: only the scopes registered for
//! its client are granted, and the FHIR read API holds the token to them
//! and to the client's wards.

use peerlog::auth::Role;
use serde_json::json;

use super::token::{assert_refused, registered};
use crate::common::smart::{self, claims, form, rs384, sign};

#[actix_web::test]
async fn a_scope_not_granted_is_refused() {
    let app = smart::smart_app().await;
    let admin = app.user(Role::Admin, &[]).await;
    let key = rs384("k");
    app.register_client(
        &admin.token,
        "enc-only",
        &[&key],
        &["system/Encounter.rs"],
        &[],
    )
    .await;
    for scope in [
        "system/Patient.rs",
        "system/*.rs",
        "system/Encounter.cruds",
        "user/*.read",
        "",
    ] {
        let res = app
            .token_request(&form(&sign(&key, &claims("enc-only")), scope))
            .await;
        assert_refused(&res, 400, "invalid_scope");
    }
    let res = app
        .token_request(&form(
            &sign(&key, &claims("enc-only")),
            "system/Encounter.r",
        ))
        .await;
    res.assert_status(200);
    assert_eq!(res.json()["scope"], "system/Encounter.r");
}

#[actix_web::test]
async fn the_fhir_read_api_holds_a_system_to_its_scopes_and_wards() {
    let (w, key, admin) = registered().await;
    let here = w.record(&w.body("one_to_one")).await;
    let mut elsewhere = w.body("one_to_one");
    elsewhere["ward_id"] = json!(w.other_ward);
    elsewhere["service_user_ids"] = json!([w.stranger]);
    let other_worker = w.app.user(Role::PeerSupportWorker, &[w.other_ward]).await;
    let there = w
        .app
        .post("/api/v1/activities", &other_worker.token, &elsewhere)
        .await
        .json();
    let enc_key = rs384("enc-only");
    w.app
        .register_client(
            &admin,
            "enc-reader",
            &[&enc_key],
            &["system/Encounter.rs"],
            &[w.ward],
        )
        .await;
    let token = w
        .app
        .system_token("enc-reader", &enc_key, "system/Encounter.rs")
        .await;
    let here_id = here["id"].as_str().unwrap();
    w.app
        .get(&format!("/fhir/R4/Encounter/{here_id}"), &token)
        .await
        .assert_status(200);
    let there_id = there["id"].as_str().unwrap();
    let res = w
        .app
        .get(&format!("/fhir/R4/Encounter/{there_id}"), &token)
        .await;
    res.assert_status(404);
    assert_eq!(res.json()["resourceType"], "OperationOutcome");
    let res = w
        .app
        .get(&format!("/fhir/R4/Procedure/{here_id}"), &token)
        .await;
    res.assert_status(403);
    assert_eq!(res.json()["resourceType"], "OperationOutcome");
    // A token with read only (`r`) may read but not search.
    let r_only = w
        .app
        .system_token("ward-epr", &key, "system/Encounter.r")
        .await;
    w.app
        .get(&format!("/fhir/R4/Encounter/{here_id}"), &r_only)
        .await
        .assert_status(200);
    w.app
        .get("/fhir/R4/Encounter", &r_only)
        .await
        .assert_status(403);
}
