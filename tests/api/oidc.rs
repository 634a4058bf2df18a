//! Tokens from the trust's OpenID Connect provider. Each test runs a tiny
//! provider of its own on 127.0.0.1 (discovery and JWKS only, with keys the
//! test generates) and signs the tokens itself, so every way a token can be
//! wrong can be tried: unknown key then rotation, wrong issuer or audience,
//! expired, not yet valid, `alg` swapped to HS256 with the public key as
//! the secret, `alg: none`, an unlinked person, a disabled account.
//!
//! Longer than 400 lines on purpose: about 120 of them are the provider
//! fixture (keys, JWKS server, token signing) that every story here shares,
//! and the stories are the attacks of one feature, read best side by side.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use actix_web::http::Method;
use actix_web::{web, App, HttpResponse, HttpServer};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::Utc;
use jsonwebtoken::{encode, Algorithm, EncodingKey, Header};
use p256::elliptic_curve::sec1::ToEncodedPoint;
use p256::pkcs8::{EncodePrivateKey, EncodePublicKey, LineEnding};
use peerlog::auth::Role;
use peerlog::config::OidcSettings;
use rsa::pkcs1::EncodeRsaPrivateKey;
use rsa::traits::PublicKeyParts;
use serde_json::{json, Value};

use crate::common::TestApp;

const AUDIENCE: &str = "peerlog-api";

/// A key the test provider signs with.
struct Key {
    kid: String,
    alg: Algorithm,
    encoding: EncodingKey,
    jwk: Value,
    public_pem: String,
}

fn es256(kid: &str) -> Key {
    let secret = p256::SecretKey::random(&mut rand::rngs::OsRng);
    let der = secret.to_pkcs8_der().unwrap();
    let point = secret.public_key().to_encoded_point(false);
    Key {
        kid: kid.into(),
        alg: Algorithm::ES256,
        encoding: EncodingKey::from_ec_der(der.as_bytes()),
        jwk: json!({
            "kty": "EC", "crv": "P-256", "use": "sig", "alg": "ES256", "kid": kid,
            "x": URL_SAFE_NO_PAD.encode(point.x().unwrap()),
            "y": URL_SAFE_NO_PAD.encode(point.y().unwrap()),
        }),
        public_pem: secret
            .public_key()
            .to_public_key_pem(LineEnding::LF)
            .unwrap(),
    }
}

fn rsa_key(kid: &str, alg: Algorithm) -> Key {
    let private = rsa::RsaPrivateKey::new(&mut rand::rngs::OsRng, 2048).unwrap();
    let der = private.to_pkcs1_der().unwrap();
    let public = private.to_public_key();
    Key {
        kid: kid.into(),
        alg,
        encoding: EncodingKey::from_rsa_der(der.as_bytes()),
        jwk: json!({
            "kty": "RSA", "use": "sig", "kid": kid,
            "n": URL_SAFE_NO_PAD.encode(public.n().to_bytes_be()),
            "e": URL_SAFE_NO_PAD.encode(public.e().to_bytes_be()),
        }),
        public_pem: rsa::pkcs8::EncodePublicKey::to_public_key_pem(&public, LineEnding::LF)
            .unwrap(),
    }
}

/// The test's identity provider: discovery and a JWKS it can rotate.
struct Provider {
    issuer: String,
    jwks: Arc<Mutex<Vec<Value>>>,
    fetches: Arc<AtomicU64>,
}

impl Provider {
    async fn start(keys: &[&Key]) -> Provider {
        let jwks: Arc<Mutex<Vec<Value>>> =
            Arc::new(Mutex::new(keys.iter().map(|k| k.jwk.clone()).collect()));
        let fetches = Arc::new(AtomicU64::new(0));
        let issuer_cell = Arc::new(Mutex::new(String::new()));
        let (j, f, i) = (jwks.clone(), fetches.clone(), issuer_cell.clone());
        let server = HttpServer::new(move || {
            let (j, f, i) = (j.clone(), f.clone(), i.clone());
            App::new()
                .route(
                    "/.well-known/openid-configuration",
                    web::get().to(move || {
                        let issuer = i.lock().unwrap().clone();
                        async move {
                            HttpResponse::Ok().json(json!({
                                "issuer": issuer,
                                "authorization_endpoint": format!("{issuer}/authorize"),
                                "token_endpoint": format!("{issuer}/token"),
                                "jwks_uri": format!("{issuer}/jwks"),
                            }))
                        }
                    }),
                )
                .route(
                    "/jwks",
                    web::get().to(move || {
                        f.fetch_add(1, Ordering::SeqCst);
                        let keys = j.lock().unwrap().clone();
                        async move { HttpResponse::Ok().json(json!({ "keys": keys })) }
                    }),
                )
        })
        .workers(1)
        .bind(("127.0.0.1", 0))
        .unwrap();
        let port = server.addrs()[0].port();
        let issuer = format!("http://127.0.0.1:{port}");
        *issuer_cell.lock().unwrap() = issuer.clone();
        actix_web::rt::spawn(server.run());
        Provider {
            issuer,
            jwks,
            fetches,
        }
    }

