//! Tokens from the trust's OpenID Connect provider (Entra ID, NHS CIS2).
//!
//! The provider is found by discovery (`<issuer>/.well-known/openid-configuration`)
//! and its signing keys come from its JWKS: fetched at start, cached, and
//! fetched again when a token names a key id the cache does not know (at
//! most once per `PEERLOG_OIDC_JWKS_REFETCH_SECS`, so a stream of forged key
//! ids cannot make peerlog hammer the provider). Every fetch has timeouts
//! and a size limit and follows no redirects.
//!
//! A token is accepted only when signed with RS256, PS256 or ES256 by a key
//! of the matching type from that JWKS (never `none`, never HMAC, so the
//! public key cannot be turned into a shared secret), issued by the
//! configured issuer for the configured audience, within `exp` and `nbf`.
//! The person is the configured claim (`sub` by default, `oid` for Entra);
//! which peerlog account that is, and its role and wards, is peerlog's own.

use std::collections::HashMap;
use std::sync::RwLock;
use std::time::{Duration, Instant};

use jsonwebtoken::jwk::{AlgorithmParameters, EllipticCurve, Jwk, KeyAlgorithm, PublicKeyUse};
use jsonwebtoken::{decode, decode_header, Algorithm, DecodingKey, Validation};
use serde::Deserialize;

/// The trust's OpenID Connect provider (`PEERLOG_OIDC_*`).
#[derive(Debug, Clone)]
pub struct OidcSettings {
    /// The issuer, exactly as its tokens' `iss` and its discovery document
    /// name it.
    pub issuer: String,
    /// Accepted `aud` values (comma-separated in the variable).
    pub audiences: Vec<String>,
    /// The claim naming the person: `sub` by default, `oid` for Entra ID.
    pub identity_claim: String,
    /// Create an inactive account for an unknown person's first sign-in.
    pub auto_provision: bool,
    /// The web app's client id at the provider (public client, PKCE).
    pub client_id: Option<String>,
    /// The scopes the web app asks for.
    pub scopes: String,
    /// Least seconds between two fetches of discovery and JWKS.
    pub jwks_refetch_secs: u64,
}

impl OidcSettings {
    /// Settings for tests: this issuer and audience, no refetch delay.
    pub fn for_tests(issuer: &str, audience: &str) -> Self {
        OidcSettings {
            issuer: issuer.to_string(),
            audiences: vec![audience.to_string()],
            identity_claim: "sub".into(),
            auto_provision: false,
            client_id: None,
            scopes: "openid profile".into(),
            jwks_refetch_secs: 0,
        }
    }
}

/// Seconds of clock difference tolerated between peerlog and the provider.
const LEEWAY_SECS: u64 = 30;
/// The most a discovery document or JWKS may weigh.
const MAX_DOCUMENT_BYTES: usize = 512 * 1024;
/// The only algorithms accepted from the provider.
const ALLOWED: [Algorithm; 3] = [Algorithm::RS256, Algorithm::PS256, Algorithm::ES256];

/// The person a valid provider token names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExternalIdentity {
    /// The value of the identity claim: what `users.external_id` holds.
    pub subject: String,
    /// `name`, when the token has one (for auto-provisioned accounts).
    pub name: Option<String>,
    /// `preferred_username` or `email`, when present.
    pub login_hint: Option<String>,
}

/// Why a provider token was refused (logged at debug, never shown).
#[derive(Debug, thiserror::Error)]
pub enum OidcError {
    #[error("algorithm not accepted: {0:?}")]
    Algorithm(Option<Algorithm>),
    #[error("token has no key id")]
    NoKeyId,
    #[error("no such key in the provider's JWKS")]
    UnknownKey,
    #[error("key does not fit the algorithm")]
    KeyMismatch,
    #[error("token invalid: {0}")]
    Invalid(#[from] jsonwebtoken::errors::Error),
    #[error("identity claim missing or not a string")]
    NoSubject,
    #[error("provider unreachable or answered badly: {0}")]
    Provider(String),
}

/// The provider's endpoints, from its discovery document.
#[derive(Debug, Clone, Deserialize)]
pub struct Endpoints {
    pub issuer: String,
    pub authorization_endpoint: String,
    pub token_endpoint: String,
    pub jwks_uri: String,
    #[serde(default)]
    pub end_session_endpoint: Option<String>,
}

struct CachedKey {
    /// The algorithm the JWK names, when it names one.
    algorithm: Option<Algorithm>,
    key: DecodingKey,
    rsa: bool,
}

#[derive(Default)]
struct Cache {
    endpoints: Option<Endpoints>,
    keys: HashMap<String, std::sync::Arc<CachedKey>>,
}

/// Validates provider tokens; one per process, shared by every worker.
pub struct OidcVerifier {
    settings: OidcSettings,
    http: reqwest::Client,
    cache: RwLock<Cache>,
    /// When the provider was last asked; held across a fetch so concurrent
    /// requests with an unknown key id wait for one fetch, not make many.
    last_fetch: tokio::sync::Mutex<Option<Instant>>,
    /// Fetches made (for the tests and the logs).
    fetches: std::sync::atomic::AtomicU64,
}

impl OidcVerifier {
    /// A verifier that has not yet asked the provider anything.
    pub fn new(settings: OidcSettings) -> Result<Self, String> {
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(5))
            .timeout(Duration::from_secs(10))
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("peerlog/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| e.to_string())?;
        Ok(OidcVerifier {
            settings,
            http,
            cache: RwLock::new(Cache::default()),
            last_fetch: tokio::sync::Mutex::new(None),
            fetches: 0.into(),
        })
    }

