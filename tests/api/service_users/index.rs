//! `GET /api/v1/service-users` and the record it leads to (`GET
//! /api/v1/service-users/{id}`): ward-scoped, audited, and no NHS number
//! in a list.

use peerlog::auth::Role;
use peerlog::models::ward::ServiceLine;
use serde_json::json;

use crate::common::TestApp;

#[actix_web::test]
async fn reads_are_ward_scoped_audited_and_lists_hold_no_nhs_number() {
    let app = TestApp::new().await;
    let ash = app.ward("ASH", ServiceLine::Adult).await;
    let oak = app.ward("OAK", ServiceLine::MediumSecure).await;
    let integration = app.user(Role::Integration, &[]).await;
    let mut ids = Vec::new();
    for (reference, ward) in [("RX-1", ash), ("RX-2", ash), ("RX-3", oak)] {
        let body = json!({ "display_label": reference, "ward_id": ward, "admitted_on": "2026-10-01", "nhs_number": "4010232137" });
        ids.push(
            app.put(
                &format!("/api/v1/service-users/{reference}"),
                &integration.token,
                &body,
            )
            .await
            .json()["id"]
                .clone(),
        );
    }
    let worker = app.user(Role::PeerSupportWorker, &[ash]).await;
    let list = app
        .get("/api/v1/service-users?limit=1", &worker.token)
        .await;
    list.assert_status(200);
    let page = list.json();
    assert_eq!(page["items"].as_array().unwrap().len(), 1);
    assert!(page["items"][0].get("nhs_number").is_none());
    let next = app
        .get(
            &format!(
                "/api/v1/service-users?limit=1&cursor={}",
                page["next_cursor"].as_str().unwrap()
            ),
            &worker.token,
        )
        .await
        .json();
    assert_eq!(next["items"][0]["reference"], "RX-2");
    assert!(next["next_cursor"].is_null());

    let one = app
        .get(
            &format!("/api/v1/service-users/{}", ids[0].as_str().unwrap()),
            &worker.token,
        )
        .await;
    one.assert_status(200);
    assert_eq!(one.json()["nhs_number"], "4010232137");
    app.get(
        &format!("/api/v1/service-users/{}", ids[2].as_str().unwrap()),
        &worker.token,
    )
    .await
    .assert_problem(404, "not_found");
    assert_eq!(app.audit_count("read", "service_user").await, 1);

    let manager = app.user(Role::Manager, &[]).await;
    let all = app
        .get("/api/v1/service-users", &manager.token)
        .await
        .json();
    assert_eq!(all["items"].as_array().unwrap().len(), 3);
    let oak_only = app
        .get(
            &format!("/api/v1/service-users?ward_id={oak}"),
            &manager.token,
        )
        .await
        .json();
    assert_eq!(oak_only["items"].as_array().unwrap().len(), 1);

    let admin = app.user(Role::Admin, &[]).await;
    app.get("/api/v1/service-users", &admin.token)
        .await
        .assert_problem(403, "forbidden");
    app.get(
        &format!("/api/v1/service-users/{}", ids[0].as_str().unwrap()),
        &admin.token,
    )
    .await
    .assert_problem(403, "forbidden");
}
