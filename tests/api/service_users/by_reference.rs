//! `PUT /api/v1/service-users/{reference}`: the trust's sync by
//! reference, idempotent, with a checked NHS number.

use peerlog::auth::Role;
use peerlog::models::ward::ServiceLine;
use serde_json::json;

use crate::common::TestApp;

#[actix_web::test]
async fn the_trust_upserts_by_reference_idempotently_with_a_checked_nhs_number() {
    let app = TestApp::new().await;
    let ward = app.ward("ASH", ServiceLine::Adult).await;
    let integration = app.user(Role::Integration, &[]).await;
    let body = json!({ "display_label": "J.S.", "ward_id": ward, "admitted_on": "2026-10-01", "nhs_number": "943 476 5919" });
    let first = app
        .put(
            "/api/v1/service-users/RX4-000123",
            &integration.token,
            &body,
        )
        .await;
    first.assert_status(201);
    assert_eq!(first.json()["nhs_number"], "9434765919");
    let again = app
        .put(
            "/api/v1/service-users/RX4-000123",
            &integration.token,
            &body,
        )
        .await;
    again.assert_status(200);
    assert_eq!(again.json()["id"], first.json()["id"]);

    let mut discharged = body.clone();
    discharged["discharged_on"] = json!("2026-11-01");
    let res = app
        .put(
            "/api/v1/service-users/RX4-000123",
            &integration.token,
            &discharged,
        )
        .await;
    assert_eq!(res.json()["discharged_on"], "2026-11-01");

    let mut bad = body.clone();
    bad["nhs_number"] = json!("9434765918");
    bad["discharged_on"] = json!("2026-01-01");
    let res = app
        .put("/api/v1/service-users/RX4-000124", &integration.token, &bad)
        .await;
    res.assert_problem(422, "validation_failed");
    assert_eq!(res.error_fields(), ["discharged_on", "nhs_number"]);
    app.put("/api/v1/service-users/bad%20ref", &integration.token, &body)
        .await
        .assert_problem(422, "validation_failed");

    let admin = app.user(Role::Admin, &[]).await;
    app.put("/api/v1/service-users/RX4-000125", &admin.token, &body)
        .await
        .assert_status(201);
    let worker = app.user(Role::PeerSupportWorker, &[ward]).await;
    app.put("/api/v1/service-users/RX4-000126", &worker.token, &body)
        .await
        .assert_problem(403, "forbidden");
    assert_eq!(app.audit_count("create", "service_user").await, 2);
    assert_eq!(app.audit_count("update", "service_user").await, 2);
}

#[actix_web::test]
async fn the_trust_may_send_a_bed_or_bay_the_ward_list_shows_and_an_update_without_it_clears() {
    let app = TestApp::new().await;
    let ward = app.ward("ASH", ServiceLine::Adult).await;
    let integration = app.user(Role::Integration, &[]).await;
    let body = json!({ "display_label": "J.S.", "ward_id": ward, "admitted_on": "2026-10-01", "bed_or_bay": " Bay 2 " });
    let res = app
        .put(
            "/api/v1/service-users/RX4-000123",
            &integration.token,
            &body,
        )
        .await;
    res.assert_status(201);
    assert_eq!(res.json()["bed_or_bay"], "Bay 2");

    // The ward's tablet reads it in the list, beside the reference.
    let worker = app.user(Role::PeerSupportWorker, &[ward]).await;
    let list = app
        .get(
            &format!("/api/v1/service-users?ward_id={ward}"),
            &worker.token,
        )
        .await
        .json();
    assert_eq!(list["items"][0]["bed_or_bay"], "Bay 2");
    assert_eq!(list["items"][0]["reference"], "RX4-000123");

    // The trust's current state: sent without one, it is cleared.
    let mut moved = body.clone();
    moved.as_object_mut().unwrap().remove("bed_or_bay");
    let res = app
        .put(
            "/api/v1/service-users/RX4-000123",
            &integration.token,
            &moved,
        )
        .await;
    res.assert_status(200);
    assert_eq!(res.json()["bed_or_bay"], serde_json::Value::Null);

    // Never anything that could be an NHS number, never too long or empty.
    for (place, code) in [
        ("9434765919", "too_many_digits"),
        ("Bay 2 of the east wing", "too_long"),
        ("  ", "required"),
    ] {
        let mut bad = body.clone();
        bad["bed_or_bay"] = json!(place);
        let res = app
            .put("/api/v1/service-users/RX4-000124", &integration.token, &bad)
            .await;
        let problem = res.assert_problem(422, "validation_failed");
        assert_eq!(res.error_fields(), ["bed_or_bay"], "{place}");
        assert_eq!(problem["errors"][0]["code"], code, "{place}");
    }
}
