//! Configuration from environment variables.
//!
//! Every variable has a safe development default so `scripts/run` works on a
//! fresh machine; production mode (`PEERLOG_ENV=production`) refuses to start
//! without a strong JWT secret and never loads demo data. The README lists
//! every variable; keep the two in step.

use std::collections::HashMap;
use std::fmt;

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

        Ok(Config {
            environment,
            bind: get("PEERLOG_BIND").unwrap_or("127.0.0.1:8080").to_string(),
            database_url: Secret::new(database_url),
            pool_size: parse_num(
                get("PEERLOG_DB_POOL_SIZE"),
                "PEERLOG_DB_POOL_SIZE",
                16,
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

fn parse_bool(value: Option<&str>, name: &'static str) -> Result<bool, ConfigError> {
    match value.map(str::to_ascii_lowercase).as_deref() {
        None | Some("0") | Some("false") | Some("no") | Some("off") => Ok(false),
        Some("1") | Some("true") | Some("yes") | Some("on") => Ok(true),
        Some(other) => Err(ConfigError::Invalid {
            name,
            reason: format!("{other:?} is not a boolean (use 1 or 0)"),
        }),
    }
}

fn parse_num<T>(
    value: Option<&str>,
    name: &'static str,
    default: T,
    min: T,
    max: T,
) -> Result<T, ConfigError>
where
    T: std::str::FromStr + PartialOrd + fmt::Display + Copy,
{
    let Some(raw) = value else { return Ok(default) };
    let n: T = raw.parse().map_err(|_| ConfigError::Invalid {
        name,
        reason: format!("{raw:?} is not a number"),
    })?;
    if n < min || n > max {
        return Err(ConfigError::Invalid {
            name,
            reason: format!("{n} is outside {min}..={max}"),
        });
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn development_has_safe_defaults() {
        let c = Config::from_vars(&vars(&[])).unwrap();
        assert_eq!(c.environment, Environment::Development);
        assert_eq!(c.bind, "127.0.0.1:8080");
        assert_eq!(c.access_token_ttl_secs, 900);
        assert!(!c.load_demo);
    }

    #[test]
    fn production_refuses_missing_short_or_development_secret() {
        let base = [
            ("PEERLOG_ENV", "production"),
            ("DATABASE_URL", "postgres://x/y"),
        ];
        assert!(Config::from_vars(&vars(&base)).is_err());
        let short = [base[0], base[1], ("PEERLOG_JWT_SECRET", "too-short")];
        assert!(Config::from_vars(&vars(&short)).is_err());
        let dev = [base[0], base[1], ("PEERLOG_JWT_SECRET", DEV_JWT_SECRET)];
        assert!(Config::from_vars(&vars(&dev)).is_err());
        let strong = [
            base[0],
            base[1],
            ("PEERLOG_JWT_SECRET", "0123456789abcdef0123456789abcdef"),
        ];
        assert!(Config::from_vars(&vars(&strong)).is_ok());
    }

    #[test]
    fn production_refuses_demo_data() {
        let v = vars(&[
            ("PEERLOG_ENV", "production"),
            ("DATABASE_URL", "postgres://x/y"),
            ("PEERLOG_JWT_SECRET", "0123456789abcdef0123456789abcdef"),
            ("PEERLOG_DEMO", "1"),
        ]);
        assert!(matches!(
            Config::from_vars(&v),
            Err(ConfigError::Refused(_))
        ));
    }

    #[test]
    fn bad_numbers_are_refused_with_the_variable_name() {
        let err = Config::from_vars(&vars(&[("PEERLOG_DB_POOL_SIZE", "lots")])).unwrap_err();
        assert!(err.to_string().contains("PEERLOG_DB_POOL_SIZE"));
        let err = Config::from_vars(&vars(&[("PEERLOG_DB_POOL_SIZE", "0")])).unwrap_err();
        assert!(err.to_string().contains("outside"));
    }

    #[test]
    fn the_inflight_bound_holds_at_least_one_largest_body() {
        let c = Config::from_vars(&vars(&[("PEERLOG_MAX_BODY_BYTES", "65536")])).unwrap();
        assert_eq!(c.max_inflight_body_bytes, DEFAULT_INFLIGHT_BODIES * 65536);
        let err = Config::from_vars(&vars(&[
            ("PEERLOG_MAX_BODY_BYTES", "65536"),
            ("PEERLOG_MAX_INFLIGHT_BODY_BYTES", "65535"),
        ]))
        .unwrap_err();
        assert!(err.to_string().contains("PEERLOG_MAX_INFLIGHT_BODY_BYTES"));
    }

    #[test]
    fn secrets_do_not_print() {
        let c = Config::from_vars(&vars(&[("PEERLOG_JWT_SECRET", "hunter2-hunter2")])).unwrap();
        assert!(!format!("{c:?}").contains("hunter2"));
    }
}
