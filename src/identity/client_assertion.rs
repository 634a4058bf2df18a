//! SMART Backend Services client assertions (`private_key_jwt`, RFC 7523):
//! a JWT a trust system signs with its own private key to ask for an access
//! token. peerlog holds only the public half, as the JWKS an admin
//! registered (inline, or a URL it fetches).
//!
//! An assertion is accepted only when: its header names RS384, ES384, RS256
//! or ES256 (never `none`, never HMAC, so a public key cannot be turned
//! into a shared secret) and a `kid` of the client's JWKS whose key type
//! fits that algorithm; `iss` and `sub` are the client id; `aud` is
//! peerlog's token endpoint; `exp` is in the future and at most five
//! minutes ahead; and it carries a `jti`. Whether that `jti` was seen
//! before is the domain's question (it needs the database).

use std::time::Duration;

use base64::Engine;
use jsonwebtoken::jwk::{AlgorithmParameters, EllipticCurve, Jwk, JwkSet, KeyAlgorithm};
use jsonwebtoken::{decode, decode_header, Algorithm, DecodingKey, Validation};
use serde::Deserialize;

/// Algorithms SMART asks servers to support (RS384, ES384), and the
/// 256-bit ones many libraries default to.
pub const ALGORITHMS: [Algorithm; 4] = [
    Algorithm::RS384,
    Algorithm::ES384,
    Algorithm::RS256,
    Algorithm::ES256,
];

/// The longest an assertion may live, from now (SMART: five minutes).
pub const MAX_LIFETIME_SECS: i64 = 300;
/// Seconds of clock difference tolerated.
const LEEWAY_SECS: i64 = 30;
/// The most a fetched JWKS may weigh.
const MAX_JWKS_BYTES: usize = 256 * 1024;

/// Why an assertion was refused; the text goes back to the client as the
/// OAuth `error_description` (it names nothing secret).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AssertionError {
    #[error("client_assertion is not a well-formed JWT: {0}")]
    Malformed(String),
    #[error("client_assertion algorithm must be one of RS384, ES384, RS256, ES256")]
    Algorithm,
    #[error("client_assertion header has no kid")]
    NoKeyId,
    #[error("no registered key has this kid")]
    UnknownKey,
    #[error("the registered key with this kid does not fit the algorithm")]
    KeyMismatch,
    #[error("client_assertion signature does not verify")]
    BadSignature,
    #[error("client_assertion has expired")]
    Expired,
    #[error("client_assertion exp is more than five minutes ahead")]
    TooLong,
    #[error("client_assertion aud is not this token endpoint")]
    WrongAudience,
    #[error("client_assertion iss and sub must both be the client id")]
    WrongIssuer,
    #[error("client_assertion has no jti")]
    NoJti,
}

/// What the domain needs from an accepted assertion.
#[derive(Debug, Clone)]
pub struct AcceptedAssertion {
    pub jti: String,
    /// When the assertion expires (seconds since the epoch): keep its `jti`
    /// until then.
    pub exp: i64,
}

/// The `iss` of an assertion, read before it is verified, to find the
/// client whose keys verify it. Nothing read here is trusted.
pub fn claimed_issuer(token: &str) -> Result<String, AssertionError> {
    let payload = token
        .split('.')
        .nth(1)
        .ok_or_else(|| AssertionError::Malformed("expected three dot-separated parts".into()))?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .map_err(|_| AssertionError::Malformed("payload is not base64url".into()))?;
    #[derive(Deserialize)]
    struct Issuer {
        iss: Option<String>,
    }
    let claims: Issuer = serde_json::from_slice(&bytes)
        .map_err(|_| AssertionError::Malformed("payload is not a JSON object".into()))?;
    claims.iss.ok_or(AssertionError::WrongIssuer)
}

