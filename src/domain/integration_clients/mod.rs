//! Integration clients: trust systems (an EPR, an integration engine, a
//! data warehouse) that sign in with SMART Backend Services instead of a
//! password. An admin registers each with its public keys, the SMART
//! scopes it may be granted and its ward limit ([`register`]); the client
//! then trades a signed assertion for a five-minute access token
//! ([`token`]).
//!
//! Each client acts through an account of its own (role `integration`, no
//! password, username `client.<client id>`), so the audit log names it and
//! the per-request account read, ward scoping and disabling work as for
//! any caller. A client that is not trust-wide sees only that account's
//! wards.

pub mod register;
pub mod token;

use url::Url;

use crate::identity::client_assertion;
use crate::smart_scope::SmartScope;
use crate::validate::Errors;

/// The most scopes one client may hold.
const MAX_SCOPES: usize = 100;

/// Checks a client's key source: exactly one of an inline JWKS (public
/// signing keys with ids) or an https JWKS URL (plain http only to a
/// loopback address, and only when `plain_http_loopback` is allowed).
fn check_keys(
    errors: &mut Errors,
    jwks: Option<&serde_json::Value>,
    jwks_url: Option<&str>,
    plain_http_loopback: bool,
) {
    match (jwks, jwks_url) {
        (Some(_), Some(_)) | (None, None) => errors.add(
            "jwks",
            "one_key_source",
            "give exactly one of `jwks` (inline) or `jwks_url`",
        ),
        (Some(set), None) => {
            if let Err(why) = client_assertion::parse_jwks(set) {
                errors.add("jwks", "invalid_jwks", why);
            }
        }
        (None, Some(url)) => {
            if let Err(why) = check_jwks_url(url, plain_http_loopback) {
                errors.add("jwks_url", "invalid_url", why);
            }
        }
    }
}

/// A JWKS URL must be https, or http to a loopback host in development.
fn check_jwks_url(text: &str, plain_http_loopback: bool) -> Result<(), &'static str> {
    if text.len() > 2000 {
        return Err("at most 2000 characters");
    }
    let url = Url::parse(text).map_err(|_| "not an absolute URL")?;
    if url.username() != "" || url.password().is_some() {
        return Err("must not carry credentials");
    }
    let loopback = matches!(url.host_str(), Some("127.0.0.1" | "localhost" | "[::1]"));
    match url.scheme() {
        "https" => Ok(()),
        "http" if loopback && plain_http_loopback => Ok(()),
        _ => Err("must be an https URL (plain http only to a loopback address in development)"),
    }
}

/// Checks and reads the scopes a client may be granted.
fn check_scopes(errors: &mut Errors, scopes: &[String]) {
    if scopes.is_empty() || scopes.len() > MAX_SCOPES {
        errors.add("scopes", "count", "between 1 and 100 scopes");
    }
    for (i, scope) in scopes.iter().enumerate() {
        if let Err(why) = SmartScope::parse(scope) {
            errors.add(format!("scopes[{i}]"), "invalid_scope", why.to_string());
        }
    }
}

/// A trust-wide client has no wards; any other has at least one.
fn check_ward_limit(errors: &mut Errors, trust_wide: bool, ward_ids: &[uuid::Uuid]) {
    if trust_wide && !ward_ids.is_empty() {
        errors.add(
            "ward_ids",
            "trust_wide_has_no_wards",
            "a trust-wide client sees every ward: leave ward_ids empty",
        );
    }
    if !trust_wide && ward_ids.is_empty() {
        errors.add(
            "ward_ids",
            "required",
            "name the wards this client may see, or set trust_wide",
        );
    }
    if ward_ids.len() > 500 {
        errors.add("ward_ids", "count", "at most 500 wards");
    }
}
