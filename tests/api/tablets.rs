//! `/api/v1/tablets`: an admin enrols the ward's tablets, names them, lists
//! and revokes them; nobody else may. (The tablet's own side and the
//! sign-ins on it are in `auth/tablet.rs`.)

use actix_web::http::Method;
use peerlog::auth::Role;
use peerlog::models::ward::ServiceLine;
use serde_json::json;

use crate::common::TestApp;

#[actix_web::test]
async fn an_admin_creates_a_tablet_and_gets_a_one_time_code_that_is_never_stored() {
    let app = TestApp::new().await;
    let admin = app.user(Role::Admin, &[]).await;
    let ash = app.ward("ASH", ServiceLine::Adult).await;
    let created = app
        .post(
            "/api/v1/tablets",
            &admin.token,
            &json!({ "name": "Ash ward tablet 2", "ward_id": ash }),
        )
        .await;
    created.assert_status(201);
    assert_eq!(created.header("cache-control").as_deref(), Some("no-store"));
    let body = created.json();
    let code = body["enrolment_code"].as_str().unwrap().to_string();
    assert_eq!(code.len(), 11, "{code}");
    assert_eq!(body["status"], "awaiting_enrolment");
    assert_eq!(body["ward_id"], json!(ash));
    assert!(body["code_expires_at"].is_string());

    // Listed, without the code; the audit log has the creation, not the code.
    let list = app.get("/api/v1/tablets", &admin.token).await;
    list.assert_status(200);
    assert_eq!(list.json()["items"][0]["name"], "Ash ward tablet 2");
    assert!(!list.text().contains(&code));
    assert_eq!(app.audit_count("create", "tablet").await, 1);
    let audit = app.get("/api/v1/audit?limit=200", &admin.token).await;
    assert!(!audit.text().contains(&code));
    assert!(!audit.text().contains(&code.replace('-', "")));
}

#[actix_web::test]
async fn a_tablet_needs_a_name_and_a_real_ward() {
    let app = TestApp::new().await;
    let admin = app.user(Role::Admin, &[]).await;
    let res = app
        .post(
            "/api/v1/tablets",
            &admin.token,
            &json!({ "name": "  ", "ward_id": uuid::Uuid::now_v7() }),
        )
        .await;
    res.assert_problem(422, "validation_failed");
    let mut fields = res.error_fields();
    fields.sort();
    assert_eq!(fields, ["name", "ward_id"]);
    // Renaming checks the same.
    let id = app
        .post("/api/v1/tablets", &admin.token, &json!({ "name": "T1" }))
        .await
        .json()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let res = app
        .patch(
            &format!("/api/v1/tablets/{id}"),
            &admin.token,
            &json!({ "name": "" }),
        )
        .await;
    assert_eq!(res.error_fields(), ["name"]);
}

#[actix_web::test]
async fn an_admin_renames_moves_and_revokes_a_tablet_and_each_is_audited() {
    let app = TestApp::new().await;
    let admin = app.user(Role::Admin, &[]).await;
    let oak = app.ward("OAK", ServiceLine::MediumSecure).await;
    let id = app
        .post(
            "/api/v1/tablets",
            &admin.token,
            &json!({ "name": "Tablet" }),
        )
        .await
        .json()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let renamed = app
        .patch(
            &format!("/api/v1/tablets/{id}"),
            &admin.token,
            &json!({ "name": "Oak tablet 1", "ward_id": oak }),
        )
        .await;
    renamed.assert_status(200);
    assert_eq!(renamed.json()["name"], "Oak tablet 1");
    assert_eq!(renamed.json()["ward_id"], json!(oak));
    let unplaced = app
        .patch(
            &format!("/api/v1/tablets/{id}"),
            &admin.token,
            &json!({ "ward_id": null }),
        )
        .await;
    assert_eq!(unplaced.json()["ward_id"], json!(null));
    assert_eq!(unplaced.json()["name"], "Oak tablet 1");

    let revoked = app
        .post(
            &format!("/api/v1/tablets/{id}/revoke"),
            &admin.token,
            &json!({}),
        )
        .await;
    revoked.assert_status(200);
    assert_eq!(revoked.json()["status"], "revoked");
    app.post(
        &format!("/api/v1/tablets/{id}/revoke"),
        &admin.token,
        &json!({}),
    )
    .await
    .assert_problem(409, "already_revoked");
    assert_eq!(app.audit_count("update", "tablet").await, 2);
    assert_eq!(app.audit_count("revoke", "tablet").await, 1);
    let missing = uuid::Uuid::now_v7();
    app.post(
        &format!("/api/v1/tablets/{missing}/revoke"),
        &admin.token,
        &json!({}),
    )
    .await
    .assert_problem(404, "not_found");
}

#[actix_web::test]
async fn only_admins_enrol_list_relabel_or_revoke_tablets() {
    let app = TestApp::new().await;
    let admin = app.user(Role::Admin, &[]).await;
    let ash = app.ward("ASH", ServiceLine::Adult).await;
    let id = app
        .post("/api/v1/tablets", &admin.token, &json!({ "name": "Ash 1" }))
        .await
        .json()["id"]
        .as_str()
        .unwrap()
        .to_string();
    for role in [
        Role::PeerSupportWorker,
        Role::PeerTeamLeader,
        Role::WardStaff,
        Role::Manager,
        Role::BuddyCoordinator,
        Role::Integration,
    ] {
        let who = app.user(role, &[ash]).await;
        let t = who.token.as_str();
        app.get("/api/v1/tablets", t)
            .await
            .assert_problem(403, "forbidden");
        app.post("/api/v1/tablets", t, &json!({ "name": "Mine" }))
            .await
            .assert_problem(403, "forbidden");
        app.patch(&format!("/api/v1/tablets/{id}"), t, &json!({ "name": "X" }))
            .await
            .assert_problem(403, "forbidden");
        app.post(&format!("/api/v1/tablets/{id}/revoke"), t, &json!({}))
            .await
            .assert_problem(403, "forbidden");
    }
    app.send(TestApp::req(Method::GET, "/api/v1/tablets", None))
        .await
        .assert_problem(401, "missing_token");
    // Still as the admin left it.
    let list = app.get("/api/v1/tablets", &admin.token).await;
    assert_eq!(list.json()["items"].as_array().unwrap().len(), 1);
    assert_eq!(list.json()["items"][0]["status"], "awaiting_enrolment");
}
