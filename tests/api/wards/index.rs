//! `/api/v1/wards`: listing wards page by page, and creating one.

use peerlog::auth::Role;
use peerlog::models::ward::ServiceLine;
use serde_json::json;

use crate::common::TestApp;

#[actix_web::test]
async fn invalid_wards_name_every_bad_field() {
    let app = TestApp::new().await;
    let admin = app.user(Role::Admin, &[]).await;
    let res = app
        .post(
            "/api/v1/wards",
            &admin.token,
            &json!({ "code": "bad code", "name": "", "service_line": "adult" }),
        )
        .await;
    res.assert_problem(422, "validation_failed");
    assert_eq!(res.error_fields(), vec!["code", "name"]);

    let res = app
        .post(
            "/api/v1/wards",
            &admin.token,
            &json!({ "code": "OK", "name": "x", "service_line": "paediatric" }),
        )
        .await;
    res.assert_problem(422, "validation_failed");
    assert_eq!(res.error_fields(), vec!["service_line"]);

    let res = app
        .post(
            "/api/v1/wards",
            &admin.token,
            &json!({ "code": "OK", "name": "x", "service_line": "adult", "beds": 12 }),
        )
        .await;
    res.assert_problem(422, "validation_failed");
    assert_eq!(res.error_fields(), vec!["beds"]);
    assert_eq!(app.audit_count("create", "ward").await, 0);
}

#[actix_web::test]
async fn pages_walk_every_ward_once_even_with_inserts_between_pages() {
    let app = TestApp::new().await;
    let manager = app.user(Role::Manager, &[]).await;
    for i in 0..7 {
        app.ward(&format!("W{i:02}"), ServiceLine::Adult).await;
    }
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    let mut inserted = false;
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/v1/wards?limit=3&cursor={c}"),
            None => "/api/v1/wards?limit=3".to_string(),
        };
        let page = app.get(&path, &manager.token).await;
        page.assert_status(200);
        let page = page.json();
        for w in page["items"].as_array().unwrap() {
            seen.push(w["code"].as_str().unwrap().to_string());
        }
        if !inserted {
            // One before the cursor (not seen: already passed) and one after (seen).
            app.ward("A00", ServiceLine::Adult).await;
            app.ward("Z99", ServiceLine::Adult).await;
            inserted = true;
        }
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => break,
        }
    }
    let expected: Vec<String> = (0..7)
        .map(|i| format!("W{i:02}"))
        .chain(["Z99".to_string()])
        .collect();
    assert_eq!(seen, expected);

    let filtered = app
        .get("/api/v1/wards?service_line=camhs", &manager.token)
        .await;
    assert_eq!(filtered.json()["items"].as_array().unwrap().len(), 0);
    app.get("/api/v1/wards?limit=0", &manager.token)
        .await
        .assert_problem(400, "invalid_query");
    app.get("/api/v1/wards?limit=201", &manager.token)
        .await
        .assert_problem(400, "invalid_query");
    let forged = app.get("/api/v1/wards?cursor=forged", &manager.token).await;
    forged.assert_problem(422, "validation_failed");
    assert_eq!(forged.error_fields(), vec!["cursor"]);
}
