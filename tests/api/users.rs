//! `/api/v1/users`: admin-only account management.

use peerlog::auth::Role;
use peerlog::models::ward::ServiceLine;
use serde_json::json;
use uuid::Uuid;

use crate::common::TestApp;

#[actix_web::test]
async fn every_non_admin_role_is_refused_every_user_route() {
    let app = TestApp::new().await;
    let target = app.user(Role::WardStaff, &[]).await;
    for &role in Role::ALL.iter().filter(|r| **r != Role::Admin) {
        let user = app.user(role, &[]).await;
        app.get("/api/v1/users", &user.token).await.assert_problem(403, "forbidden");
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
        app.patch(&format!("/api/v1/users/{}", target.id), &user.token, &json!({ "active": false }))
            .await
            .assert_problem(403, "forbidden");
        app.put(&format!("/api/v1/users/{}/wards", target.id), &user.token, &json!({ "ward_ids": [] }))
            .await
            .assert_problem(403, "forbidden");
        app.get("/api/v1/audit", &user.token).await.assert_problem(403, "forbidden");
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
    let assigned = app.put(&format!("/api/v1/users/{id}/wards"), &admin.token, &json!({ "ward_ids": [oak, ash, oak] })).await;
    assigned.assert_status(200);
    assert_eq!(assigned.json()["ward_ids"], json!(both));

    let on_oak = app.get(&format!("/api/v1/users?ward_id={oak}"), &admin.token).await.json();
    assert_eq!(on_oak["items"].as_array().unwrap().len(), 1);
    assert_eq!(on_oak["items"][0]["username"], "jsmith");

    let off = app.patch(&format!("/api/v1/users/{id}"), &admin.token, &json!({ "active": false })).await;
    off.assert_status(200);
    assert_eq!(off.json()["active"], false);
    let disabled = app.get("/api/v1/users?active=false", &admin.token).await.json();
    assert_eq!(disabled["items"][0]["username"], "jsmith");

    assert_eq!(app.audit_count("create", "user").await, 1);
    assert_eq!(app.audit_count("assign_wards", "user").await, 1);
    assert_eq!(app.audit_count("update", "user").await, 1);
}

#[actix_web::test]
async fn bad_accounts_are_refused_with_field_paths() {
    let app = TestApp::new().await;
    let admin = app.user(Role::Admin, &[]).await;
    let res = app
        .post(
            "/api/v1/users",
            &admin.token,
            &json!({ "username": "Bad Name", "display_name": "", "role": "peer_support_worker", "password": "short" }),
        )
        .await;
    res.assert_problem(422, "validation_failed");
    assert_eq!(res.error_fields(), vec!["username", "display_name", "password"]);

    let res = app
        .post(
            "/api/v1/users",
            &admin.token,
            &json!({ "username": "okname", "display_name": "Ok", "role": "superuser", "password": "long-enough-password" }),
        )
        .await;
    res.assert_problem(422, "validation_failed");
    assert_eq!(res.error_fields(), vec!["role"]);

    let ghost = Uuid::new_v4();
    let res = app
        .post(
            "/api/v1/users",
            &admin.token,
            &json!({ "username": "okname", "display_name": "Ok", "role": "ward_staff",
                     "password": "long-enough-password", "ward_ids": [ghost] }),
        )
        .await;
    res.assert_problem(422, "validation_failed");
    assert_eq!(res.error_fields(), vec!["ward_ids[0]"]);
    // Nothing half-written.
    let list = app.get("/api/v1/users?role=ward_staff", &admin.token).await.json();
    assert_eq!(list["items"].as_array().unwrap().len(), 0);
}

#[actix_web::test]
async fn an_admin_cannot_lock_themself_out() {
    let app = TestApp::new().await;
    let admin = app.user(Role::Admin, &[]).await;
    let path = format!("/api/v1/users/{}", admin.id);
    let res = app.patch(&path, &admin.token, &json!({ "active": false })).await;
    res.assert_problem(422, "validation_failed");
    assert_eq!(res.error_fields(), vec!["active"]);
    let res = app.patch(&path, &admin.token, &json!({ "role": "manager" })).await;
    assert_eq!(res.error_fields(), vec!["role"]);
    app.get("/api/v1/me", &admin.token).await.assert_status(200);
}

#[actix_web::test]
async fn unknown_users_are_404() {
    let app = TestApp::new().await;
    let admin = app.user(Role::Admin, &[]).await;
    app.get(&format!("/api/v1/users/{}", Uuid::new_v4()), &admin.token)
        .await
        .assert_problem(404, "not_found");
    app.patch(&format!("/api/v1/users/{}", Uuid::new_v4()), &admin.token, &json!({ "display_name": "x" }))
        .await
        .assert_problem(404, "not_found");
}
