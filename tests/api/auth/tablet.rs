//! `/api/v1/auth/tablet`, and signing in on an enrolled ward tablet: the
//! ward's tablets share one address behind the trust's NAT, so a spray of
//! failed sign-ins from that address must not lock them out; guessing one
//! person's password on the tablet must still be slowed.

use actix_web::cookie::Cookie;
use actix_web::http::Method;
use diesel_async::RunQueryDsl;
use peerlog::auth::Role;
use peerlog::models::ward::ServiceLine;
use serde_json::json;

use crate::common::{TestApp, TestUser, PASSWORD};

/// The ward's NAT: every tablet and everyone else on the ward's network.
const WARD_NAT: &str = "203.0.113.50";

/// A sign-in attempt from the ward's address, on a tablet (its secret) or
/// on an unknown device.
async fn sign_in(
    app: &TestApp,
    username: &str,
    password: &str,
    tablet: Option<&str>,
) -> crate::common::Resp {
    let mut req = TestApp::req(Method::POST, "/api/v1/auth/token", None)
        .peer_addr(format!("{WARD_NAT}:40000").parse().unwrap())
        .set_json(json!({ "username": username, "password": password }));
    if let Some(secret) = tablet {
        req = req.cookie(Cookie::new("peerlog_tablet", secret.to_string()));
    }
    app.send(req).await
}

/// An admin creates a tablet; the code is typed on it: its secret.
async fn enrol(app: &TestApp, admin: &TestUser, name: &str) -> (String, String) {
    let created = app
        .post("/api/v1/tablets", &admin.token, &json!({ "name": name }))
        .await;
    created.assert_status(201);
    let id = created.json()["id"].as_str().unwrap().to_string();
    let code = created.json()["enrolment_code"]
        .as_str()
        .unwrap()
        .to_string();
    let res = app
        .send(
            TestApp::req(Method::POST, "/api/v1/auth/tablet", None)
                .peer_addr(format!("{WARD_NAT}:40000").parse().unwrap())
                .set_json(json!({ "code": code })),
        )
        .await;
    res.assert_status(200);
    assert_eq!(res.json()["enrolled"], true);
    assert_eq!(res.json()["name"], name);
    let cookie = res.header("set-cookie").unwrap();
    for attribute in ["HttpOnly", "Secure", "SameSite=Strict", "Path=/api/v1/auth"] {
        assert!(cookie.contains(attribute), "{cookie}");
    }
    let secret = cookie
        .split(';')
        .next()
        .unwrap()
        .trim_start_matches("peerlog_tablet=")
        .to_string();
    assert!(secret.len() >= 40, "{secret}");
    (id, secret)
}

/// Someone on the ward's network tries twelve usernames.
async fn spray(app: &TestApp) {
    let mut statuses = Vec::new();
    for i in 0..12 {
        let res = sign_in(app, &format!("name-{i}"), "guess-xxxxxxxx", None).await;
        statuses.push(res.status.as_u16());
    }
    assert!(statuses[8..].iter().all(|s| *s == 429), "{statuses:?}");
}

#[actix_web::test]
async fn after_a_spray_from_the_wards_address_a_real_worker_signs_in_first_time_on_an_enrolled_tablet(
) {
    let app = TestApp::with_config(|c| c.login_max_failures_per_address = 8).await;
    let admin = app.user(Role::Admin, &[]).await;
    let ward = app.ward("ASH", ServiceLine::Adult).await;
    let worker = app.user(Role::PeerSupportWorker, &[ward]).await;
    let nurse = app.user(Role::WardStaff, &[ward]).await;
    let (id, secret) = enrol(&app, &admin, "Ash ward tablet 1").await;

    spray(&app).await;

    // An unknown device on the same address is slowed: the per-address
    // throttle still stands, even for the right password.
    let elsewhere = sign_in(&app, &nurse.username, PASSWORD, None).await;
    let body = elsewhere.assert_problem(429, "too_many_requests");
    assert!(body["detail"].is_string());
    assert!(
        elsewhere
            .header("retry-after")
            .unwrap()
            .parse::<i64>()
            .unwrap()
            > 0
    );

    // On the enrolled tablet, behind the same address, people who never
    // signed in there before get in at the first try.
    let first = sign_in(&app, &worker.username, PASSWORD, Some(&secret)).await;
    first.assert_status(200);
    // The tablet's cookie is renewed by a sign-in on it.
    assert!(first
        .headers
        .get_all("set-cookie")
        .any(|c| c.to_str().unwrap().starts_with("peerlog_tablet=")));
    sign_in(&app, &nurse.username, PASSWORD, Some(&secret))
        .await
        .assert_status(200);

    // The console sees when it was last used; the audit log, on which tablet.
    let list = app.get("/api/v1/tablets", &admin.token).await;
    assert_eq!(list.json()["items"][0]["id"], id);
    assert_eq!(list.json()["items"][0]["status"], "enrolled");
    assert!(list.json()["items"][0]["last_sign_in_at"].is_string());
    let audit = app.get("/api/v1/audit?limit=200", &admin.token).await;
    assert!(audit.text().contains(&id));
    assert!(!audit.text().contains(&secret));
    assert_eq!(app.audit_count("enrol", "tablet").await, 1);
}

