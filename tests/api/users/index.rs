//! `/api/v1/users`: listing and creating accounts.

use peerlog::auth::Role;
use serde_json::json;
use uuid::Uuid;

use crate::common::TestApp;

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
    assert_eq!(
        res.error_fields(),
        vec!["username", "display_name", "password"]
    );

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
    let list = app
        .get("/api/v1/users?role=ward_staff", &admin.token)
        .await
        .json();
    assert_eq!(list["items"].as_array().unwrap().len(), 0);
}
