//! Database rows and the query functions over them. Functions here return
//! diesel's `QueryResult`; the domain layer (`crate::domain`) builds its
//! rules and transactions on them and turns errors into `DomainError`.

pub mod activity;
pub mod audit_log;
pub mod buddy;
pub mod bulk_export;
pub mod feed;
pub mod impact;
pub mod integration_client;
pub mod leave;
pub mod login_throttle;
pub mod measure;
pub mod refresh_token;
pub mod report;
pub mod service_user;
pub mod sign_in;
pub mod tablet;
pub mod user;
pub mod ward;
pub mod ward_figures;
