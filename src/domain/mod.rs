//! The rules and transactions of each area, free of HTTP: what may be
//! recorded, amended, paired or changed, and the transaction that writes it
//! with its audit row, history and outbox event. Functions here take plain
//! values (an [`crate::access::Actor`], a ward scope, typed input) and a
//! connection, and return a [`DomainError`]; the routes turn that into an
//! HTTP answer with one `From`.
//!
//! Layers, each using only those below it (a test in `tests/architecture.rs`
//! keeps it so): `routes` → `auth`/`extract` → `domain` → `models` (rows
//! and queries) → `schema`; `access`, `validate` and `json_path` are plain
//! values any layer may use.

pub mod activities;
pub mod buddy;
pub mod bulk_export;
pub mod error;
pub mod fhir;
pub mod impact;
pub mod integration_clients;
pub mod leave;
pub mod measures;
pub mod service_users;
pub mod sessions;
pub mod tablets;
pub mod users;
pub mod ward_figures;
pub mod wards;

pub use error::{DomainError, DomainResult};