    fn publish(&self, keys: &[&Key]) {
        *self.jwks.lock().unwrap() = keys.iter().map(|k| k.jwk.clone()).collect();
    }

    fn claims(&self, sub: &str) -> Value {
        let now = Utc::now().timestamp();
        json!({
            "iss": self.issuer, "aud": AUDIENCE, "sub": sub,
            "iat": now, "nbf": now - 5, "exp": now + 300,
            "name": "Sam Worker", "preferred_username": "sam.worker@trust.nhs.uk",
        })
    }

    fn sign(&self, key: &Key, claims: &Value) -> String {
        let mut header = Header::new(key.alg);
        header.kid = Some(key.kid.clone());
        encode(&header, claims, &key.encoding).unwrap()
    }

    /// A peerlog app that trusts this provider.
    async fn app(&self, adjust: impl FnOnce(&mut OidcSettings)) -> TestApp {
        let mut settings = OidcSettings::for_tests(&self.issuer, AUDIENCE);
        settings.client_id = Some("peerlog-web".into());
        adjust(&mut settings);
        let app = TestApp::with_config(|c| c.oidc = Some(settings)).await;
        app.state.warm_up().await;
        app
    }
}

async fn link(app: &TestApp, admin: &str, user: uuid::Uuid, external_id: &str) {
    app.patch(
        &format!("/api/v1/users/{user}"),
        admin,
        &json!({ "external_id": external_id }),
    )
    .await
    .assert_status(200);
}

#[actix_web::test]
async fn a_linked_person_signs_in_with_the_providers_token_and_every_forgery_is_refused() {
    let es = es256("es-1");
    let rs = rsa_key("rs-1", Algorithm::RS256);
    let provider = Provider::start(&[&es, &rs]).await;
    let app = provider.app(|_| {}).await;
    let admin = app.user(Role::Admin, &[]).await;
    let worker = app.user(Role::PeerSupportWorker, &[]).await;
    link(&app, &admin.token, worker.id, "person-1").await;

    let good = provider.sign(&es, &provider.claims("person-1"));
    let me = app.get("/api/v1/me", &good).await;
    me.assert_status(200);
    assert_eq!(me.json()["id"], worker.id.to_string());
    assert_eq!(me.json()["role"], "peer_support_worker");
    let rs256 = provider.sign(&rs, &provider.claims("person-1"));
    app.get("/api/v1/me", &rs256).await.assert_status(200);
    let ps256 = {
        let mut header = Header::new(Algorithm::PS256);
        header.kid = Some(rs.kid.clone());
        encode(&header, &provider.claims("person-1"), &rs.encoding).unwrap()
    };
    app.get("/api/v1/me", &ps256).await.assert_status(200);

    let now = Utc::now().timestamp();
    let with = |f: &dyn Fn(&mut Value)| {
        let mut c = provider.claims("person-1");
        f(&mut c);
        provider.sign(&es, &c)
    };
    let b64 = |v: &Value| URL_SAFE_NO_PAD.encode(v.to_string());
    let payload = b64(&provider.claims("person-1"));
    let hs256_with_public_key = {
        let mut header = Header::new(Algorithm::HS256);
        header.kid = Some(es.kid.clone());
        encode(
            &header,
            &provider.claims("person-1"),
            &EncodingKey::from_secret(es.public_pem.as_bytes()),
        )
        .unwrap()
    };
    let hs256_with_rsa_public_key = {
        let mut header = Header::new(Algorithm::HS256);
        header.kid = Some(rs.kid.clone());
        encode(
            &header,
            &provider.claims("person-1"),
            &EncodingKey::from_secret(rs.public_pem.as_bytes()),
        )
        .unwrap()
    };
    let alg_none = format!(
        "{}.{payload}.",
        b64(&json!({ "alg": "none", "typ": "JWT", "kid": es.kid }))
    );
    // An ES256 signature presented as RS256 on the RSA key's id.
    let alg_confused = {
        let good_parts: Vec<&str> = good.split('.').collect();
        format!(
            "{}.{}.{}",
            b64(&json!({ "alg": "RS256", "typ": "JWT", "kid": rs.kid })),
            good_parts[1],
            good_parts[2]
        )
    };
    let stranger = es256("es-1");
    for (what, token) in [
        (
            "wrong issuer",
            with(&|c| c["iss"] = json!("https://evil.example")),
        ),
        ("wrong audience", with(&|c| c["aud"] = json!("another-api"))),
        ("expired", with(&|c| c["exp"] = json!(now - 120))),
        ("not yet valid", with(&|c| c["nbf"] = json!(now + 600))),
        (
            "no identity claim",
            with(&|c| {
                c.as_object_mut().unwrap().remove("sub");
            }),
        ),
        (
            "HS256 with the EC public key as secret",
            hs256_with_public_key,
        ),
        (
            "HS256 with the RSA public key as secret",
            hs256_with_rsa_public_key,
        ),
        ("alg none", alg_none),
        ("alg confusion", alg_confused),
        (
            "signed by a stranger's key with a known kid",
            provider.sign(&stranger, &provider.claims("person-1")),
        ),
    ] {
        let res = app.get("/api/v1/me", &token).await;
        assert_eq!(res.status.as_u16(), 401, "{what}: {}", res.text());
        res.assert_problem(401, "invalid_token");
    }
}

