//! `/api/v1/integration-clients`: trust systems registered for SMART
//! Backend Services sign-in (admin only). The rules and transactions are
//! [`crate::domain::integration_clients`]'s; the token endpoint they sign
//! in at is [`crate::routes::oauth`].

pub mod by_id;
pub mod index;