    /// The configuration this verifier was built from.
    pub fn settings(&self) -> &OidcSettings {
        &self.settings
    }

    /// How many times discovery and the JWKS have been fetched.
    pub fn fetch_count(&self) -> u64 {
        self.fetches.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// The provider's endpoints, discovering them first if need be (subject
    /// to the refetch limit). `None` while the provider cannot be reached.
    pub async fn endpoints(&self) -> Option<Endpoints> {
        if let Some(e) = self.read_cache().endpoints.clone() {
            return Some(e);
        }
        let _ = self.refresh().await;
        self.read_cache().endpoints.clone()
    }

    /// The endpoints from the last discovery, without asking the provider.
    pub fn cached_endpoints(&self) -> Option<Endpoints> {
        self.read_cache().endpoints.clone()
    }

    fn read_cache(&self) -> std::sync::RwLockReadGuard<'_, Cache> {
        self.cache.read().unwrap_or_else(|p| p.into_inner())
    }

    /// Discovery and JWKS, fetched again unless they were fetched less than
    /// the refetch interval ago. Called at start and on an unknown key id.
    pub async fn refresh(&self) -> Result<(), OidcError> {
        let mut last = self.last_fetch.lock().await;
        let interval = Duration::from_secs(self.settings.jwks_refetch_secs);
        if last.is_some_and(|t| t.elapsed() < interval) {
            return Ok(());
        }
        *last = Some(Instant::now());
        self.fetches
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let result = self.fetch().await;
        match &result {
            Ok(n) => log::info!(
                "OpenID provider {}: {n} signing keys loaded",
                self.settings.issuer
            ),
            Err(e) => log::warn!("OpenID provider {}: {e}", self.settings.issuer),
        }
        result.map(|_| ())
    }

    async fn fetch(&self) -> Result<usize, OidcError> {
        let issuer = &self.settings.issuer;
        let discovery = format!(
            "{}/.well-known/openid-configuration",
            issuer.trim_end_matches('/')
        );
        let endpoints: Endpoints = serde_json::from_slice(&self.get(&discovery).await?)
            .map_err(|e| OidcError::Provider(format!("discovery document: {e}")))?;
        // OpenID Connect Discovery 1.0 §4.3: the document must name the
        // issuer it was fetched for, exactly.
        if &endpoints.issuer != issuer {
            return Err(OidcError::Provider(format!(
                "discovery names issuer {:?}, not the configured one",
                endpoints.issuer
            )));
        }
        if issuer.starts_with("https://") && !endpoints.jwks_uri.starts_with("https://") {
            return Err(OidcError::Provider("jwks_uri is not https".into()));
        }
        #[derive(Deserialize)]
        struct JwkSet {
            keys: Vec<serde_json::Value>,
        }
        let set: JwkSet = serde_json::from_slice(&self.get(&endpoints.jwks_uri).await?)
            .map_err(|e| OidcError::Provider(format!("JWKS: {e}")))?;
        let mut keys = HashMap::new();
        for value in set.keys {
            // A key peerlog cannot use (an encryption key, an unknown type,
            // a symmetric key) is skipped, not fatal.
            let Ok(jwk) = serde_json::from_value::<Jwk>(value) else {
                continue;
            };
            if let Some((kid, key)) = usable_key(&jwk) {
                keys.insert(kid, std::sync::Arc::new(key));
            }
        }
        let n = keys.len();
        let mut cache = self.cache.write().unwrap_or_else(|p| p.into_inner());
        cache.endpoints = Some(endpoints);
        cache.keys = keys;
        Ok(n)
    }

