//! `POST /api/v1/oauth/token`: a trust system signs an assertion with its
//! own key and gets a token that acts as its integration account, limited
//! to its wards and scopes. Every way an assertion can be wrong is refused
//! with the OAuth error a client library reads, and nothing is granted.

use chrono::Utc;
use jsonwebtoken::{encode, Algorithm, EncodingKey, Header};
use peerlog::auth::Role;
use serde_json::{json, Value};

use crate::activities::Ward;
use crate::common::smart::{self, claims, es384, form, rs384, sign, ClientKey};
use crate::common::TestApp;
use crate::events::settle;

/// A client registered on one ward with `system/*.rs`, its key, and an admin.
pub(super) async fn registered() -> (Ward, ClientKey, String) {
    let w = Ward::on(smart::smart_app().await).await;
    let admin = w.app.user(Role::Admin, &[]).await;
    let key = rs384("epr-key-1");
    w.app
        .register_client(
            &admin.token,
            "ward-epr",
            &[&key],
            &["system/*.rs"],
            &[w.ward],
        )
        .await;
    (w, key, admin.token)
}

/// Asserts an OAuth error answer, with no token in it.
pub(super) fn assert_refused(res: &crate::common::Resp, status: u16, error: &str) -> Value {
    res.assert_status(status);
    let body = res.json();
    assert_eq!(body["error"], error, "{body}");
    assert!(body["error_description"].is_string());
    assert!(body.get("access_token").is_none());
    assert_eq!(res.header("cache-control").as_deref(), Some("no-store"));
    body
}

#[actix_web::test]
async fn a_system_signed_in_with_rs384_sees_only_its_own_ward() {
    let (w, key, _) = registered().await;
    let here = w.record(&w.body("one_to_one")).await;
    let mut elsewhere = w.body("one_to_one");
    elsewhere["ward_id"] = json!(w.other_ward);
    elsewhere["service_user_ids"] = json!([w.stranger]);
    let other_worker = w.app.user(Role::PeerSupportWorker, &[w.other_ward]).await;
    w.app
        .post("/api/v1/activities", &other_worker.token, &elsewhere)
        .await
        .assert_status(201);
    settle(&w.app).await;

    let res = w
        .app
        .token_request(&form(
            &sign(&key, &claims("ward-epr")),
            "system/Encounter.rs",
        ))
        .await;
    res.assert_status(200);
    let body = res.json();
    assert_eq!(body["token_type"], "bearer");
    assert_eq!(body["expires_in"], 300);
    assert_eq!(body["scope"], "system/Encounter.rs");
    let token = body["access_token"].as_str().unwrap();

    let me = w.app.get("/api/v1/me", token).await;
    me.assert_status(200);
    assert_eq!(me.json()["role"], "integration");
    assert_eq!(me.json()["username"], "client.ward-epr");
    // The warehouse export, as the client: its ward's activity only.
    let export = w.app.get("/api/v1/exports/activities", token).await;
    export.assert_status(200);
    let lines: Vec<Value> = export
        .text()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2, "one activity and the end line: {lines:?}");
    assert_eq!(lines[0]["id"], here["id"]);
    assert_eq!(w.app.audit_count("token", "integration_client").await, 1);
}

#[actix_web::test]
async fn es384_keys_sign_too_and_a_trust_wide_client_sees_every_ward() {
    let app = smart::smart_app().await;
    let admin = app.user(Role::Admin, &[]).await;
    let key = es384("warehouse-ec");
    app.register_client(
        &admin.token,
        "warehouse",
        &[&key],
        &["system/Patient.rs", "system/Encounter.read"],
        &[],
    )
    .await;
    let token = app
        .system_token("warehouse", &key, "system/Patient.rs system/Encounter.rs")
        .await;
    app.get("/api/v1/exports/activities", &token)
        .await
        .assert_status(200);
}

