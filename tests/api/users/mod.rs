//! `/api/v1/users`: admin-only account management. Stories across the
//! account URLs here; each URL's own in its file.

mod by_id;
mod index;

use peerlog::auth::Role;
use peerlog::models::ward::ServiceLine;
use serde_json::json;

use crate::common::TestApp;

#[actix_web::test]
async fn every_non_admin_role_is_refused_every_user_route() {
    let app = TestApp::new().await;
    let target = app.user(Role::WardStaff, &[]).await;
    for &role in Role::ALL.iter().filter(|r| **r != Role::Admin) {
        let user = app.user(role, &[]).await;
        app.get("/api/v1/users", &user.token)
            .await
            .assert_problem(403, "forbidden");
        app.get(&format!("/api/v1/users/{}", target.id), &user.token)
            .await
            .assert_problem(403, "forbidden");
        app.post(
            "/api/v1/users",
            &user.token,
            &json!({ "username": "x1", "display_name": "X", "role": "admin", "password": "long-enough-password" }),
        )
        .await
        .assert_problem(403, "forbidden");
        app.patch(
            &format!("/api/v1/users/{}", target.id),
            &user.token,
            &json!({ "active": false }),
        )
        .await
        .assert_problem(403, "forbidden");
        app.put(
            &format!("/api/v1/users/{}/wards", target.id),
            &user.token,
            &json!({ "ward_ids": [] }),
        )
        .await
        .assert_problem(403, "forbidden");
        app.get("/api/v1/audit", &user.token)
            .await
            .assert_problem(403, "forbidden");
    }
}

#[actix_web::test]
async fn an_admin_creates_assigns_lists_and_disables_accounts() {
    let app = TestApp::new().await;
    let admin = app.user(Role::Admin, &[]).await;
    let ash = app.ward("ASH", ServiceLine::Adult).await;
    let oak = app.ward("OAK", ServiceLine::MediumSecure).await;

    let created = app
        .post(
            "/api/v1/users",
            &admin.token,
            &json!({ "username": "jsmith", "display_name": "Jo Smith", "role": "peer_support_worker",
                     "password": "long-enough-password", "ward_ids": [ash] }),
        )
        .await;
    created.assert_status(201);
    let user = created.json();
    assert_eq!(user["ward_ids"], json!([ash]));
    assert!(user.get("password_hash").is_none());
    let id = user["id"].as_str().unwrap();

    app.post(
        "/api/v1/users",
        &admin.token,
        &json!({ "username": "jsmith", "display_name": "Other", "role": "manager", "password": "long-enough-password" }),
    )
    .await
    .assert_problem(409, "username_taken");

    let mut both = vec![ash, oak];
    both.sort();
    let assigned = app
        .put(
            &format!("/api/v1/users/{id}/wards"),
            &admin.token,
            &json!({ "ward_ids": [oak, ash, oak] }),
        )
        .await;
    assigned.assert_status(200);
    assert_eq!(assigned.json()["ward_ids"], json!(both));

    let on_oak = app
        .get(&format!("/api/v1/users?ward_id={oak}"), &admin.token)
        .await
        .json();
    assert_eq!(on_oak["items"].as_array().unwrap().len(), 1);
    assert_eq!(on_oak["items"][0]["username"], "jsmith");

    let off = app
        .patch(
            &format!("/api/v1/users/{id}"),
            &admin.token,
            &json!({ "active": false }),
        )
        .await;
    off.assert_status(200);
    assert_eq!(off.json()["active"], false);
    let disabled = app
        .get("/api/v1/users?active=false", &admin.token)
        .await
        .json();
    assert_eq!(disabled["items"][0]["username"], "jsmith");

    assert_eq!(app.audit_count("create", "user").await, 1);
    assert_eq!(app.audit_count("assign_wards", "user").await, 1);
    assert_eq!(app.audit_count("update", "user").await, 1);
}
