//! `/api/v1/auth/*` and `/api/v1/me`: signing in, token validation,
//! refresh rotation, throttling.

use actix_web::http::Method;
use base64::Engine;
use chrono::Utc;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use peerlog::auth::Role;
use peerlog::identity::jwt::Claims;
use peerlog::models::ward::ServiceLine;
use peerlog::schema::users;
use serde_json::json;
use uuid::Uuid;

use crate::common::{TestApp, PASSWORD};

async fn login(app: &TestApp, username: &str, password: &str) -> crate::common::Resp {
    app.post_anon(
        "/api/v1/auth/token",
        &json!({ "username": username, "password": password }),
    )
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

fn forge(app: &TestApp, adjust: impl FnOnce(&mut Claims)) -> String {
    let now = Utc::now().timestamp();
    let mut claims = Claims {
        sub: Uuid::nil(),
        role: Role::Admin,
        iss: app.state.config.jwt_issuer.clone(),
        aud: app.state.config.jwt_audience.clone(),
        iat: now,
        exp: now + 600,
        sid: Uuid::nil(),
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

    let sid = peerlog::models::sign_in::create(
        &mut *app.conn().await,
        id,
        peerlog::models::sign_in::Method::Password,
    )
    .await
    .unwrap();
    let forge = |adjust: &dyn Fn(&mut Claims)| {
        forge(&app, |c| {
            c.sid = sid;
            adjust(c)
        })
    };
    // Control: a well-formed token for the same user works.
    let good = forge(&|c| c.sub = id);
    // The same with a sign-in that does not exist (or is someone else's).
    let no_sign_in = self::forge(&app, |c| c.sub = id);
    app.get("/api/v1/me", &good).await.assert_status(200);

    let expired = forge(&|c| {
        c.sub = id;
        c.iat -= 7200;
        c.exp = Utc::now().timestamp() - 120;
    });
    let wrong_issuer = forge(&|c| {
        c.sub = id;
        c.iss = "someone-else".into();
    });
    let wrong_audience = forge(&|c| {
        c.sub = id;
        c.aud = "another-api".into();
    });
    let from_the_future = forge(&|c| {
        c.sub = id;
        c.iat += 3600;
    });
    let mut parts: Vec<String> = good.split('.').map(str::to_string).collect();
    let mut payload: serde_json::Value =
        serde_json::from_slice(&b64.decode(&parts[1]).unwrap()).unwrap();
    payload["role"] = json!("admin");
    payload["sub"] = json!(Uuid::new_v4());
    parts[1] = b64.encode(payload.to_string());
    let tampered = parts.join(".");
    let alg_none = format!(
        "{}.{}.",
        b64.encode(br#"{"alg":"none","typ":"JWT"}"#),
        good.split('.').nth(1).unwrap()
    );
    let garbage = "not.a.jwt".to_string();

    for (what, token) in [
        ("expired", expired),
        ("wrong issuer", wrong_issuer),
        ("wrong audience", wrong_audience),
        ("issued in the future", from_the_future),
        ("tampered signature", tampered),
        ("alg none", alg_none),
        ("garbage", garbage),
        ("sign-in unknown", no_sign_in),
    ] {
        let res = app.get("/api/v1/me", &token).await;
        assert_eq!(res.status.as_u16(), 401, "{what}: {}", res.text());
        res.assert_problem(401, "invalid_token");
        assert!(res
            .header("www-authenticate")
            .unwrap()
            .starts_with("Bearer"));
    }

    let missing = app
        .send(TestApp::req(Method::GET, "/api/v1/me", None))
        .await;
    missing.assert_problem(401, "missing_token");
    let basic = app
        .send(
            TestApp::req(Method::GET, "/api/v1/me", None)
                .insert_header(("authorization", "Basic YTpi")),
        )
        .await;
    basic.assert_problem(401, "invalid_token");
}

#[actix_web::test]
async fn a_disabled_account_or_changed_role_stops_working_at_once() {
    let app = TestApp::new().await;
    let admin = app.user(Role::Admin, &[]).await;
    let worker = app.user(Role::PeerSupportWorker, &[]).await;
    let leader = app.user(Role::PeerSupportWorker, &[]).await;
    app.get("/api/v1/me", &worker.token)
        .await
        .assert_status(200);

    app.patch(
        &format!("/api/v1/users/{}", worker.id),
        &admin.token,
        &json!({ "active": false }),
    )
    .await
    .assert_status(200);
    app.get("/api/v1/me", &worker.token)
        .await
        .assert_problem(401, "invalid_token");

    app.patch(
        &format!("/api/v1/users/{}", leader.id),
        &admin.token,
        &json!({ "role": "peer_team_leader" }),
    )
    .await
    .assert_status(200);
    app.get("/api/v1/me", &leader.token)
        .await
        .assert_problem(401, "token_stale");
}

#[actix_web::test]
async fn ward_assignment_changes_apply_to_the_next_request() {
    let app = TestApp::new().await;
    let admin = app.user(Role::Admin, &[]).await;
    let ash = app.ward("ASH", ServiceLine::Adult).await;
    let oak = app.ward("OAK", ServiceLine::MediumSecure).await;
    let worker = app.user(Role::PeerSupportWorker, &[ash]).await;
    app.get(&format!("/api/v1/wards/{oak}"), &worker.token)
        .await
        .assert_status(404);

    app.put(
        &format!("/api/v1/users/{}/wards", worker.id),
        &admin.token,
        &json!({ "ward_ids": [oak] }),
    )
    .await
    .assert_status(200);
    app.get(&format!("/api/v1/wards/{oak}"), &worker.token)
        .await
        .assert_status(200);
    app.get(&format!("/api/v1/wards/{ash}"), &worker.token)
        .await
        .assert_status(404);
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
    login(&app, "newbie", "a-very-secret-passphrase")
        .await
        .assert_status(200);
    login(&app, "newbie", "wrong-secret-passphrase")
        .await
        .assert_status(401);
    let audit = app.get("/api/v1/audit?limit=200", &admin.token).await;
    audit.assert_status(200);
    assert!(!audit.text().contains("secret-passphrase"));
    assert!(!audit.text().contains("argon2"));
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
async fn every_answer_carries_the_security_headers() {
    let app = TestApp::new().await;
    let res = app.send(TestApp::req(Method::GET, "/health", None)).await;
    assert_eq!(
        res.header("x-content-type-options").as_deref(),
        Some("nosniff")
    );
    assert_eq!(
        res.header("referrer-policy").as_deref(),
        Some("no-referrer")
    );
    assert!(res
        .header("content-security-policy")
        .unwrap()
        .contains("frame-ancestors 'none'"));
    assert!(res.header("strict-transport-security").is_none());
    let problem = app
        .send(TestApp::req(Method::GET, "/api/v1/me", None))
        .await;
    assert!(problem
        .header("content-security-policy")
        .unwrap()
        .contains("frame-ancestors 'none'"));

    let behind_tls = TestApp::with_config(|c| c.hsts = true).await;
    let res = behind_tls
        .send(TestApp::req(Method::GET, "/health", None))
        .await;
    assert!(res
        .header("strict-transport-security")
        .unwrap()
        .starts_with("max-age="));
}

#[actix_web::test]
async fn a_device_token_longer_than_documented_is_refused_by_name() {
    let app = TestApp::new().await;
    let long = "x".repeat(2049);
    let res = login_from(&app, "anyone", "whatever-pass", "198.51.100.9", Some(&long)).await;
    res.assert_problem(422, "validation_failed");
    assert_eq!(res.error_fields(), ["device_token"]);
}
