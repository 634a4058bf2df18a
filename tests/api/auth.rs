//! `/api/v1/auth/*` and `/api/v1/me`: signing in, token validation,
//! refresh rotation, throttling.

use actix_web::http::Method;
use base64::Engine;
use chrono::Utc;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use peerlog::auth::jwt::Claims;
use peerlog::auth::Role;
use peerlog::models::ward::ServiceLine;
use peerlog::schema::users;
use serde_json::json;
use uuid::Uuid;

use crate::common::{TestApp, PASSWORD};

async fn login(app: &TestApp, username: &str, password: &str) -> crate::common::Resp {
    app.post_anon("/api/v1/auth/token", &json!({ "username": username, "password": password }))
        .await
}

#[actix_web::test]
async fn a_worker_signs_in_and_sees_themself_and_their_wards() {
    let app = TestApp::new().await;
    let ward = app.ward("ASH", ServiceLine::Adult).await;
    let worker = app.user(Role::PeerSupportWorker, &[ward]).await;

    let res = login(&app, &worker.username, PASSWORD).await;
    res.assert_status(200);
    assert_eq!(res.header("cache-control").as_deref(), Some("no-store"));
    let body = res.json();
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 900);
    assert!(body["refresh_token"].as_str().unwrap().len() >= 40);

    let me = app.get("/api/v1/me", body["access_token"].as_str().unwrap()).await;
    me.assert_status(200);
    let me = me.json();
    assert_eq!(me["username"], worker.username);
    assert_eq!(me["role"], "peer_support_worker");
    assert_eq!(me["wards"][0]["id"], ward.to_string());
    assert_eq!(me["sees_all_wards"], false);
    assert_eq!(app.audit_count("login", "session").await, 1);
}

#[actix_web::test]
async fn wrong_password_unknown_user_and_disabled_user_get_the_same_answer() {
    let app = TestApp::new().await;
    let user = app.user(Role::Manager, &[]).await;
    let disabled = app.user(Role::Manager, &[]).await;
    diesel::update(users::table.find(disabled.id))
        .set(users::active.eq(false))
        .execute(&mut app.conn().await)
        .await
        .unwrap();

    let wrong = login(&app, &user.username, "not-the-password").await;
    let unknown = login(&app, "nobody-here", PASSWORD).await;
    let off = login(&app, &disabled.username, PASSWORD).await;
    for res in [&wrong, &unknown, &off] {
        let body = res.assert_problem(401, "invalid_credentials");
        assert_eq!(body["detail"], wrong.json()["detail"]);
    }
    assert_eq!(app.audit_count("login_failed", "session").await, 3);
}

#[actix_web::test]
async fn repeated_failures_lock_the_username_whether_or_not_it_exists() {
    let app = TestApp::with_config(|c| c.login_max_failures = 3).await;
    let user = app.user(Role::Manager, &[]).await;
    for name in [user.username.as_str(), "ghost-user"] {
        for _ in 0..3 {
            login(&app, name, "wrong-password-x").await.assert_problem(401, "invalid_credentials");
        }
        let locked = login(&app, name, PASSWORD).await;
        locked.assert_problem(429, "too_many_requests");
        let retry: i64 = locked.header("retry-after").unwrap().parse().unwrap();
        assert!(retry > 0 && retry <= 900);
    }
    // Another username is unaffected.
    let other = app.user(Role::Manager, &[]).await;
    login(&app, &other.username, PASSWORD).await.assert_status(200);
}

#[actix_web::test]
async fn a_successful_login_clears_earlier_failures() {
    let app = TestApp::with_config(|c| c.login_max_failures = 3).await;
    let user = app.user(Role::Manager, &[]).await;
    for _ in 0..2 {
        login(&app, &user.username, "wrong-password-x").await.assert_status(401);
    }
    login(&app, &user.username, PASSWORD).await.assert_status(200);
    for _ in 0..2 {
        login(&app, &user.username, "wrong-password-x").await.assert_status(401);
    }
    login(&app, &user.username, PASSWORD).await.assert_status(200);
}

