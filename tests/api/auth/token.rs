//! `POST /api/v1/auth/token`: signing in with a password, and the throttle
//! on guessing.

use actix_web::http::Method;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use peerlog::auth::Role;
use peerlog::models::ward::ServiceLine;
use peerlog::schema::users;
use serde_json::json;

use super::login;
use crate::common::{TestApp, PASSWORD};

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

    let me = app
        .get("/api/v1/me", body["access_token"].as_str().unwrap())
        .await;
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

/// A sign-in attempt from a client address, with a device token or not.
async fn login_from(
    app: &TestApp,
    username: &str,
    password: &str,
    ip: &str,
    device_token: Option<&str>,
) -> crate::common::Resp {
    let mut body = json!({ "username": username, "password": password });
    if let Some(t) = device_token {
        body["device_token"] = json!(t);
    }
    app.send(
        TestApp::req(Method::POST, "/api/v1/auth/token", None)
            .peer_addr(format!("{ip}:40000").parse().unwrap())
            .set_json(body),
    )
    .await
}

#[actix_web::test]
async fn guessing_slows_the_guesser_whether_or_not_the_username_exists() {
    let app = TestApp::with_config(|c| c.login_max_failures = 3).await;
    let user = app.user(Role::Manager, &[]).await;
    for name in [user.username.as_str(), "ghost-user"] {
        for _ in 0..3 {
            login_from(&app, name, "wrong-password-x", "198.51.100.66", None)
                .await
                .assert_problem(401, "invalid_credentials");
        }
        // Even the right password waits now, from this client.
        let slowed = login_from(&app, name, PASSWORD, "198.51.100.66", None).await;
        slowed.assert_problem(429, "too_many_requests");
        let retry: i64 = slowed.header("retry-after").unwrap().parse().unwrap();
        assert!(retry > 0 && retry <= 900);
    }
    // The same worker from anywhere else is not affected.
    login_from(&app, &user.username, PASSWORD, "10.20.30.40", None)
        .await
        .assert_status(200);
}

#[actix_web::test]
async fn ten_wrong_guesses_elsewhere_do_not_lock_the_worker_out_of_the_ward_tablet() {
    let app = TestApp::new().await;
    let ward = app.ward("ASH", ServiceLine::Adult).await;
    let worker = app.user(Role::PeerSupportWorker, &[ward]).await;
    // The worker signed in on the ward tablet yesterday: it holds a device token.
    let first = login_from(&app, &worker.username, PASSWORD, "10.1.1.5", None).await;
    first.assert_status(200);
    let device = first.json()["device_token"].as_str().unwrap().to_string();
    let cookie = first.header("set-cookie").unwrap();
    assert!(cookie.starts_with("peerlog_device="), "{cookie}");
    for attribute in ["HttpOnly", "Secure", "SameSite=Strict", "Path=/api/v1/auth"] {
        assert!(cookie.contains(attribute), "{cookie}");
    }

    // Someone guesses ten times from another client, and is slowed down.
    let mut answers = Vec::new();
    for i in 0..10 {
        let res = login_from(
            &app,
            &worker.username,
            &format!("guess-{i}-xxxxx"),
            "203.0.113.7",
            None,
        )
        .await;
        answers.push(res.status.as_u16());
    }
    assert_eq!(&answers[..5], &[401; 5]);
    assert!(answers[5..].iter().all(|s| *s == 429), "{answers:?}");
    // Not even the right password gets through from the guesser's client.
    login_from(&app, &worker.username, PASSWORD, "203.0.113.7", None)
        .await
        .assert_problem(429, "too_many_requests");

    // On the ward, the worker signs in from their known device at once,
    // even when the tablet shares the attacker's address (the ward's NAT).
    login_from(
        &app,
        &worker.username,
        PASSWORD,
        "203.0.113.7",
        Some(&device),
    )
    .await
    .assert_status(200);
    // A browser sends the cookie instead of the body field.
    let value = cookie
        .split(';')
        .next()
        .unwrap()
        .trim_start_matches("peerlog_device=");
    let via_cookie = app
        .send(
            TestApp::req(Method::POST, "/api/v1/auth/token", None)
                .peer_addr("203.0.113.7:40000".parse().unwrap())
                .cookie(actix_web::cookie::Cookie::new("peerlog_device", value))
                .set_json(json!({ "username": worker.username, "password": PASSWORD })),
        )
        .await;
    via_cookie.assert_status(200);
}

#[actix_web::test]
async fn guessing_across_many_usernames_from_one_address_is_slowed() {
    let app = TestApp::with_config(|c| c.login_max_failures_per_address = 8).await;
    let real = app.user(Role::WardStaff, &[]).await;
    let mut statuses = Vec::new();
    for i in 0..12 {
        let res = login_from(
            &app,
            &format!("name-{i}"),
            "guess-xxxxxxxx",
            "192.0.2.99",
            None,
        )
        .await;
        statuses.push(res.status.as_u16());
    }
    assert_eq!(&statuses[..8], &[401; 8], "{statuses:?}");
    assert!(statuses[8..].iter().all(|s| *s == 429), "{statuses:?}");
    // Another address is not slowed.
    login_from(&app, &real.username, PASSWORD, "192.0.2.100", None)
        .await
        .assert_status(200);
}