#[actix_web::test]
async fn a_replayed_assertion_is_refused() {
    let (w, key, _) = registered().await;
    let assertion = sign(&key, &claims("ward-epr"));
    w.app
        .token_request(&form(&assertion, "system/*.rs"))
        .await
        .assert_status(200);
    let res = w.app.token_request(&form(&assertion, "system/*.rs")).await;
    assert_refused(&res, 400, "invalid_grant");
}

#[actix_web::test]
async fn an_expired_assertion_is_refused() {
    let (w, key, _) = registered().await;
    let mut c = claims("ward-epr");
    c["exp"] = json!(Utc::now().timestamp() - 120);
    let res = w
        .app
        .token_request(&form(&sign(&key, &c), "system/*.rs"))
        .await;
    let body = assert_refused(&res, 401, "invalid_client");
    assert!(body["error_description"]
        .as_str()
        .unwrap()
        .contains("expired"));
}

#[actix_web::test]
async fn an_assertion_living_more_than_five_minutes_is_refused() {
    let (w, key, _) = registered().await;
    let mut c = claims("ward-epr");
    c["exp"] = json!(Utc::now().timestamp() + 3600);
    let res = w
        .app
        .token_request(&form(&sign(&key, &c), "system/*.rs"))
        .await;
    assert_refused(&res, 401, "invalid_client");
}

#[actix_web::test]
async fn an_assertion_for_another_audience_is_refused() {
    let (w, key, _) = registered().await;
    for aud in [
        json!("https://elsewhere.test/token"),
        json!("https://peerlog.test/"),
    ] {
        let mut c = claims("ward-epr");
        c["aud"] = aud;
        let res = w
            .app
            .token_request(&form(&sign(&key, &c), "system/*.rs"))
            .await;
        let body = assert_refused(&res, 401, "invalid_client");
        assert!(body["error_description"].as_str().unwrap().contains("aud"));
    }
}

#[actix_web::test]
async fn an_assertion_by_an_unregistered_key_is_refused() {
    let (w, _, _) = registered().await;
    let stranger = rs384("not-registered");
    let res = w
        .app
        .token_request(&form(&sign(&stranger, &claims("ward-epr")), "system/*.rs"))
        .await;
    assert_refused(&res, 401, "invalid_client");
    // The registered kid on a signature by another key: the signature fails.
    let forger = rs384("epr-key-1");
    let res = w
        .app
        .token_request(&form(&sign(&forger, &claims("ward-epr")), "system/*.rs"))
        .await;
    let body = assert_refused(&res, 401, "invalid_client");
    assert!(body["error_description"]
        .as_str()
        .unwrap()
        .contains("signature"));
    assert_eq!(
        w.app
            .audit_count("token_refused", "integration_client")
            .await,
        2
    );
}

