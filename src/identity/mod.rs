//! Proving who someone is, with no HTTP in sight: peerlog's own access
//! tokens ([`jwt`]), the device tokens that exempt a known tablet from
//! other clients' sign-in throttle ([`device`]), tokens from the trust's
//! OpenID Connect provider ([`oidc`]) and password hashes ([`password`]).
//! The request side (bearer extraction, the current user) is `auth`.

pub mod client_assertion;
pub mod device;
pub mod jwt;
pub mod oidc;
pub mod password;
pub mod system_token;
