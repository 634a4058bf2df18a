//! The configuration's rules: safe development defaults, what production
//! refuses, and variables named in every refusal.

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
fn pool_defaults_to_four_connections_per_core_within_bounds() {
    assert_eq!(default_pool_size(1), 4);
    assert_eq!(default_pool_size(2), 8);
    assert_eq!(default_pool_size(8), 32);
    assert_eq!(default_pool_size(64), 64);
    let c = Config::from_vars(&vars(&[])).unwrap();
    let cpus = std::thread::available_parallelism().map_or(2, |n| n.get());
    assert_eq!(c.pool_size, default_pool_size(cpus));
    let set = Config::from_vars(&vars(&[("PEERLOG_DB_POOL_SIZE", "16")])).unwrap();
    assert_eq!(set.pool_size, 16);
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
        ("PEERLOG_TRUST_ODS_CODE", "RX4"),
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
fn oidc_needs_an_audience_and_https_outside_loopback_development() {
    let c = Config::from_vars(&vars(&[
        (
            "PEERLOG_OIDC_ISSUER",
            "https://login.example.nhs.uk/tenant/v2.0",
        ),
        ("PEERLOG_OIDC_AUDIENCE", "api://peerlog, peerlog-web"),
        ("PEERLOG_OIDC_CLAIM", "oid"),
    ]))
    .unwrap();
    let oidc = c.oidc.unwrap();
    assert_eq!(oidc.audiences, ["api://peerlog", "peerlog-web"]);
    assert_eq!(oidc.identity_claim, "oid");
    assert!(!oidc.auto_provision);
    assert!(Config::from_vars(&vars(&[("PEERLOG_OIDC_ISSUER", "https://x")])).is_err());
    let plain = [
        ("PEERLOG_OIDC_ISSUER", "http://idp.example"),
        ("PEERLOG_OIDC_AUDIENCE", "a"),
    ];
    assert!(Config::from_vars(&vars(&plain)).is_err());
    let local = [
        ("PEERLOG_OIDC_ISSUER", "http://127.0.0.1:4000"),
        ("PEERLOG_OIDC_AUDIENCE", "a"),
    ];
    assert!(Config::from_vars(&vars(&local)).is_ok());
}

#[test]
fn local_login_can_be_switched_off_only_with_a_provider() {
    assert!(Config::from_vars(&vars(&[("PEERLOG_LOCAL_LOGIN", "false")])).is_err());
    let c = Config::from_vars(&vars(&[
        ("PEERLOG_LOCAL_LOGIN", "false"),
        ("PEERLOG_OIDC_ISSUER", "https://idp.example"),
        ("PEERLOG_OIDC_AUDIENCE", "a"),
    ]))
    .unwrap();
    assert!(!c.local_login);
}

#[test]
fn trusted_proxies_are_addresses_or_blocks() {
    let c = Config::from_vars(&vars(&[(
        "PEERLOG_TRUSTED_PROXIES",
        "10.0.0.0/8, 192.168.1.7, ::1",
    )]))
    .unwrap();
    let has = |ip: &str| {
        c.trusted_proxies
            .iter()
            .any(|n| n.contains(ip.parse().unwrap()))
    };
    assert!(has("10.1.2.3"));
    assert!(has("::ffff:10.9.9.9"));
    assert!(has("192.168.1.7"));
    assert!(!has("192.168.1.8"));
    assert!(has("::1"));
    assert!(!has("11.0.0.1"));
    for bad in ["10.0.0.0/33", "nonsense", "10.0.0.1/x"] {
        assert!(Config::from_vars(&vars(&[("PEERLOG_TRUSTED_PROXIES", bad)])).is_err());
    }
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

#[test]
fn the_person_disambiguator_defaults_to_the_reference_and_refuses_anything_else() {
    let c = Config::from_vars(&vars(&[])).unwrap();
    assert_eq!(c.person_disambiguator, PersonDisambiguator::Reference);
    let bed = Config::from_vars(&vars(&[("PEERLOG_PERSON_DISAMBIGUATOR", "bed_or_bay")])).unwrap();
    assert_eq!(bed.person_disambiguator, PersonDisambiguator::BedOrBay);
    let err = Config::from_vars(&vars(&[("PEERLOG_PERSON_DISAMBIGUATOR", "nhs_number")]))
        .unwrap_err()
        .to_string();
    assert!(err.contains("PEERLOG_PERSON_DISAMBIGUATOR"), "{err}");
}