#[actix_web::test]
async fn throttle_rows_expire_with_their_window() {
    let app = TestApp::new().await;
    for i in 0..20 {
        login_from(
            &app,
            &format!("fuzz-{i}"),
            "junk-junk-junk",
            "192.0.2.1",
            None,
        )
        .await
        .assert_status(401);
    }
    let count = || async {
        diesel::sql_query("SELECT 1 FROM login_throttle")
            .execute(&mut app.conn().await)
            .await
            .unwrap()
    };
    assert_eq!(count().await, 21);
    // The window ends: the next attempt clears away every expired row.
    diesel::sql_query("UPDATE login_throttle SET expires_at = now() - interval '1 second'")
        .execute(&mut app.conn().await)
        .await
        .unwrap();
    login_from(&app, "one-more", "junk-junk-junk", "192.0.2.2", None)
        .await
        .assert_status(401);
    assert_eq!(count().await, 2);
}

#[actix_web::test]
async fn password_sign_in_can_be_switched_off() {
    let app = TestApp::with_config(|c| c.local_login = false).await;
    let user = app.user(Role::Manager, &[]).await;
    login(&app, &user.username, PASSWORD)
        .await
        .assert_problem(404, "not_found");
    let config = app
        .send(TestApp::req(Method::GET, "/api/v1/app-config", None))
        .await;
    assert_eq!(config.json()["local_login"], false);
}

#[actix_web::test]
async fn a_successful_login_clears_earlier_failures() {
    let app = TestApp::with_config(|c| c.login_max_failures = 3).await;
    let user = app.user(Role::Manager, &[]).await;
    for _ in 0..2 {
        login(&app, &user.username, "wrong-password-x")
            .await
            .assert_status(401);
    }
    login(&app, &user.username, PASSWORD)
        .await
        .assert_status(200);
    for _ in 0..2 {
        login(&app, &user.username, "wrong-password-x")
            .await
            .assert_status(401);
    }
    login(&app, &user.username, PASSWORD)
        .await
        .assert_status(200);
}

#[actix_web::test]
async fn forwarded_addresses_are_believed_only_from_trusted_proxies() {
    let app = TestApp::with_config(|c| {
        c.trusted_proxies = vec!["10.0.0.0/8".parse().unwrap()];
    })
    .await;
    let attempt = |peer: &'static str, forwarded: &'static str| {
        TestApp::req(Method::POST, "/api/v1/auth/token", None)
            .peer_addr(format!("{peer}:40000").parse().unwrap())
            .insert_header(("x-forwarded-for", forwarded))
            .set_json(json!({ "username": "nobody", "password": "junk-junk-junk" }))
    };
    // Through the load balancer: the device's address.
    app.send(attempt("10.0.0.2", "6.6.6.6, 198.51.100.23"))
        .await
        .assert_status(401);
    // Straight from the internet, claiming to be someone else: ignored.
    app.send(attempt("203.0.113.50", "198.51.100.24"))
        .await
        .assert_status(401);
    let ips: Vec<Option<String>> = peerlog::schema::audit_log::table
        .filter(peerlog::schema::audit_log::action.eq("login_failed"))
        .order(peerlog::schema::audit_log::id)
        .select(peerlog::schema::audit_log::client_ip)
        .load(&mut app.conn().await)
        .await
        .unwrap();
    assert_eq!(
        ips,
        [
            Some("198.51.100.23".to_string()),
            Some("203.0.113.50".to_string())
        ]
    );
}

#[actix_web::test]
async fn a_device_token_longer_than_documented_is_refused_by_name() {
    let app = TestApp::new().await;
    let long = "x".repeat(2049);
    let res = login_from(&app, "anyone", "whatever-pass", "198.51.100.9", Some(&long)).await;
    res.assert_problem(422, "validation_failed");
    assert_eq!(res.error_fields(), ["device_token"]);
}

#[actix_web::test]
async fn parallel_guesses_cannot_pass_the_login_limit() {
    let app = TestApp::with_config(|c| c.login_max_failures = 5).await;
    let user = app.user(Role::PeerSupportWorker, &[]).await;
    let body = json!({ "username": user.username, "password": "wrong-password-xx" });
    let answers =
        futures_util::future::join_all((0..30).map(|_| app.post_anon("/api/v1/auth/token", &body)))
            .await;
    let checked = answers.iter().filter(|r| r.status == 401).count();
    let refused = answers.iter().filter(|r| r.status == 429).count();
    assert_eq!((checked, refused), (5, 25));
}