#[actix_web::test]
async fn on_an_enrolled_tablet_guessing_one_persons_password_is_still_slowed() {
    let app = TestApp::with_config(|c| c.login_max_failures = 3).await;
    let admin = app.user(Role::Admin, &[]).await;
    let ward = app.ward("ASH", ServiceLine::Adult).await;
    let worker = app.user(Role::PeerSupportWorker, &[ward]).await;
    let colleague = app.user(Role::PeerSupportWorker, &[ward]).await;
    let (_, secret) = enrol(&app, &admin, "Ash ward tablet 1").await;

    for _ in 0..3 {
        sign_in(&app, &worker.username, "guess-xxxxxxxx", Some(&secret))
            .await
            .assert_problem(401, "invalid_credentials");
    }
    // Even the right password waits now, on this tablet, for this person.
    let slowed = sign_in(&app, &worker.username, PASSWORD, Some(&secret)).await;
    slowed.assert_problem(429, "too_many_requests");
    // The next person at the tablet is not held up by it.
    sign_in(&app, &colleague.username, PASSWORD, Some(&secret))
        .await
        .assert_status(200);
}

#[actix_web::test]
async fn a_revoked_tablet_signs_in_like_an_unknown_device() {
    let app = TestApp::with_config(|c| c.login_max_failures_per_address = 8).await;
    let admin = app.user(Role::Admin, &[]).await;
    let ward = app.ward("ASH", ServiceLine::Adult).await;
    let worker = app.user(Role::PeerSupportWorker, &[ward]).await;
    let (id, secret) = enrol(&app, &admin, "Lost tablet").await;
    let asks = |secret: String| {
        TestApp::req(Method::GET, "/api/v1/auth/tablet", None)
            .cookie(Cookie::new("peerlog_tablet", secret))
    };
    let known = app.send(asks(secret.clone())).await;
    assert_eq!(
        known.json(),
        json!({ "enrolled": true, "name": "Lost tablet" })
    );

    app.post(
        &format!("/api/v1/tablets/{id}/revoke"),
        &admin.token,
        &json!({}),
    )
    .await
    .assert_status(200);
    let unknown = app.send(asks(secret.clone())).await;
    assert_eq!(unknown.json(), json!({ "enrolled": false }));

    spray(&app).await;
    sign_in(&app, &worker.username, PASSWORD, Some(&secret))
        .await
        .assert_problem(429, "too_many_requests");
}

#[actix_web::test]
async fn an_enrolment_code_works_once_however_it_is_typed_and_not_after_it_expires() {
    let app = TestApp::new().await;
    let admin = app.user(Role::Admin, &[]).await;
    let code_of =
        |res: &crate::common::Resp| res.json()["enrolment_code"].as_str().unwrap().to_string();
    let typed = |code: &str| json!({ "code": code });

    let code = code_of(
        &app.post("/api/v1/tablets", &admin.token, &json!({ "name": "A" }))
            .await,
    );
    // Lower case, a space for the dash: still the code.
    let loose = code.to_lowercase().replace('-', " ");
    app.post_anon("/api/v1/auth/tablet", &typed(&loose))
        .await
        .assert_status(200);
    // Used up.
    let again = app.post_anon("/api/v1/auth/tablet", &typed(&code)).await;
    again.assert_problem(422, "validation_failed");
    assert_eq!(again.error_fields(), ["code"]);

    let late = code_of(
        &app.post("/api/v1/tablets", &admin.token, &json!({ "name": "B" }))
            .await,
    );
    diesel::sql_query("UPDATE tablets SET code_expires_at = now() - interval '1 second' WHERE enrolled_at IS NULL")
        .execute(&mut app.conn().await)
        .await
        .unwrap();
    let expired = app.post_anon("/api/v1/auth/tablet", &typed(&late)).await;
    assert_eq!(expired.error_fields(), ["code"]);
    let list = app.get("/api/v1/tablets", &admin.token).await;
    assert_eq!(list.json()["items"][0]["status"], "code_expired");

    for junk in ["", "ABC", &"X".repeat(65), "OOOOO-11111"] {
        let res = app.post_anon("/api/v1/auth/tablet", &typed(junk)).await;
        res.assert_problem(422, "validation_failed");
        assert_eq!(res.error_fields(), ["code"], "{junk}");
    }
    // No cookie for a device that is not enrolled.
    let none = app
        .send(TestApp::req(Method::GET, "/api/v1/auth/tablet", None))
        .await;
    assert_eq!(none.json(), json!({ "enrolled": false }));
}
