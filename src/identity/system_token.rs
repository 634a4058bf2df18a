//! Access tokens issued to integration clients by the Backend Services
//! token endpoint: HS256 JWTs like a person's, but signed with a key of
//! their own (derived from the configured secret under another label) and
//! typed `at+jwt` (RFC 9068), so a person's token can never pass as a
//! system's or the reverse. They carry the client and its granted scopes;
//! the client's account, wards and standing are read from the database on
//! every request, as for a person.

use chrono::Utc;
use jsonwebtoken::{decode, encode, Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::identity::jwt::TokenSettings;

/// The `typ` of a system access token.
pub const TOKEN_TYPE: &str = "at+jwt";
/// How long a system access token lives (SMART recommends five minutes).
pub const TTL_SECS: i64 = 300;
/// Seconds of clock difference tolerated.
const LEEWAY_SECS: u64 = 30;

/// The claims of a system access token.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SystemClaims {
    /// The client's row (`integration_clients.id`).
    pub sub: Uuid,
    pub client_id: String,
    /// The granted scopes, space-separated.
    pub scope: String,
    pub iss: String,
    pub aud: String,
    pub iat: i64,
    pub exp: i64,
    pub jti: Uuid,
}

/// Signs and checks system access tokens.
#[derive(Clone)]
pub struct SystemTokenKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    issuer: String,
    audience: String,
}

impl SystemTokenKeys {
    /// Keys derived from the person tokens' settings (their secret under
    /// another label, the same issuer and audience).
    pub fn new(settings: TokenSettings<'_>) -> Self {
        let mut hasher = Sha256::new();
        hasher.update(b"peerlog backend services access token\0");
        hasher.update(settings.secret);
        let secret = hasher.finalize();
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[settings.issuer]);
        validation.set_audience(&[settings.audience]);
        validation.set_required_spec_claims(&["exp", "iat", "iss", "aud", "sub"]);
        validation.leeway = LEEWAY_SECS;
        SystemTokenKeys {
            encoding: EncodingKey::from_secret(&secret),
            decoding: DecodingKey::from_secret(&secret),
            validation,
            issuer: settings.issuer.to_string(),
            audience: settings.audience.to_string(),
        }
    }

    /// Issues a token for a client with the scopes granted.
    pub fn issue(
        &self,
        client: Uuid,
        client_id: &str,
        scope: &str,
    ) -> Result<String, jsonwebtoken::errors::Error> {
        let now = Utc::now().timestamp();
        let claims = SystemClaims {
            sub: client,
            client_id: client_id.to_string(),
            scope: scope.to_string(),
            iss: self.issuer.clone(),
            aud: self.audience.clone(),
            iat: now,
            exp: now + TTL_SECS,
            jti: Uuid::new_v4(),
        };
        let mut header = Header::new(Algorithm::HS256);
        header.typ = Some(TOKEN_TYPE.into());
        encode(&header, &claims, &self.encoding)
    }

    /// Verifies a system token and returns its claims.
    pub fn verify(&self, token: &str) -> Result<SystemClaims, jsonwebtoken::errors::Error> {
        let header = jsonwebtoken::decode_header(token)?;
        if header.typ.as_deref() != Some(TOKEN_TYPE) {
            return Err(jsonwebtoken::errors::ErrorKind::InvalidToken.into());
        }
        let data = decode::<SystemClaims>(token, &self.decoding, &self.validation)?;
        if data.claims.iat > Utc::now().timestamp() + LEEWAY_SECS as i64 {
            return Err(jsonwebtoken::errors::ErrorKind::ImmatureSignature.into());
        }
        Ok(data.claims)
    }
}

/// Whether a token's header says it is a system token (`typ` `at+jwt`).
pub fn is_system_token(token: &str) -> bool {
    jsonwebtoken::decode_header(token).is_ok_and(|h| h.typ.as_deref() == Some(TOKEN_TYPE))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::identity::jwt::TokenKeys;

    fn settings() -> TokenSettings<'static> {
        TokenSettings {
            secret: b"a test secret of thirty-two bytes!",
            issuer: "peerlog",
            audience: "peerlog-api",
            ttl_secs: 900,
        }
    }

    #[test]
    fn issued_tokens_verify_and_person_tokens_do_not_pass_as_system_ones() {
        let keys = SystemTokenKeys::new(settings());
        let id = Uuid::new_v4();
        let token = keys.issue(id, "epr", "system/*.rs").unwrap();
        assert!(is_system_token(&token));
        assert_eq!(keys.verify(&token).unwrap().sub, id);
        let person = TokenKeys::new(settings())
            .issue(id, crate::access::Role::Integration, Uuid::new_v4())
            .unwrap();
        assert!(!is_system_token(&person));
        assert!(keys.verify(&person).is_err());
        // A system token is no person's token either (another key).
        assert!(TokenKeys::new(settings()).verify(&token).is_err());
    }
}