    async fn get(&self, url: &str) -> Result<Vec<u8>, OidcError> {
        let provider = |e: reqwest::Error| OidcError::Provider(e.without_url().to_string());
        let mut res = self.http.get(url).send().await.map_err(provider)?;
        if !res.status().is_success() {
            return Err(OidcError::Provider(format!(
                "{url} answered {}",
                res.status()
            )));
        }
        let mut body = Vec::new();
        while let Some(chunk) = res.chunk().await.map_err(provider)? {
            if body.len() + chunk.len() > MAX_DOCUMENT_BYTES {
                return Err(OidcError::Provider(format!("{url} answered too much")));
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body)
    }

    fn key(&self, kid: &str) -> Option<std::sync::Arc<CachedKey>> {
        self.read_cache().keys.get(kid).cloned()
    }

    /// Validates a provider token and names the person it was issued to.
    pub async fn verify(&self, token: &str) -> Result<ExternalIdentity, OidcError> {
        // A header naming `none` or an algorithm jsonwebtoken does not know
        // does not even parse; HMAC and the rest are refused here.
        let header = decode_header(token)?;
        if !ALLOWED.contains(&header.alg) {
            return Err(OidcError::Algorithm(Some(header.alg)));
        }
        let kid = header.kid.as_deref().ok_or(OidcError::NoKeyId)?;
        let key = match self.key(kid) {
            Some(k) => k,
            None => {
                // Perhaps the provider rotated its keys: ask again (rate-limited).
                let _ = self.refresh().await;
                self.key(kid).ok_or(OidcError::UnknownKey)?
            }
        };
        let fits = match header.alg {
            Algorithm::RS256 | Algorithm::PS256 => key.rsa,
            _ => !key.rsa,
        };
        if !fits || key.algorithm.is_some_and(|a| a != header.alg) {
            return Err(OidcError::KeyMismatch);
        }
        let mut validation = Validation::new(header.alg);
        validation.algorithms = vec![header.alg];
        validation.set_issuer(&[&self.settings.issuer]);
        validation.set_audience(&self.settings.audiences);
        validation.set_required_spec_claims(&["exp", "iss", "aud"]);
        validation.leeway = LEEWAY_SECS;
        validation.validate_exp = true;
        validation.validate_nbf = true;
        let data =
            decode::<serde_json::Map<String, serde_json::Value>>(token, &key.key, &validation)?;
        let claims = data.claims;
        let subject = claims
            .get(&self.settings.identity_claim)
            .and_then(|v| v.as_str())
            .filter(|s| !s.is_empty() && s.len() <= 255)
            .ok_or(OidcError::NoSubject)?
            .to_string();
        let text = |name: &str| {
            claims
                .get(name)
                .and_then(|v| v.as_str())
                .map(|s| s.chars().take(200).collect::<String>())
                .filter(|s| !s.trim().is_empty())
        };
        Ok(ExternalIdentity {
            subject,
            name: text("name"),
            login_hint: text("preferred_username").or_else(|| text("email")),
        })
    }
}

/// A JWK peerlog may verify with: a signing key with an id, RSA or P-256.
fn usable_key(jwk: &Jwk) -> Option<(String, CachedKey)> {
    let kid = jwk.common.key_id.clone()?;
    if matches!(jwk.common.public_key_use, Some(ref u) if *u != PublicKeyUse::Signature) {
        return None;
    }
    let rsa = match &jwk.algorithm {
        AlgorithmParameters::RSA(_) => true,
        AlgorithmParameters::EllipticCurve(p) if p.curve == EllipticCurve::P256 => false,
        _ => return None,
    };
    let algorithm = match jwk.common.key_algorithm {
        None => None,
        Some(KeyAlgorithm::RS256) => Some(Algorithm::RS256),
        Some(KeyAlgorithm::PS256) => Some(Algorithm::PS256),
        Some(KeyAlgorithm::ES256) => Some(Algorithm::ES256),
        Some(_) => return None,
    };
    let key = DecodingKey::from_jwk(jwk).ok()?;
    Some((
        kid,
        CachedKey {
            algorithm,
            key,
            rsa,
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine;

    fn verifier() -> OidcVerifier {
        OidcVerifier::new(OidcSettings::for_tests(
            "http://127.0.0.1:9/",
            "peerlog-api",
        ))
        .unwrap()
    }

    #[actix_web::test]
    async fn none_and_hmac_headers_are_refused_before_any_key_is_looked_up() {
        let v = verifier();
        let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let payload = b64.encode(
            br#"{"sub":"x","iss":"http://127.0.0.1:9/","aud":"peerlog-api","exp":9999999999}"#,
        );
        for header in [
            r#"{"alg":"none","typ":"JWT"}"#,
            r#"{"alg":"HS256","typ":"JWT","kid":"k"}"#,
            r#"{"alg":"HS512","typ":"JWT","kid":"k"}"#,
            r#"{"alg":"RS384","typ":"JWT","kid":"k"}"#,
        ] {
            let token = format!("{}.{payload}.", b64.encode(header));
            assert!(v.verify(&token).await.is_err(), "{header}");
        }
        // Nothing was fetched for any of them.
        assert_eq!(v.fetch_count(), 0);
    }

    #[test]
    fn symmetric_and_encryption_keys_are_never_usable() {
        let oct: Jwk =
            serde_json::from_value(serde_json::json!({"kty":"oct","kid":"s","k":"c2VjcmV0"}))
                .unwrap();
        assert!(usable_key(&oct).is_none());
    }
}
