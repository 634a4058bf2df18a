//! Access tokens: HS256 JWTs with the algorithm pinned and every registered
//! claim validated (`exp`, `iat`, `iss`, `aud`, `sub`) plus our own `role`,
//! `sid` (the sign-in the token belongs to, checked against the database on
//! every request so logout takes effect at once) and `jti`.

use chrono::Utc;
use jsonwebtoken::{decode, encode, Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::access::Role;

/// Seconds of clock difference tolerated between servers.
const LEEWAY_SECS: u64 = 30;

/// The claims of an access token.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Claims {
    pub sub: Uuid,
    pub role: Role,
    pub iss: String,
    pub aud: String,
    pub iat: i64,
    pub exp: i64,
    /// The sign-in (`sign_ins.id`) this token was issued for.
    pub sid: Uuid,
    pub jti: Uuid,
}

/// What access tokens are signed with and say, given as values (the
/// configuration reads them from `PEERLOG_JWT_*`).
#[derive(Debug, Clone, Copy)]
pub struct TokenSettings<'a> {
    /// The HS256 secret.
    pub secret: &'a [u8],
    /// `iss` of issued tokens, required on incoming ones.
    pub issuer: &'a str,
    /// `aud` of issued tokens, required on incoming ones.
    pub audience: &'a str,
    /// Lifetime of an access token, in seconds.
    pub ttl_secs: i64,
}

/// Signs and checks access tokens with the configured secret.
#[derive(Clone)]
pub struct TokenKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    issuer: String,
    audience: String,
    /// Lifetime of an access token, in seconds.
    pub ttl_secs: i64,
}

impl TokenKeys {
    pub fn new(settings: TokenSettings<'_>) -> Self {
        let secret = settings.secret;
        // Only HS256: a token whose header names any other algorithm,
        // `none` included, is refused before its signature is looked at.
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[settings.issuer]);
        validation.set_audience(&[settings.audience]);
        validation.set_required_spec_claims(&["exp", "iat", "iss", "aud", "sub"]);
        validation.leeway = LEEWAY_SECS;
        validation.validate_exp = true;
        validation.validate_nbf = true;
        TokenKeys {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            validation,
            issuer: settings.issuer.to_string(),
            audience: settings.audience.to_string(),
            ttl_secs: settings.ttl_secs,
        }
    }

    /// Issues an access token for a user's sign-in.
    pub fn issue(
        &self,
        user_id: Uuid,
        role: Role,
        sid: Uuid,
    ) -> Result<String, jsonwebtoken::errors::Error> {
        let now = Utc::now().timestamp();
        let claims = Claims {
            sub: user_id,
            role,
            iss: self.issuer.clone(),
            aud: self.audience.clone(),
            iat: now,
            exp: now + self.ttl_secs,
            sid,
            jti: Uuid::new_v4(),
        };
        encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
    }

    /// Signs arbitrary claims; tests use this to forge expired or
    /// mis-addressed tokens with the real key.
    pub fn sign_claims(&self, claims: &Claims) -> Result<String, jsonwebtoken::errors::Error> {
        encode(&Header::new(Algorithm::HS256), claims, &self.encoding)
    }

    /// Verifies a token and returns its claims.
    pub fn verify(&self, token: &str) -> Result<Claims, jsonwebtoken::errors::Error> {
        let data = decode::<Claims>(token, &self.decoding, &self.validation)?;
        // `iat` in the future means a forged or badly clocked issuer.
        if data.claims.iat > Utc::now().timestamp() + LEEWAY_SECS as i64 {
            return Err(jsonwebtoken::errors::ErrorKind::ImmatureSignature.into());
        }
        Ok(data.claims)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use base64::Engine;

    /// A secret for these tests alone.
    pub(crate) const SECRET: &[u8] = b"a test secret of more than thirty-two bytes";

    pub(crate) fn keys() -> TokenKeys {
        TokenKeys::new(TokenSettings {
            secret: SECRET,
            issuer: "peerlog",
            audience: "peerlog-api",
            ttl_secs: 900,
        })
    }

    #[test]
    fn issued_tokens_verify() {
        let k = keys();
        let id = Uuid::new_v4();
        let claims = k
            .verify(&k.issue(id, Role::Manager, Uuid::new_v4()).unwrap())
            .unwrap();
        assert_eq!(claims.sub, id);
        assert_eq!(claims.role, Role::Manager);
    }

    #[test]
    fn alg_none_is_refused() {
        let k = keys();
        let token = k
            .issue(Uuid::new_v4(), Role::Admin, Uuid::new_v4())
            .unwrap();
        let payload = token.split('.').nth(1).unwrap();
        let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let header = b64.encode(br#"{"alg":"none","typ":"JWT"}"#);
        assert!(k.verify(&format!("{header}.{payload}.")).is_err());
        assert!(k.verify(&format!("{header}.{payload}")).is_err());
    }

    #[test]
    fn other_hmac_algorithms_are_refused() {
        let k = keys();
        let claims = k
            .verify(
                &k.issue(Uuid::new_v4(), Role::Admin, Uuid::new_v4())
                    .unwrap(),
            )
            .unwrap();
        let secret = SECRET;
        let hs512 = encode(
            &Header::new(Algorithm::HS512),
            &claims,
            &EncodingKey::from_secret(secret),
        )
        .unwrap();
        assert!(k.verify(&hs512).is_err());
    }
}