#[actix_web::test]
async fn an_unknown_key_is_fetched_once_rotated_in_and_the_old_one_dropped() {
    let old = es256("2026-01");
    let provider = Provider::start(&[&old]).await;
    let app = provider.app(|_| {}).await;
    let admin = app.user(Role::Admin, &[]).await;
    let worker = app.user(Role::WardStaff, &[]).await;
    link(&app, &admin.token, worker.id, "person-2").await;
    assert_eq!(provider.fetches.load(Ordering::SeqCst), 1);
    let by_old = provider.sign(&old, &provider.claims("person-2"));
    app.get("/api/v1/me", &by_old).await.assert_status(200);

    // A token naming a key the provider has not published: refused.
    let new = es256("2026-02");
    let by_new = provider.sign(&new, &provider.claims("person-2"));
    app.get("/api/v1/me", &by_new)
        .await
        .assert_problem(401, "invalid_token");
    // The provider rotates: the new key is fetched on first sight.
    provider.publish(&[&new]);
    app.get("/api/v1/me", &by_new).await.assert_status(200);
    // And the retired key no longer verifies anything.
    app.get("/api/v1/me", &by_old)
        .await
        .assert_problem(401, "invalid_token");
}

#[actix_web::test]
async fn unknown_key_ids_cannot_make_peerlog_hammer_the_provider() {
    let key = es256("k1");
    let provider = Provider::start(&[&key]).await;
    let app = provider.app(|s| s.jwks_refetch_secs = 3600).await;
    let before = provider.fetches.load(Ordering::SeqCst);
    for i in 0..20 {
        let forged = es256(&format!("forged-{i}"));
        let token = provider.sign(&forged, &provider.claims("anyone"));
        app.get("/api/v1/me", &token)
            .await
            .assert_problem(401, "invalid_token");
    }
    assert_eq!(provider.fetches.load(Ordering::SeqCst), before);
}

#[actix_web::test]
async fn an_unlinked_person_or_a_disabled_account_is_refused() {
    let key = es256("k1");
    let provider = Provider::start(&[&key]).await;
    let app = provider.app(|_| {}).await;
    let admin = app.user(Role::Admin, &[]).await;
    let unlinked = provider.sign(&key, &provider.claims("nobody-linked"));
    app.get("/api/v1/me", &unlinked)
        .await
        .assert_problem(401, "account_not_linked");
    app.post_anon("/api/v1/auth/oidc/token", &json!({ "token": unlinked }))
        .await
        .assert_problem(401, "account_not_linked");

    let worker = app.user(Role::PeerSupportWorker, &[]).await;
    link(&app, &admin.token, worker.id, "person-3").await;
    let token = provider.sign(&key, &provider.claims("person-3"));
    app.get("/api/v1/me", &token).await.assert_status(200);
    app.patch(
        &format!("/api/v1/users/{}", worker.id),
        &admin.token,
        &json!({ "active": false }),
    )
    .await
    .assert_status(200);
    app.get("/api/v1/me", &token)
        .await
        .assert_problem(401, "account_inactive");

    // One person, one account.
    let other = app.user(Role::WardStaff, &[]).await;
    app.patch(
        &format!("/api/v1/users/{}", other.id),
        &admin.token,
        &json!({ "external_id": "person-3" }),
    )
    .await
    .assert_problem(409, "external_id_taken");
}

