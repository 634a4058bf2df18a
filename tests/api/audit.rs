//! The audit log: written with every write, readable by admins, and
//! impossible to change even with direct database access.

use diesel_async::RunQueryDsl;
use peerlog::auth::Role;
use peerlog::models::ward::ServiceLine;
use serde_json::json;

use crate::common::TestApp;

#[actix_web::test]
async fn the_database_refuses_to_update_delete_or_truncate_audit_rows() {
    let app = TestApp::new().await;
    let admin = app.user(Role::Admin, &[]).await;
    app.post("/api/v1/wards", &admin.token, &json!({ "code": "ASH", "name": "Ash", "service_line": "adult" }))
        .await
        .assert_status(201);
    let mut conn = app.conn().await;
    for sql in [
        "UPDATE audit_log SET action = 'nothing'",
        "DELETE FROM audit_log",
        "TRUNCATE audit_log",
    ] {
        let err = diesel::sql_query(sql).execute(&mut conn).await.unwrap_err();
        assert!(err.to_string().contains("append-only"), "{sql}: {err}");
    }
    assert_eq!(app.audit_count("create", "ward").await, 1);
}

#[actix_web::test]
async fn audit_rows_say_who_what_when_and_from_where() {
    let app = TestApp::new().await;
    let admin = app.user(Role::Admin, &[]).await;
    let ward = app.ward("ASH", ServiceLine::Adult).await;
    let res = app
        .send(
            TestApp::req(actix_web::http::Method::PATCH, &format!("/api/v1/wards/{ward}"), Some(&admin.token))
                .insert_header(("x-request-id", "req-audit-1"))
                .insert_header(("user-agent", "ward-tablet/1.2"))
                .set_json(json!({ "name": "Ash Ward" })),
        )
        .await;
    res.assert_status(200);

    let page = app.get("/api/v1/audit?entity_type=ward", &admin.token).await;
    page.assert_status(200);
    let row = &page.json()["items"][0];
    assert_eq!(row["action"], "update");
    assert_eq!(row["actor_id"], admin.id.to_string());
    assert_eq!(row["actor_role"], "admin");
    assert_eq!(row["entity_id"], ward.to_string());
    assert_eq!(row["request_id"], "req-audit-1");
    assert_eq!(row["user_agent"], "ward-tablet/1.2");
    assert_eq!(row["details"]["after"]["name"], "Ash Ward");

    let by_actor = app.get(&format!("/api/v1/audit?actor_id={}&action=update", admin.id), &admin.token).await;
    assert_eq!(by_actor.json()["items"].as_array().unwrap().len(), 1);
}

#[actix_web::test]
async fn a_failed_write_leaves_no_audit_row() {
    let app = TestApp::new().await;
    let admin = app.user(Role::Admin, &[]).await;
    let body = json!({ "code": "ASH", "name": "Ash", "service_line": "adult" });
    app.post("/api/v1/wards", &admin.token, &body).await.assert_status(201);
    app.post("/api/v1/wards", &admin.token, &body).await.assert_status(409);
    assert_eq!(app.audit_count("create", "ward").await, 1);
}
