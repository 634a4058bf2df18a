//! `/api/v1/auth/*` and `/api/v1/me`: signing in, token validation,
//! refresh rotation, throttling. Each sign-in URL's stories are in its
//! file; here, the access token as every URL checks it.

mod logout;
mod refresh;
mod tablet;
mod token;

use actix_web::http::Method;
use base64::Engine;
use chrono::Utc;
use peerlog::auth::Role;
use peerlog::identity::jwt::Claims;
use peerlog::models::ward::ServiceLine;
use serde_json::json;
use uuid::Uuid;

use crate::common::TestApp;

pub(super) async fn login(app: &TestApp, username: &str, password: &str) -> crate::common::Resp {
    app.post_anon(
        "/api/v1/auth/token",
        &json!({ "username": username, "password": password }),
    )
    .await
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