#[actix_web::test]
async fn the_provider_token_is_exchanged_for_a_session_that_logout_ends() {
    let key = rsa_key("k1", Algorithm::RS256);
    let provider = Provider::start(&[&key]).await;
    let app = provider.app(|_| {}).await;
    let admin = app.user(Role::Admin, &[]).await;
    let worker = app.user(Role::PeerSupportWorker, &[]).await;
    link(&app, &admin.token, worker.id, "person-4").await;

    let id_token = provider.sign(&key, &provider.claims("person-4"));
    let session = app
        .post_anon("/api/v1/auth/oidc/token", &json!({ "token": id_token }))
        .await;
    session.assert_status(200);
    assert_eq!(session.header("cache-control").as_deref(), Some("no-store"));
    let session = session.json();
    let access = session["access_token"].as_str().unwrap();
    app.get("/api/v1/me", access).await.assert_status(200);
    app.post_anon(
        "/api/v1/auth/logout",
        &json!({ "refresh_token": session["refresh_token"] }),
    )
    .await
    .assert_status(204);
    app.get("/api/v1/me", access)
        .await
        .assert_problem(401, "invalid_token");

    // Forgeries get nothing here either.
    let mut header = Header::new(Algorithm::HS256);
    header.kid = Some(key.kid.clone());
    let forged = encode(
        &header,
        &provider.claims("person-4"),
        &EncodingKey::from_secret(key.public_pem.as_bytes()),
    )
    .unwrap();
    app.post_anon("/api/v1/auth/oidc/token", &json!({ "token": forged }))
        .await
        .assert_problem(401, "invalid_token");
}

#[actix_web::test]
async fn auto_provisioning_creates_an_inactive_account_for_an_admin_to_complete() {
    let key = es256("k1");
    let provider = Provider::start(&[&key]).await;
    let app = provider.app(|s| s.auto_provision = true).await;
    let admin = app.user(Role::Admin, &[]).await;
    let token = provider.sign(&key, &provider.claims("person-new"));
    app.get("/api/v1/me", &token)
        .await
        .assert_problem(401, "account_inactive");
    let users = app
        .get("/api/v1/users?active=false", &admin.token)
        .await
        .json();
    let created = users["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["external_id"] == "person-new")
        .expect("provisioned")
        .clone();
    assert_eq!(created["active"], false);
    assert_eq!(created["display_name"], "Sam Worker");
    assert!(created["username"]
        .as_str()
        .unwrap()
        .starts_with("sam.worker-"));
    // It has no password anyone could guess.
    app.post_anon(
        "/api/v1/auth/token",
        &json!({ "username": created["username"], "password": "!" }),
    )
    .await
    .assert_problem(401, "invalid_credentials");
    // The admin gives it a role and turns it on.
    app.patch(
        &format!("/api/v1/users/{}", created["id"].as_str().unwrap()),
        &admin.token,
        &json!({ "active": true, "role": "ward_staff" }),
    )
    .await
    .assert_status(200);
    let me = app.get("/api/v1/me", &token).await;
    me.assert_status(200);
    assert_eq!(me.json()["role"], "ward_staff");
}

#[actix_web::test]
async fn app_config_tells_the_web_app_how_to_offer_the_nhs_sign_in() {
    let key = es256("k1");
    let provider = Provider::start(&[&key]).await;
    let app = provider.app(|_| {}).await;
    let config = app
        .send(TestApp::req(Method::GET, "/api/v1/app-config", None))
        .await
        .json();
    assert_eq!(config["local_login"], true);
    assert_eq!(config["oidc"]["issuer"], provider.issuer);
    assert_eq!(
        config["oidc"]["authorization_endpoint"],
        format!("{}/authorize", provider.issuer)
    );
    assert_eq!(config["oidc"]["client_id"], "peerlog-web");
    assert_eq!(config["oidc"]["scopes"], "openid profile");

    let plain = TestApp::new().await;
    let config = plain
        .send(TestApp::req(Method::GET, "/api/v1/app-config", None))
        .await
        .json();
    assert!(config["oidc"].is_null());
}
