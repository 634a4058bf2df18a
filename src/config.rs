//! Configuration from environment variables.
//!
//! Every variable has a safe development default so `scripts/run` works on a
//! fresh machine; production mode (`PEERLOG_ENV=production`) refuses to start
//! without a strong JWT secret and never loads demo data. The README lists
//! every variable; keep the two in step.

use std::collections::HashMap;
use std::fmt;

mod continuity;
mod fhir;
mod ip_net;
mod parse;
mod person;

#[cfg(test)]
mod tests;

use crate::identity::jwt::TokenSettings;
/// The provider settings are the identity layer's own type, read here.
pub use crate::identity::oidc::OidcSettings;
pub use continuity::Continuity;
pub use fhir::FhirSettings;
pub use ip_net::IpNet;
use parse::{parse_bool, parse_num};
pub use person::PersonDisambiguator;

/// Whether the service runs for development or for real patients' data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Environment {
    Development,
    Production,
}

/// A secret that never prints itself, so it cannot leak into a log line.
#[derive(Clone)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }
    /// The secret's value; the only way to read it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(****)")
    }
}

/// Everything the service reads from its environment.
#[derive(Debug, Clone)]
pub struct Config {
    pub environment: Environment,
    pub bind: String,
    pub database_url: Secret,
    pub pool_size: usize,
    pub workers: usize,
    pub jwt_secret: Secret,
    pub jwt_issuer: String,
    pub jwt_audience: String,
    pub access_token_ttl_secs: i64,
    pub refresh_token_ttl_secs: i64,
    pub cors_origins: Vec<String>,
    pub max_body_bytes: usize,
    /// Request-body bytes held at once across the server (503 beyond).
    pub max_inflight_body_bytes: usize,
    pub login_max_failures: i32,
    pub login_lock_secs: i64,
    pub load_demo: bool,
    /// How far back an activity may be recorded (days).
    pub activity_max_age_days: i64,
    /// Seconds without a touch before the tablet app locks its screen.
    pub idle_lock_secs: i64,
    /// The hosts a Buddy Scheme meeting's join link may point at.
    pub meeting_link_hosts: Vec<String>,
    /// What the tablet shows after initials that two people on a ward share.
    pub person_disambiguator: PersonDisambiguator,
    /// Failed sign-ins from one client address (any usernames) before that
    /// address is slowed down.
    pub login_max_failures_per_address: i32,
    /// Whether username-and-password sign-in is offered at all.
    pub local_login: bool,
    /// The trust's OpenID Connect provider, when configured.
    pub oidc: Option<OidcSettings>,
    /// Proxies whose `X-Forwarded-For` / `Forwarded` headers are believed.
    pub trusted_proxies: Vec<IpNet>,
    /// Send `Strict-Transport-Security` (behind TLS only).
    pub hsts: bool,
    /// The address trust systems reach peerlog at (`https://host[/prefix]`,
    /// no trailing slash): the `aud` their Backend Services assertions must
    /// name, and the base of the Bulk Data manifest's links. When unset,
    /// the request's own scheme and host.
    pub public_url: Option<String>,
    /// How long a Bulk Data export's files are kept after it completes.
    pub bulk_export_ttl_secs: i64,
    /// Where Bulk Data export files are written (a folder per export).
    pub bulk_export_dir: std::path::PathBuf,
    /// The FHIR API's trust identity and approvals ([`FhirSettings`]).
    pub fhir: FhirSettings,
    /// The standby's read pool and the backup gauges.
    pub continuity: Continuity,
}

/// Why the configuration was refused.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{name} is not valid: {reason}")]
    Invalid { name: &'static str, reason: String },
    #[error("{0}")]
    Refused(String),
}

/// The development JWT secret: public, so production refuses it.
pub const DEV_JWT_SECRET: &str = "peerlog-development-secret-not-for-production-use";
/// The development database, as started by `scripts/run`.
pub const DEV_DATABASE_URL: &str = "postgres://postgres@127.0.0.1:54329/peerlog";
/// The shortest JWT secret production accepts, in bytes.
pub const MIN_SECRET_BYTES: usize = 32;
/// How many largest-size bodies may be in flight at once by default
/// (`PEERLOG_MAX_INFLIGHT_BODY_BYTES` is this times `PEERLOG_MAX_BODY_BYTES`
/// unless set).
pub const DEFAULT_INFLIGHT_BODIES: usize = 4;