fn forge(app: &TestApp, adjust: impl FnOnce(&mut Claims)) -> String {
    let now = Utc::now().timestamp();
    let mut claims = Claims {
        sub: Uuid::nil(),
        role: Role::Admin,
        iss: app.state.config.jwt_issuer.clone(),
        aud: app.state.config.jwt_audience.clone(),
        iat: now,
        exp: now + 600,
        jti: Uuid::new_v4(),
    };
    adjust(&mut claims);
    app.state.keys.sign_claims(&claims).unwrap()
}

#[actix_web::test]
async fn bad_tokens_are_refused() {
    let app = TestApp::new().await;
    let admin = app.user(Role::Admin, &[]).await;
    let id = admin.id;
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;

    // Control: a well-formed token for the same user works.
    let good = forge(&app, |c| c.sub = id);
    app.get("/api/v1/me", &good).await.assert_status(200);

    let expired = forge(&app, |c| {
        c.sub = id;
        c.iat -= 7200;
        c.exp = Utc::now().timestamp() - 120;
    });
    let wrong_issuer = forge(&app, |c| {
        c.sub = id;
        c.iss = "someone-else".into();
    });
    let wrong_audience = forge(&app, |c| {
        c.sub = id;
        c.aud = "another-api".into();
    });
    let from_the_future = forge(&app, |c| {
        c.sub = id;
        c.iat += 3600;
    });
    let mut parts: Vec<String> = good.split('.').map(str::to_string).collect();
    let mut payload: serde_json::Value = serde_json::from_slice(&b64.decode(&parts[1]).unwrap()).unwrap();
    payload["role"] = json!("admin");
    payload["sub"] = json!(Uuid::new_v4());
    parts[1] = b64.encode(payload.to_string());
    let tampered = parts.join(".");
    let alg_none = format!("{}.{}.", b64.encode(br#"{"alg":"none","typ":"JWT"}"#), good.split('.').nth(1).unwrap());
    let garbage = "not.a.jwt".to_string();

    for (what, token) in [
        ("expired", expired),
        ("wrong issuer", wrong_issuer),
        ("wrong audience", wrong_audience),
        ("issued in the future", from_the_future),
        ("tampered signature", tampered),
        ("alg none", alg_none),
        ("garbage", garbage),
    ] {
        let res = app.get("/api/v1/me", &token).await;
        assert_eq!(res.status.as_u16(), 401, "{what}: {}", res.text());
        res.assert_problem(401, "invalid_token");
        assert!(res.header("www-authenticate").unwrap().starts_with("Bearer"));
    }

    let missing = app.send(TestApp::req(Method::GET, "/api/v1/me", None)).await;
    missing.assert_problem(401, "missing_token");
    let basic = app
        .send(TestApp::req(Method::GET, "/api/v1/me", None).insert_header(("authorization", "Basic YTpi")))
        .await;
    basic.assert_problem(401, "invalid_token");
}

#[actix_web::test]
async fn a_disabled_account_or_changed_role_stops_working_at_once() {
    let app = TestApp::new().await;
    let admin = app.user(Role::Admin, &[]).await;
    let worker = app.user(Role::PeerSupportWorker, &[]).await;
    let leader = app.user(Role::PeerSupportWorker, &[]).await;
    app.get("/api/v1/me", &worker.token).await.assert_status(200);

    app.patch(&format!("/api/v1/users/{}", worker.id), &admin.token, &json!({ "active": false }))
        .await
        .assert_status(200);
    app.get("/api/v1/me", &worker.token).await.assert_problem(401, "invalid_token");

    app.patch(&format!("/api/v1/users/{}", leader.id), &admin.token, &json!({ "role": "peer_team_leader" }))
        .await
        .assert_status(200);
    app.get("/api/v1/me", &leader.token).await.assert_problem(401, "token_stale");
}

#[actix_web::test]
async fn ward_assignment_changes_apply_to_the_next_request() {
    let app = TestApp::new().await;
    let admin = app.user(Role::Admin, &[]).await;
    let ash = app.ward("ASH", ServiceLine::Adult).await;
    let oak = app.ward("OAK", ServiceLine::MediumSecure).await;
    let worker = app.user(Role::PeerSupportWorker, &[ash]).await;
    app.get(&format!("/api/v1/wards/{oak}"), &worker.token).await.assert_status(404);

    app.put(&format!("/api/v1/users/{}/wards", worker.id), &admin.token, &json!({ "ward_ids": [oak] }))
        .await
        .assert_status(200);
    app.get(&format!("/api/v1/wards/{oak}"), &worker.token).await.assert_status(200);
    app.get(&format!("/api/v1/wards/{ash}"), &worker.token).await.assert_status(404);
}

#[actix_web::test]
async fn refresh_rotates_and_a_reused_token_revokes_the_family() {
    let app = TestApp::new().await;
    let user = app.user(Role::Manager, &[]).await;
    let first = login(&app, &user.username, PASSWORD).await.json();
    let r1 = first["refresh_token"].as_str().unwrap().to_string();

    let second = app.post_anon("/api/v1/auth/refresh", &json!({ "refresh_token": r1 })).await;
    second.assert_status(200);
    let second = second.json();
    let r2 = second["refresh_token"].as_str().unwrap().to_string();
    assert_ne!(r1, r2);
    app.get("/api/v1/me", second["access_token"].as_str().unwrap()).await.assert_status(200);

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
    app.post_anon("/api/v1/auth/refresh", &json!({ "refresh_token": other["refresh_token"] }))
        .await
        .assert_status(200);
}

#[actix_web::test]
async fn logout_revokes_and_a_disabled_user_cannot_refresh() {
    let app = TestApp::new().await;
    let admin = app.user(Role::Admin, &[]).await;
    let user = app.user(Role::WardStaff, &[]).await;

    let session = login(&app, &user.username, PASSWORD).await.json();
    app.post_anon("/api/v1/auth/logout", &json!({ "refresh_token": session["refresh_token"] }))
        .await
        .assert_status(204);
    app.post_anon("/api/v1/auth/refresh", &json!({ "refresh_token": session["refresh_token"] }))
        .await
        .assert_problem(401, "invalid_refresh_token");
    // Unknown tokens get the same 204: logout reveals nothing.
    app.post_anon("/api/v1/auth/logout", &json!({ "refresh_token": "whatever" }))
        .await
        .assert_status(204);

    let session = login(&app, &user.username, PASSWORD).await.json();
    app.patch(&format!("/api/v1/users/{}", user.id), &admin.token, &json!({ "active": false }))
        .await
        .assert_status(200);
    app.post_anon("/api/v1/auth/refresh", &json!({ "refresh_token": session["refresh_token"] }))
        .await
        .assert_problem(401, "invalid_refresh_token");
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
    app.post_anon("/api/v1/auth/refresh", &json!({ "refresh_token": session["refresh_token"] }))
        .await
        .assert_problem(401, "invalid_refresh_token");
}

#[actix_web::test]
async fn passwords_and_hashes_never_appear_in_answers_or_the_audit_log() {
    let app = TestApp::new().await;
    let admin = app.user(Role::Admin, &[]).await;
    let created = app
        .post(
            "/api/v1/users",
            &admin.token,
            &json!({ "username": "newbie", "display_name": "New Bie", "role": "ward_staff", "password": "a-very-secret-passphrase" }),
        )
        .await;
    created.assert_status(201);
    assert!(!created.text().contains("a-very-secret-passphrase"));
    assert!(!created.text().contains("argon2"));
    login(&app, "newbie", "a-very-secret-passphrase").await.assert_status(200);
    login(&app, "newbie", "wrong-secret-passphrase").await.assert_status(401);
    let audit = app.get("/api/v1/audit?limit=200", &admin.token).await;
    audit.assert_status(200);
    assert!(!audit.text().contains("secret-passphrase"));
    assert!(!audit.text().contains("argon2"));
}
