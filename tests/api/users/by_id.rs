//! `/api/v1/users/{id}`: reading and changing one account.

use peerlog::auth::Role;
use serde_json::json;
use uuid::Uuid;

use crate::common::TestApp;

#[actix_web::test]
async fn an_admin_cannot_lock_themself_out() {
    let app = TestApp::new().await;
    let admin = app.user(Role::Admin, &[]).await;
    let path = format!("/api/v1/users/{}", admin.id);
    let res = app
        .patch(&path, &admin.token, &json!({ "active": false }))
        .await;
    res.assert_problem(422, "validation_failed");
    assert_eq!(res.error_fields(), vec!["active"]);
    let res = app
        .patch(&path, &admin.token, &json!({ "role": "manager" }))
        .await;
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
    app.patch(
        &format!("/api/v1/users/{}", Uuid::new_v4()),
        &admin.token,
        &json!({ "display_name": "x" }),
    )
    .await
    .assert_problem(404, "not_found");
}