#[actix_web::test]
async fn malformed_assertions_and_requests_are_refused() {
    let (w, key, _) = registered().await;
    for garbage in [
        "",
        "not-a-jwt",
        "a.b.c",
        "eyJhbGciOiJub25lIn0.eyJpc3MiOiJ3YXJkLWVwciJ9.",
    ] {
        let res = w.app.token_request(&form(garbage, "system/*.rs")).await;
        assert!(
            matches!(res.status.as_u16(), 400 | 401),
            "{garbage:?}: {}",
            res.status
        );
        let error = res.json()["error"].as_str().unwrap().to_string();
        assert!(
            ["invalid_request", "invalid_client"].contains(&error.as_str()),
            "{error}"
        );
    }
    // HMAC with the public key as secret, and `none`: never accepted.
    let mut header = Header::new(Algorithm::HS256);
    header.kid = Some("epr-key-1".into());
    let hmac = encode(
        &header,
        &claims("ward-epr"),
        &EncodingKey::from_secret(b"x"),
    )
    .unwrap();
    assert_refused(
        &w.app.token_request(&form(&hmac, "system/*.rs")).await,
        401,
        "invalid_client",
    );
    // iss and sub must both be the client.
    let mut c = claims("ward-epr");
    c["sub"] = json!("someone-else");
    assert_refused(
        &w.app
            .token_request(&form(&sign(&key, &c), "system/*.rs"))
            .await,
        401,
        "invalid_client",
    );
    // No jti.
    let mut c = claims("ward-epr");
    c.as_object_mut().unwrap().remove("jti");
    assert_refused(
        &w.app
            .token_request(&form(&sign(&key, &c), "system/*.rs"))
            .await,
        401,
        "invalid_client",
    );
    // An unknown client.
    assert_refused(
        &w.app
            .token_request(&form(&sign(&key, &claims("nobody")), "system/*.rs"))
            .await,
        401,
        "invalid_client",
    );
    // Wrong grant type, wrong assertion type, not a form.
    let other_grant = form(&sign(&key, &claims("ward-epr")), "system/*.rs")
        .replace("client_credentials", "password");
    assert_refused(
        &w.app.token_request(&other_grant).await,
        400,
        "unsupported_grant_type",
    );
    let other_type =
        form(&sign(&key, &claims("ward-epr")), "system/*.rs").replace("jwt-bearer", "saml2-bearer");
    assert_refused(
        &w.app.token_request(&other_type).await,
        400,
        "invalid_request",
    );
    let json_body = w
        .app
        .post_anon(
            "/api/v1/oauth/token",
            &json!({ "grant_type": "client_credentials" }),
        )
        .await;
    assert_refused(&json_body, 400, "invalid_request");
}

#[actix_web::test]
async fn disabling_a_client_stops_its_tokens_at_once() {
    let (w, key, admin) = registered().await;
    let token = w.app.system_token("ward-epr", &key, "system/*.rs").await;
    w.app.get("/api/v1/me", &token).await.assert_status(200);
    let list = w.app.get("/api/v1/integration-clients", &admin).await;
    let id = list.json()["items"][0]["id"].as_str().unwrap().to_string();
    w.app
        .patch(
            &format!("/api/v1/integration-clients/{id}"),
            &admin,
            &json!({ "active": false }),
        )
        .await
        .assert_status(200);
    w.app
        .get("/api/v1/me", &token)
        .await
        .assert_problem(401, "invalid_token");
    let res = w
        .app
        .token_request(&form(&sign(&key, &claims("ward-epr")), "system/*.rs"))
        .await;
    assert_refused(&res, 401, "invalid_client");
}

#[actix_web::test]
async fn keys_published_at_a_jwks_url_are_fetched() {
    use actix_web::{web, App, HttpResponse, HttpServer};
    let key = rs384("published");
    let jwk = key.jwk.clone();
    let server = HttpServer::new(move || {
        let jwk = jwk.clone();
        App::new().route(
            "/jwks.json",
            web::get().to(move || {
                let jwk = jwk.clone();
                async move { HttpResponse::Ok().json(json!({ "keys": [jwk] })) }
            }),
        )
    })
    .workers(1)
    .bind(("127.0.0.1", 0))
    .unwrap();
    let port = server.addrs()[0].port();
    actix_web::rt::spawn(server.run());

    let app: TestApp = smart::smart_app().await;
    let admin = app.user(Role::Admin, &[]).await;
    app.post(
        "/api/v1/integration-clients",
        &admin.token,
        &json!({
            "client_id": "engine", "display_name": "Rhapsody",
            "jwks_url": format!("http://127.0.0.1:{port}/jwks.json"),
            "scopes": ["system/*.read"], "trust_wide": true,
        }),
    )
    .await
    .assert_status(201);
    let token = app
        .system_token("engine", &key, "system/Encounter.read")
        .await;
    app.get("/api/v1/me", &token).await.assert_status(200);
    let stranger = rs384("published-elsewhere");
    let res = app
        .token_request(&form(&sign(&stranger, &claims("engine")), "system/*.read"))
        .await;
    assert_refused(&res, 401, "invalid_client");
}
