//! `/api/v1/service-users`: the people on the wards, synchronised from the
//! trust's system by pseudonymous reference. Reads are ward-scoped, and
//! every read of one person's record is audited.
//!
//! One file per URL path: `index` (`/service-users`), `by_id`
//! (`GET /service-users/{id}`), `by_reference` (`PUT
//! /service-users/{reference}`). The rules are in
//! `crate::domain::service_users`.

pub mod by_id;
pub mod by_reference;
pub mod index;
pub mod quote_withdrawal;
