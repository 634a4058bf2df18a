//! Device tokens (OWASP's "device cookies"): issued to a device when a
//! person signs in there with their password, and presented with later
//! sign-ins for the same username. A device holding one is throttled on its
//! own (per token) instead of with the address and the other clients trying
//! that username, so someone guessing a worker's password elsewhere, or on
//! the same network, cannot lock the ward's tablet out.
//!
//! A device token is not a credential: it only chooses which throttle a
//! sign-in attempt counts against. It is an HS256 JWT under a key derived
//! from the JWT secret for this purpose alone, with its own audience, so it
//! can never pass as an access token nor the other way round.

use chrono::Utc;
use jsonwebtoken::{decode, encode, Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;

/// The cookie a browser keeps its device tokens in (one per username that
/// signed in there, newest first, joined by `~`).
pub const COOKIE: &str = "peerlog_device";
/// How many usernames' tokens the cookie keeps (a shared ward tablet).
pub const COOKIE_MAX_TOKENS: usize = 12;
/// How long a device stays known without a successful sign-in.
pub const TTL_DAYS: i64 = 180;
const AUDIENCE: &str = "peerlog-device";

#[derive(Debug, Serialize, Deserialize)]
struct DeviceClaims {
    /// The username (lower case) this device signed in as.
    sub: String,
    aud: String,
    iat: i64,
    exp: i64,
    /// This device token's own id: the throttle's key.
    jti: Uuid,
}

/// Issues and checks device tokens.
#[derive(Clone)]
pub struct DeviceKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
}

impl DeviceKeys {
    /// Keys derived from the access tokens' secret (`PEERLOG_JWT_SECRET`),
    /// for device tokens alone.
    pub fn new(jwt_secret: &[u8]) -> Self {
        let mut hasher = Sha256::new();
        hasher.update(b"peerlog device token\0");
        hasher.update(jwt_secret);
        let key = hasher.finalize();
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_audience(&[AUDIENCE]);
        validation.set_required_spec_claims(&["exp", "aud", "sub"]);
        DeviceKeys {
            encoding: EncodingKey::from_secret(&key),
            decoding: DecodingKey::from_secret(&key),
            validation,
        }
    }

    /// A new device token for a username.
    pub fn issue(&self, username: &str) -> Result<String, jsonwebtoken::errors::Error> {
        let now = Utc::now().timestamp();
        let claims = DeviceClaims {
            sub: username.to_string(),
            aud: AUDIENCE.into(),
            iat: now,
            exp: now + TTL_DAYS * 86_400,
            jti: Uuid::new_v4(),
        };
        encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
    }

    /// The id of the first of these tokens that is valid for this username.
    pub fn find<'a>(
        &self,
        username: &str,
        tokens: impl IntoIterator<Item = &'a str>,
    ) -> Option<Uuid> {
        tokens.into_iter().find_map(|t| {
            decode::<DeviceClaims>(t, &self.decoding, &self.validation)
                .ok()
                .filter(|d| d.claims.sub == username)
                .map(|d| d.claims.jti)
        })
    }

    /// The cookie value after a sign-in as `username` on this device: the
    /// new token first, then the others still valid, at most
    /// [`COOKIE_MAX_TOKENS`].
    pub fn cookie_value(
        &self,
        username: &str,
        new_token: &str,
        old_cookie: Option<&str>,
    ) -> String {
        let mut tokens = vec![new_token.to_string()];
        for t in old_cookie
            .unwrap_or("")
            .split('~')
            .filter(|t| !t.is_empty())
        {
            let keep = decode::<DeviceClaims>(t, &self.decoding, &self.validation)
                .is_ok_and(|d| d.claims.sub != username);
            if keep && tokens.len() < COOKIE_MAX_TOKENS {
                tokens.push(t.to_string());
            }
        }
        tokens.join("~")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::identity::jwt::tests as jwt;

    #[test]
    fn a_device_token_names_one_username_and_is_no_access_token() {
        let keys = DeviceKeys::new(jwt::SECRET);
        let t = keys.issue("psw").unwrap();
        assert!(keys.find("psw", [t.as_str()]).is_some());
        assert!(keys.find("other", [t.as_str()]).is_none());
        assert!(jwt::keys().verify(&t).is_err());
        let access = jwt::keys()
            .issue(Uuid::new_v4(), crate::access::Role::Admin, Uuid::new_v4())
            .unwrap();
        assert!(keys.find("psw", [access.as_str()]).is_none());
        let cookie = keys.cookie_value("b", &keys.issue("b").unwrap(), Some(&t));
        assert_eq!(cookie.split('~').count(), 2);
        let again = keys.cookie_value("psw", &keys.issue("psw").unwrap(), Some(&cookie));
        assert_eq!(again.split('~').count(), 2);
    }
}
