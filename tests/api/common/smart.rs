//! A trust system's side of SMART Backend Services, for the tests: its key
//! pairs, its registration by an admin, the client assertions it signs and
//! the access tokens it gets.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::Utc;
use jsonwebtoken::{encode, Algorithm, EncodingKey, Header};
use rsa::pkcs1::EncodeRsaPrivateKey;
use rsa::traits::PublicKeyParts;
use serde_json::{json, Value};
use uuid::Uuid;

use super::{Resp, TestApp};
use actix_web::http::Method;

/// Where the tests' peerlog says it lives.
pub const PUBLIC_URL: &str = "https://peerlog.test";
/// The token endpoint under it: the `aud` of every assertion.
pub const TOKEN_URL: &str = "https://peerlog.test/api/v1/oauth/token";

/// A key pair of a trust system: the private half to sign, the public JWK
/// to register.
pub struct ClientKey {
    pub kid: String,
    pub alg: Algorithm,
    pub encoding: EncodingKey,
    pub jwk: Value,
}

/// An RSA key signing RS384 (SMART's required RSA algorithm).
pub fn rs384(kid: &str) -> ClientKey {
    let private = rsa::RsaPrivateKey::new(&mut rand::rngs::OsRng, 2048).unwrap();
    let der = private.to_pkcs1_der().unwrap();
    let public = private.to_public_key();
    ClientKey {
        kid: kid.into(),
        alg: Algorithm::RS384,
        encoding: EncodingKey::from_rsa_der(der.as_bytes()),
        jwk: json!({
            "kty": "RSA", "alg": "RS384", "use": "sig", "kid": kid,
            "n": URL_SAFE_NO_PAD.encode(public.n().to_bytes_be()),
            "e": URL_SAFE_NO_PAD.encode(public.e().to_bytes_be()),
        }),
    }
}

/// A P-384 key signing ES384 (SMART's required EC algorithm).
pub fn es384(kid: &str) -> ClientKey {
    use p384::elliptic_curve::sec1::ToEncodedPoint;
    use p384::pkcs8::EncodePrivateKey;
    let secret = p384::SecretKey::random(&mut rand::rngs::OsRng);
    let der = secret.to_pkcs8_der().unwrap();
    let point = secret.public_key().to_encoded_point(false);
    ClientKey {
        kid: kid.into(),
        alg: Algorithm::ES384,
        encoding: EncodingKey::from_ec_der(der.as_bytes()),
        jwk: json!({
            "kty": "EC", "crv": "P-384", "kid": kid,
            "x": URL_SAFE_NO_PAD.encode(point.x().unwrap()),
            "y": URL_SAFE_NO_PAD.encode(point.y().unwrap()),
        }),
    }
}

/// An app that knows its public address (so assertions have one `aud`).
pub async fn smart_app() -> TestApp {
    TestApp::with_config(|c| c.public_url = Some(PUBLIC_URL.into())).await
}

/// The claims of a good assertion by `client_id`.
pub fn claims(client_id: &str) -> Value {
    json!({
        "iss": client_id, "sub": client_id, "aud": TOKEN_URL,
        "exp": Utc::now().timestamp() + 240, "jti": Uuid::new_v4().to_string(),
    })
}

/// Signs claims with a key, naming its `kid`.
pub fn sign(key: &ClientKey, claims: &Value) -> String {
    let mut header = Header::new(key.alg);
    header.kid = Some(key.kid.clone());
    encode(&header, claims, &key.encoding).unwrap()
}

/// The form of a token request with this assertion and scope.
pub fn form(assertion: &str, scope: &str) -> String {
    form_urlencoded::Serializer::new(String::new())
        .append_pair("grant_type", "client_credentials")
        .append_pair(
            "client_assertion_type",
            "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
        )
        .append_pair("client_assertion", assertion)
        .append_pair("scope", scope)
        .finish()
}

impl TestApp {
    /// An admin registers a client with an inline JWKS; `wards` empty
    /// means trust-wide. Returns the registration.
    pub async fn register_client(
        &self,
        admin: &str,
        client_id: &str,
        keys: &[&ClientKey],
        scopes: &[&str],
        wards: &[Uuid],
    ) -> Value {
        let res = self
            .post(
                "/api/v1/integration-clients",
                admin,
                &json!({
                    "client_id": client_id, "display_name": format!("{client_id} system"),
                    "jwks": { "keys": keys.iter().map(|k| k.jwk.clone()).collect::<Vec<_>>() },
                    "scopes": scopes, "trust_wide": wards.is_empty(), "ward_ids": wards,
                }),
            )
            .await;
        res.assert_status(201);
        res.json()
    }

    /// Posts a token request form.
    pub async fn token_request(&self, form: &str) -> Resp {
        self.send(
            Self::req(Method::POST, "/api/v1/oauth/token", None)
                .insert_header(("content-type", "application/x-www-form-urlencoded"))
                .set_payload(form.to_string()),
        )
        .await
    }

    /// Signs a fresh assertion and trades it for an access token.
    pub async fn system_token(&self, client_id: &str, key: &ClientKey, scope: &str) -> String {
        let res = self
            .token_request(&form(&sign(key, &claims(client_id)), scope))
            .await;
        res.assert_status(200);
        res.json()["access_token"].as_str().unwrap().to_string()
    }
}
