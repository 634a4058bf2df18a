//! `/api/v1/oauth`: the SMART Backend Services token endpoint, where a
//! registered integration client trades a signed assertion for an access
//! token. Clients are registered at [`crate::routes::integration_clients`];
//! the endpoint is published in `/.well-known/smart-configuration`.

pub mod token;
