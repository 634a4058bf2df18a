//! Bad input of every kind answers 4xx problem+json, never plain text,
//! never 500.

use actix_web::http::Method;
use peerlog::auth::Role;
use serde_json::json;

use crate::common::TestApp;

#[actix_web::test]
async fn malformed_json_wrong_type_and_unknown_fields() {
    let app = TestApp::new().await;
    let admin = app.user(Role::Admin, &[]).await;

    let res = app
        .send(
            TestApp::req(Method::POST, "/api/v1/wards", Some(&admin.token))
                .insert_header(("content-type", "application/json"))
                .set_payload("{\"code\": "),
        )
        .await;
    res.assert_problem(400, "malformed_json");

    let res = app
        .post(
            "/api/v1/wards",
            &admin.token,
            &json!({ "code": "OK", "name": 7, "service_line": "adult" }),
        )
        .await;
    res.assert_problem(422, "validation_failed");
    assert_eq!(res.error_fields(), vec!["name"]);

    let res = app
        .post("/api/v1/wards", &admin.token, &json!({ "code": "OK" }))
        .await;
    res.assert_problem(422, "validation_failed");
    assert_eq!(res.json()["errors"][0]["code"], "required");
}

#[actix_web::test]
async fn wrong_content_type_and_oversize_bodies() {
    let app = TestApp::with_config(|c| c.max_body_bytes = 2048).await;
    let admin = app.user(Role::Admin, &[]).await;

    let res = app
        .send(
            TestApp::req(Method::POST, "/api/v1/wards", Some(&admin.token))
                .insert_header(("content-type", "text/plain"))
                .set_payload("code=OK"),
        )
        .await;
    res.assert_problem(415, "unsupported_media_type");

    let res = app
        .send(TestApp::req(Method::POST, "/api/v1/wards", Some(&admin.token)).set_payload("{}"))
        .await;
    res.assert_problem(415, "unsupported_media_type");

    let big = json!({ "code": "OK", "name": "x".repeat(4000), "service_line": "adult" });
    app.post("/api/v1/wards", &admin.token, &big)
        .await
        .assert_problem(413, "payload_too_large");
}

#[actix_web::test]
async fn bodies_beyond_the_in_flight_bound_are_answered_503_with_retry_after() {
    // Room for one 4 KiB body at a time across the server.
    let app = TestApp::with_config(|c| {
        c.max_body_bytes = 4096;
        c.max_inflight_body_bytes = 4096;
    })
    .await;
    let admin = app.user(Role::Admin, &[]).await;
    let ward = json!({ "code": "ASH", "name": "Ash ward", "service_line": "adult" });

    // Another request's body is being received and fills the bound.
    let held = app.state.body_budget.try_reserve(4096 - 10).unwrap();
    let res = app.post("/api/v1/wards", &admin.token, &ward).await;
    res.assert_problem(503, "server_busy");
    assert_eq!(res.header("retry-after").as_deref(), Some("1"));
    // Declared lengths are refused before a byte is read.
    let res = app
        .send(
            TestApp::req(Method::POST, "/api/v1/wards", Some(&admin.token))
                .set_json(&ward)
                .insert_header(("content-length", ward.to_string().len().to_string())),
        )
        .await;
    res.assert_problem(503, "server_busy");
    let listed = app.get("/api/v1/wards", &admin.token).await;
    assert_eq!(listed.json()["items"].as_array().unwrap().len(), 0);

    // Once that body is done with, the retry goes through, and every byte
    // taken is given back.
    drop(held);
    app.post("/api/v1/wards", &admin.token, &ward)
        .await
        .assert_status(201);
    app.post(
        "/api/v1/wards",
        &admin.token,
        &json!({ "code": "x".repeat(5000) }),
    )
    .await
    .assert_problem(413, "payload_too_large");
    assert_eq!(app.state.body_budget.in_use(), 0);
}

#[actix_web::test]
async fn bad_path_and_query_parameters() {
    let app = TestApp::new().await;
    let admin = app.user(Role::Admin, &[]).await;
    let res = app.get("/api/v1/wards/not-a-uuid", &admin.token).await;
    let body = res.assert_problem(400, "invalid_path");
    assert!(
        body["detail"].as_str().unwrap().contains("UUID")
            || body["detail"].as_str().unwrap().contains("uuid")
    );

    let res = app.get("/api/v1/wards?active=perhaps", &admin.token).await;
    let body = res.assert_problem(400, "invalid_query");
    assert!(
        body["detail"].as_str().unwrap().contains("`active`"),
        "{body}"
    );

    let res = app.get("/api/v1/users?role=overlord", &admin.token).await;
    let body = res.assert_problem(400, "invalid_query");
    assert!(
        body["detail"].as_str().unwrap().contains("`role`"),
        "{body}"
    );
}

#[actix_web::test]
async fn unknown_paths_and_methods() {
    let app = TestApp::new().await;
    let admin = app.user(Role::Admin, &[]).await;
    app.get("/api/v1/nothing-here", &admin.token)
        .await
        .assert_problem(404, "not_found");
    let res = app
        .send(TestApp::req(
            Method::DELETE,
            "/api/v1/wards",
            Some(&admin.token),
        ))
        .await;
    res.assert_problem(405, "method_not_allowed");
    assert_eq!(res.header("allow").as_deref(), Some("GET, POST"));
    let res = app
        .send(TestApp::req(
            Method::DELETE,
            &format!("/api/v1/users/{}", admin.id),
            Some(&admin.token),
        ))
        .await;
    res.assert_problem(405, "method_not_allowed");
    assert_eq!(res.header("allow").as_deref(), Some("GET, PATCH"));
    // A literal path is not an id that failed to parse.
    let res = app
        .send(
            TestApp::req(
                Method::PATCH,
                "/api/v1/activities/batch",
                Some(&admin.token),
            )
            .set_json(json!({})),
        )
        .await;
    res.assert_problem(405, "method_not_allowed");
    assert_eq!(res.header("allow").as_deref(), Some("POST"));
}

#[actix_web::test]
async fn every_answer_carries_a_request_id_and_problems_quote_it() {
    let app = TestApp::new().await;
    let res = app
        .send(
            TestApp::req(Method::GET, "/api/v1/me", None)
                .insert_header(("x-request-id", "tablet-42-abc")),
        )
        .await;
    assert_eq!(res.header("x-request-id").as_deref(), Some("tablet-42-abc"));
    assert_eq!(
        res.assert_problem(401, "missing_token")["request_id"],
        "tablet-42-abc"
    );

    // A hostile id is replaced, not echoed.
    let res = app
        .send(
            TestApp::req(Method::GET, "/health", None)
                .insert_header(("x-request-id", "a b <script>")),
        )
        .await;
    let id = res.header("x-request-id").unwrap();
    assert_ne!(id, "a b <script>");
    assert_eq!(id.len(), 36);
}

#[actix_web::test]
async fn text_postgres_cannot_store_is_refused_not_a_500() {
    let app = TestApp::new().await;
    let admin = app.user(Role::Admin, &[]).await;
    let ward = app
        .ward("ASH", peerlog::models::ward::ServiceLine::Adult)
        .await;
    let res = app
        .patch(
            &format!("/api/v1/wards/{ward}"),
            &admin.token,
            &json!({ "name": "Ash\u{0}Ward" }),
        )
        .await;
    res.assert_problem(422, "validation_failed");
    assert_eq!(res.error_fields(), vec!["name"]);
    let res = app.get("/api/v1/audit?entity_type=%00", &admin.token).await;
    res.assert_problem(422, "validation_failed");
    assert_eq!(res.error_fields(), vec!["entity_type"]);
}
