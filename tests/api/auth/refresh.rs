//! `POST /api/v1/auth/refresh`: rotation, and a reused refresh token
//! ending its family.

use diesel_async::RunQueryDsl;
use peerlog::auth::Role;
use serde_json::json;

use super::login;
use crate::common::{TestApp, PASSWORD};

#[actix_web::test]
async fn a_reused_refresh_token_ends_the_live_access_tokens_of_its_family() {
    let app = TestApp::new().await;
    let user = app.user(Role::Manager, &[]).await;
    let first = login(&app, &user.username, PASSWORD).await.json();
    let stolen = first["refresh_token"].as_str().unwrap().to_string();
    // The owner refreshes; the thief then uses the copy they took.
    let owner = app
        .post_anon("/api/v1/auth/refresh", &json!({ "refresh_token": stolen }))
        .await
        .json();
    let owner_access = owner["access_token"].as_str().unwrap().to_string();
    app.get("/api/v1/me", &owner_access)
        .await
        .assert_status(200);
    app.post_anon("/api/v1/auth/refresh", &json!({ "refresh_token": stolen }))
        .await
        .assert_problem(401, "invalid_refresh_token");
    // Every access token of the family stops working, not in 15 minutes.
    for token in [&owner_access, first["access_token"].as_str().unwrap()] {
        app.get("/api/v1/me", token)
            .await
            .assert_problem(401, "invalid_token");
    }
}

#[actix_web::test]
async fn refresh_rotates_and_a_reused_token_revokes_the_family() {
    let app = TestApp::new().await;
    let user = app.user(Role::Manager, &[]).await;
    let first = login(&app, &user.username, PASSWORD).await.json();
    let r1 = first["refresh_token"].as_str().unwrap().to_string();

    let second = app
        .post_anon("/api/v1/auth/refresh", &json!({ "refresh_token": r1 }))
        .await;
    second.assert_status(200);
    let second = second.json();
    let r2 = second["refresh_token"].as_str().unwrap().to_string();
    assert_ne!(r1, r2);
    app.get("/api/v1/me", second["access_token"].as_str().unwrap())
        .await
        .assert_status(200);

    // The old token again: someone copied it. Both it and its successor die.
    app.post_anon("/api/v1/auth/refresh", &json!({ "refresh_token": r1 }))
        .await
        .assert_problem(401, "invalid_refresh_token");
    app.post_anon("/api/v1/auth/refresh", &json!({ "refresh_token": r2 }))
        .await
        .assert_problem(401, "invalid_refresh_token");
    // Both dead tokens presented are logged as reuse.
    assert_eq!(app.audit_count("refresh_token_reused", "session").await, 2);

    // A separate sign-in is a separate family and still works.
    let other = login(&app, &user.username, PASSWORD).await.json();
    app.post_anon(
        "/api/v1/auth/refresh",
        &json!({ "refresh_token": other["refresh_token"] }),
    )
    .await
    .assert_status(200);
}

#[actix_web::test]
async fn an_expired_refresh_token_is_refused() {
    let app = TestApp::new().await;
    let user = app.user(Role::Manager, &[]).await;
    let session = login(&app, &user.username, PASSWORD).await.json();
    diesel::sql_query("UPDATE refresh_tokens SET issued_at = now() - interval '2 days', expires_at = now() - interval '1 day'")
        .execute(&mut app.conn().await)
        .await
        .unwrap();
    app.post_anon(
        "/api/v1/auth/refresh",
        &json!({ "refresh_token": session["refresh_token"] }),
    )
    .await
    .assert_problem(401, "invalid_refresh_token");
}
