//! `POST /api/v1/auth/logout`: ending a sign-in at once.

use peerlog::auth::Role;
use serde_json::json;

use super::login;
use crate::common::{TestApp, PASSWORD};

#[actix_web::test]
async fn logout_ends_the_access_token_of_that_sign_in_at_once() {
    let app = TestApp::new().await;
    let user = app.user(Role::WardStaff, &[]).await;
    let tablet = login(&app, &user.username, PASSWORD).await.json();
    let laptop = login(&app, &user.username, PASSWORD).await.json();
    let access = tablet["access_token"].as_str().unwrap();
    app.get("/api/v1/me", access).await.assert_status(200);

    app.post_anon(
        "/api/v1/auth/logout",
        &json!({ "refresh_token": tablet["refresh_token"] }),
    )
    .await
    .assert_status(204);
    app.get("/api/v1/me", access)
        .await
        .assert_problem(401, "invalid_token");
    // The same person's other sign-in carries on.
    app.get("/api/v1/me", laptop["access_token"].as_str().unwrap())
        .await
        .assert_status(200);
}

#[actix_web::test]
async fn logout_revokes_and_a_disabled_user_cannot_refresh() {
    let app = TestApp::new().await;
    let admin = app.user(Role::Admin, &[]).await;
    let user = app.user(Role::WardStaff, &[]).await;

    let session = login(&app, &user.username, PASSWORD).await.json();
    app.post_anon(
        "/api/v1/auth/logout",
        &json!({ "refresh_token": session["refresh_token"] }),
    )
    .await
    .assert_status(204);
    app.post_anon(
        "/api/v1/auth/refresh",
        &json!({ "refresh_token": session["refresh_token"] }),
    )
    .await
    .assert_problem(401, "invalid_refresh_token");
    // Unknown tokens get the same 204: logout reveals nothing.
    app.post_anon(
        "/api/v1/auth/logout",
        &json!({ "refresh_token": "whatever" }),
    )
    .await
    .assert_status(204);

    let session = login(&app, &user.username, PASSWORD).await.json();
    app.patch(
        &format!("/api/v1/users/{}", user.id),
        &admin.token,
        &json!({ "active": false }),
    )
    .await
    .assert_status(200);
    app.post_anon(
        "/api/v1/auth/refresh",
        &json!({ "refresh_token": session["refresh_token"] }),
    )
    .await
    .assert_problem(401, "invalid_refresh_token");
}