/// Verifies an assertion against a client's keys.
pub fn verify(
    token: &str,
    keys: &JwkSet,
    client_id: &str,
    audience: &str,
    now: i64,
) -> Result<AcceptedAssertion, AssertionError> {
    let header = decode_header(token).map_err(|e| AssertionError::Malformed(e.to_string()))?;
    if !ALGORITHMS.contains(&header.alg) {
        return Err(AssertionError::Algorithm);
    }
    let kid = header.kid.as_deref().ok_or(AssertionError::NoKeyId)?;
    let jwk = keys
        .keys
        .iter()
        .find(|k| k.common.key_id.as_deref() == Some(kid))
        .ok_or(AssertionError::UnknownKey)?;
    if !fits(jwk, header.alg) {
        return Err(AssertionError::KeyMismatch);
    }
    let key = DecodingKey::from_jwk(jwk).map_err(|_| AssertionError::KeyMismatch)?;
    let mut validation = Validation::new(header.alg);
    validation.algorithms = vec![header.alg];
    validation.set_audience(&[audience]);
    validation.set_issuer(&[client_id]);
    validation.sub = Some(client_id.to_string());
    validation.set_required_spec_claims(&["exp", "iss", "sub", "aud"]);
    validation.leeway = LEEWAY_SECS as u64;
    validation.validate_exp = true;
    validation.validate_nbf = true;
    use jsonwebtoken::errors::ErrorKind;
    let data = decode::<serde_json::Map<String, serde_json::Value>>(token, &key, &validation)
        .map_err(|e| match e.kind() {
            ErrorKind::InvalidSignature => AssertionError::BadSignature,
            ErrorKind::ExpiredSignature => AssertionError::Expired,
            ErrorKind::InvalidAudience => AssertionError::WrongAudience,
            ErrorKind::InvalidIssuer | ErrorKind::InvalidSubject => AssertionError::WrongIssuer,
            ErrorKind::MissingRequiredClaim(c) if c == "aud" => AssertionError::WrongAudience,
            ErrorKind::MissingRequiredClaim(c) if c == "exp" => AssertionError::Expired,
            ErrorKind::MissingRequiredClaim(_) => AssertionError::WrongIssuer,
            _ => AssertionError::Malformed(e.to_string()),
        })?;
    let claims = data.claims;
    let exp = claims
        .get("exp")
        .and_then(|v| v.as_i64())
        .ok_or(AssertionError::Expired)?;
    if exp > now + MAX_LIFETIME_SECS + LEEWAY_SECS {
        return Err(AssertionError::TooLong);
    }
    let jti = claims
        .get("jti")
        .and_then(|v| v.as_str())
        .filter(|j| !j.is_empty() && j.len() <= 255)
        .ok_or(AssertionError::NoJti)?;
    Ok(AcceptedAssertion {
        jti: jti.to_string(),
        exp,
    })
}

/// Whether a key may verify a signature made with `alg`: RSA for RS*, the
/// curve of the algorithm for ES*, and the key's own `alg` when it names one.
fn fits(jwk: &Jwk, alg: Algorithm) -> bool {
    let type_fits = match (&jwk.algorithm, alg) {
        (AlgorithmParameters::RSA(_), Algorithm::RS256 | Algorithm::RS384) => true,
        (AlgorithmParameters::EllipticCurve(p), Algorithm::ES256) => p.curve == EllipticCurve::P256,
        (AlgorithmParameters::EllipticCurve(p), Algorithm::ES384) => p.curve == EllipticCurve::P384,
        _ => false,
    };
    let named = match jwk.common.key_algorithm {
        None => true,
        Some(KeyAlgorithm::RS256) => alg == Algorithm::RS256,
        Some(KeyAlgorithm::RS384) => alg == Algorithm::RS384,
        Some(KeyAlgorithm::ES256) => alg == Algorithm::ES256,
        Some(KeyAlgorithm::ES384) => alg == Algorithm::ES384,
        Some(_) => false,
    };
    type_fits && named
}

/// Reads a registered JWKS: every key must be a public RSA or EC (P-256,
/// P-384) signing key with a `kid`. A private key (`d`) is refused, so a
/// private key pasted by mistake is never stored.
pub fn parse_jwks(value: &serde_json::Value) -> Result<JwkSet, String> {
    let keys = value
        .get("keys")
        .and_then(|k| k.as_array())
        .ok_or("a JWKS is an object with a `keys` array")?;
    if keys.is_empty() {
        return Err("the JWKS has no keys".into());
    }
    for (i, key) in keys.iter().enumerate() {
        if key.get("d").is_some() || key.get("p").is_some() {
            return Err(format!(
                "key {i} holds a private key: register the public key only"
            ));
        }
    }
    let set: JwkSet = serde_json::from_value(value.clone()).map_err(|e| e.to_string())?;
    for (i, jwk) in set.keys.iter().enumerate() {
        if jwk.common.key_id.as_deref().is_none_or(str::is_empty) {
            return Err(format!("key {i} has no kid"));
        }
        let usable = ALGORITHMS.iter().any(|&alg| fits(jwk, alg));
        if !usable || DecodingKey::from_jwk(jwk).is_err() {
            return Err(format!("key {i} is not an RSA, P-256 or P-384 signing key"));
        }
    }
    Ok(set)
}

/// Fetches a client's JWKS from its URL: 5 s to connect, 10 s in all, no
/// redirects, at most 256 KiB.
pub async fn fetch_jwks(url: &str) -> Result<JwkSet, String> {
    let http = reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(5))
        .timeout(Duration::from_secs(10))
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("peerlog/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| e.to_string())?;
    let failed = |e: reqwest::Error| e.without_url().to_string();
    let mut res = http.get(url).send().await.map_err(failed)?;
    if !res.status().is_success() {
        return Err(format!("the JWKS URL answered {}", res.status()));
    }
    let mut body = Vec::new();
    while let Some(chunk) = res.chunk().await.map_err(failed)? {
        if body.len() + chunk.len() > MAX_JWKS_BYTES {
            return Err("the JWKS URL answered too much".into());
        }
        body.extend_from_slice(&chunk);
    }
    let value: serde_json::Value =
        serde_json::from_slice(&body).map_err(|_| "the JWKS URL did not answer JSON")?;
    parse_jwks(&value)
}