impl Config {
    /// What access tokens are signed with and say, for
    /// [`crate::identity::jwt::TokenKeys`].
    pub fn token_settings(&self) -> TokenSettings<'_> {
        TokenSettings {
            secret: self.jwt_secret.expose().as_bytes(),
            issuer: &self.jwt_issuer,
            audience: &self.jwt_audience,
            ttl_secs: self.access_token_ttl_secs,
        }
    }

    /// Reads the process environment.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_vars(&std::env::vars().collect())
    }

    /// Reads configuration from a map of variables (testable without
    /// touching the process environment).
    pub fn from_vars(vars: &HashMap<String, String>) -> Result<Self, ConfigError> {
        let get = |name: &str| vars.get(name).map(|v| v.trim()).filter(|v| !v.is_empty());
        let environment = match get("PEERLOG_ENV").unwrap_or("development") {
            "development" | "dev" => Environment::Development,
            "production" | "prod" => Environment::Production,
            other => {
                return Err(ConfigError::Invalid {
                    name: "PEERLOG_ENV",
                    reason: format!("{other:?} is neither development nor production"),
                })
            }
        };
        let production = environment == Environment::Production;

        let jwt_secret = match (get("PEERLOG_JWT_SECRET"), production) {
            (Some(s), true) if s.len() < MIN_SECRET_BYTES || s == DEV_JWT_SECRET => {
                return Err(ConfigError::Refused(format!(
                    "PEERLOG_JWT_SECRET must be at least {MIN_SECRET_BYTES} bytes and not the development secret in production"
                )))
            }
            (None, true) => {
                return Err(ConfigError::Refused(
                    "PEERLOG_JWT_SECRET is required in production".into(),
                ))
            }
            (Some(s), _) => s.to_string(),
            (None, false) => DEV_JWT_SECRET.to_string(),
        };
        let database_url = match (get("DATABASE_URL"), production) {
            (Some(url), _) => url.to_string(),
            (None, true) => {
                return Err(ConfigError::Refused(
                    "DATABASE_URL is required in production".into(),
                ))
            }
            (None, false) => DEV_DATABASE_URL.to_string(),
        };
        let load_demo = parse_bool(get("PEERLOG_DEMO"), "PEERLOG_DEMO")?;
        if load_demo && production {
            return Err(ConfigError::Refused(
                "PEERLOG_DEMO cannot be set in production: demo accounts have a public password"
                    .into(),
            ));
        }
        let cpus = std::thread::available_parallelism().map_or(2, |n| n.get());
        let oidc = match get("PEERLOG_OIDC_ISSUER") {
            None => None,
            Some(issuer) => {
                let loopback = ["http://127.0.0.1", "http://localhost", "http://[::1]"]
                    .iter()
                    .any(|p| issuer.starts_with(p));
                let plain_http_allowed = loopback && !production;
                if !issuer.starts_with("https://") && !plain_http_allowed {
                    return Err(ConfigError::Invalid {
                        name: "PEERLOG_OIDC_ISSUER",
                        reason: "must be an https URL (plain http only to a loopback address in development)".into(),
                    });
                }
                let audiences: Vec<String> = get("PEERLOG_OIDC_AUDIENCE")
                    .unwrap_or("")
                    .split(',')
                    .map(|a| a.trim().to_string())
                    .filter(|a| !a.is_empty())
                    .collect();
                if audiences.is_empty() {
                    return Err(ConfigError::Refused(
                        "PEERLOG_OIDC_AUDIENCE is required with PEERLOG_OIDC_ISSUER".into(),
                    ));
                }
                Some(OidcSettings {
                    issuer: issuer.to_string(),
                    audiences,
                    identity_claim: get("PEERLOG_OIDC_CLAIM").unwrap_or("sub").to_string(),
                    auto_provision: parse_bool(
                        get("PEERLOG_OIDC_AUTO_PROVISION"),
                        "PEERLOG_OIDC_AUTO_PROVISION",
                    )?,
                    client_id: get("PEERLOG_OIDC_CLIENT_ID").map(str::to_string),
                    scopes: get("PEERLOG_OIDC_SCOPES")
                        .unwrap_or("openid profile")
                        .to_string(),
                    jwks_refetch_secs: parse_num(
                        get("PEERLOG_OIDC_JWKS_REFETCH_SECS"),
                        "PEERLOG_OIDC_JWKS_REFETCH_SECS",
                        10,
                        0,
                        86_400,
                    )?,
                })
            }
        };
        let local_login = match get("PEERLOG_LOCAL_LOGIN") {
            None => true,
            v => parse_bool(v, "PEERLOG_LOCAL_LOGIN")?,
        };
        if !local_login && oidc.is_none() {
            return Err(ConfigError::Refused(
                "PEERLOG_LOCAL_LOGIN=false needs PEERLOG_OIDC_ISSUER, or nobody could sign in"
                    .into(),
            ));
        }
        let trusted_proxies = get("PEERLOG_TRUSTED_PROXIES")
            .unwrap_or("")
            .split(',')
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(|p| {
                p.parse().map_err(|reason| ConfigError::Invalid {
                    name: "PEERLOG_TRUSTED_PROXIES",
                    reason,
                })
            })
            .collect::<Result<Vec<IpNet>, _>>()?;
        let max_body_bytes = parse_num(
            get("PEERLOG_MAX_BODY_BYTES"),
            "PEERLOG_MAX_BODY_BYTES",
            4 * 1024 * 1024,
            1024,
            64 * 1024 * 1024,
        )?;
        let max_inflight_body_bytes = parse_num(
            get("PEERLOG_MAX_INFLIGHT_BODY_BYTES"),
            "PEERLOG_MAX_INFLIGHT_BODY_BYTES",
            DEFAULT_INFLIGHT_BODIES * max_body_bytes,
            1024,
            usize::MAX,
        )?;
        // Below one largest body, a body the per-request limit allows
        // could never be taken: it would be refused 503 for ever.
        if max_inflight_body_bytes < max_body_bytes {
            return Err(ConfigError::Invalid {
                name: "PEERLOG_MAX_INFLIGHT_BODY_BYTES",
                reason: format!(
                    "{max_inflight_body_bytes} is below PEERLOG_MAX_BODY_BYTES ({max_body_bytes})"
                ),
            });
        }

        let public_url = match get("PEERLOG_PUBLIC_URL") {
            None => None,
            Some(v) => {
                let v = v.trim_end_matches('/');
                let fine = url::Url::parse(v).is_ok_and(|u| {
                    matches!(u.scheme(), "https" | "http")
                        && u.host().is_some()
                        && u.query().is_none()
                        && u.username().is_empty()
                });
                if !fine {
                    return Err(ConfigError::Invalid {
                        name: "PEERLOG_PUBLIC_URL",
                        reason: "must be an absolute http(s) URL without query or credentials"
                            .into(),
                    });
                }
                Some(v.to_string())
            }
        };
        Ok(Config {
            public_url,
            bulk_export_dir: get("PEERLOG_BULK_EXPORT_DIR")
                .map(std::path::PathBuf::from)
                .unwrap_or_else(|| std::env::temp_dir().join("peerlog-bulk-exports")),
            bulk_export_ttl_secs: parse_num(
                get("PEERLOG_BULK_EXPORT_TTL_SECS"),
                "PEERLOG_BULK_EXPORT_TTL_SECS",
                86_400,
                60,
                30 * 86_400,
            )?,
            environment,
            bind: get("PEERLOG_BIND").unwrap_or("127.0.0.1:8080").to_string(),
            database_url: Secret::new(database_url),
            pool_size: parse_num(
                get("PEERLOG_DB_POOL_SIZE"),
                "PEERLOG_DB_POOL_SIZE",
                default_pool_size(cpus),
                1,
                1000,
            )?,
            workers: parse_num(get("PEERLOG_WORKERS"), "PEERLOG_WORKERS", cpus, 1, 256)?,
            jwt_secret: Secret::new(jwt_secret),
            jwt_issuer: get("PEERLOG_JWT_ISSUER").unwrap_or("peerlog").to_string(),
            jwt_audience: get("PEERLOG_JWT_AUDIENCE")
                .unwrap_or("peerlog-api")
                .to_string(),
            access_token_ttl_secs: parse_num(
                get("PEERLOG_ACCESS_TOKEN_TTL_SECS"),
                "PEERLOG_ACCESS_TOKEN_TTL_SECS",
                900,
                30,
                86_400,
            )?,
            refresh_token_ttl_secs: parse_num(
                get("PEERLOG_REFRESH_TOKEN_TTL_SECS"),
                "PEERLOG_REFRESH_TOKEN_TTL_SECS",
                43_200,
                60,
                30 * 86_400,
            )?,
            cors_origins: get("PEERLOG_CORS_ORIGINS")
                .map(|v| {
                    v.split(',')
                        .map(|o| o.trim().to_string())
                        .filter(|o| !o.is_empty())
                        .collect()
                })
                .unwrap_or_default(),
            max_body_bytes,
            max_inflight_body_bytes,
            login_max_failures: parse_num(
                get("PEERLOG_LOGIN_MAX_FAILURES"),
                "PEERLOG_LOGIN_MAX_FAILURES",
                5,
                1,
                100,
            )?,
            login_lock_secs: parse_num(
                get("PEERLOG_LOGIN_LOCK_SECS"),
                "PEERLOG_LOGIN_LOCK_SECS",
                900,
                1,
                86_400,
            )?,
            load_demo,
            activity_max_age_days: parse_num(
                get("PEERLOG_ACTIVITY_MAX_AGE_DAYS"),
                "PEERLOG_ACTIVITY_MAX_AGE_DAYS",
                30,
                1,
                3650,
            )?,
            idle_lock_secs: parse_num(
                get("PEERLOG_IDLE_LOCK_SECS"),
                "PEERLOG_IDLE_LOCK_SECS",
                600,
                30,
                86_400,
            )?,
            meeting_link_hosts: get("PEERLOG_MEETING_LINK_HOSTS")
                .unwrap_or("teams.microsoft.com,teams.live.com")
                .split(',')
                .map(|h| h.trim().to_ascii_lowercase())
                .filter(|h| !h.is_empty())
                .collect(),
            person_disambiguator: PersonDisambiguator::parse(get("PEERLOG_PERSON_DISAMBIGUATOR"))?,
            login_max_failures_per_address: parse_num(
                get("PEERLOG_LOGIN_MAX_FAILURES_PER_ADDRESS"),
                "PEERLOG_LOGIN_MAX_FAILURES_PER_ADDRESS",
                30,
                1,
                100_000,
            )?,
            local_login,
            oidc,
            trusted_proxies,
            hsts: parse_bool(get("PEERLOG_HSTS"), "PEERLOG_HSTS")?,
            fhir: FhirSettings::from_vars(|n| get(n).map(String::from), production)?,
            continuity: Continuity::from_vars(vars),
        })
    }

    /// Development configuration for tests against the given database.
    pub fn for_tests(database_url: &str) -> Self {
        let mut vars = HashMap::new();
        vars.insert("DATABASE_URL".to_string(), database_url.to_string());
        vars.insert("PEERLOG_DB_POOL_SIZE".to_string(), "8".to_string());
        Config::from_vars(&vars).expect("test configuration is valid")
    }
}

/// The pool's default size: four connections per core (8 on two cores),
/// at least 4 and at most 64. Enough for writers waiting on the WAL flush
/// to share commits, few enough that the database's backends do not
/// outnumber the cores that run them: with as many backends as requests in
/// flight, statements that execute in under a millisecond wait tens of
/// milliseconds for a core (one ward's page, 16 connections from wrk, two
/// cores: a p99 of 37–51 ms with 16 connections in the pool, 15–17 ms with
/// 8, at the same pages per second; creates did not change). Where
/// PostgreSQL has cores of its own, size the pool to those.
pub fn default_pool_size(cpus: usize) -> usize {
    (cpus * 4).clamp(4, 64)
}
