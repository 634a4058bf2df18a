//! What a domain operation answers instead of success. Each variant is a
//! fact about the request, not an HTTP status; `crate::error` maps them.

use crate::access::OutOfScope;
use crate::validate::{FieldError, Invalid};

/// The result type of domain operations.
pub type DomainResult<T> = Result<T, DomainError>;

/// Why a domain operation did not happen. Nothing was written.
#[derive(Debug, thiserror::Error)]
pub enum DomainError {
    /// The input breaks its rules; every failing field is named.
    #[error("validation failed")]
    Invalid(Vec<FieldError>),
    /// A rule of the domain refuses the request, e.g. pairing a buddy who
    /// is not a registered volunteer; `code` names the rule and `field` the
    /// input that broke it.
    #[error("rule broken: {code}")]
    Rule {
        code: &'static str,
        field: &'static str,
        detail: String,
    },
    /// The record does not exist or is outside the actor's scope (the two
    /// are not told apart, so a scope reveals nothing).
    #[error("not found")]
    NotFound,
    /// The actor's role may not do this to this record.
    #[error("forbidden")]
    Forbidden,
    /// A sign-in or token was refused; the code says why
    /// (`invalid_credentials`, `invalid_refresh_token`, `invalid_token`,
    /// `account_not_linked`, `account_inactive`).
    #[error("unauthorized: {0}")]
    Unauthorized(&'static str),
    /// Too many failed sign-ins from this client: nothing was checked;
    /// try again after this many seconds.
    #[error("throttled")]
    Throttled { retry_after_secs: i64 },
    /// The record's state does not allow the change.
    #[error("conflict: {detail}")]
    Conflict {
        code: &'static str,
        detail: String,
        current: Option<serde_json::Value>,
    },
    /// The record changed since the version the actor read.
    #[error("precondition failed")]
    PreconditionFailed { current: serde_json::Value },
    /// The database refused or failed; mapped as the API maps diesel errors.
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
    /// A failure that is not the caller's, logged; they see a generic message.
    #[error("internal error: {0}")]
    Internal(String),
}

impl DomainError {
    /// A single-field validation failure.
    pub fn field(field: impl Into<String>, code: &str, message: impl Into<String>) -> Self {
        DomainError::Invalid(vec![FieldError::new(field, code, message)])
    }

    /// An internal failure.
    pub fn internal(what: impl std::fmt::Display) -> Self {
        DomainError::Internal(what.to_string())
    }
}

impl From<Invalid> for DomainError {
    fn from(err: Invalid) -> Self {
        DomainError::Invalid(err.0)
    }
}

impl From<FieldError> for DomainError {
    fn from(err: FieldError) -> Self {
        DomainError::Invalid(vec![err])
    }
}

impl From<OutOfScope> for DomainError {
    fn from(_: OutOfScope) -> Self {
        DomainError::NotFound
    }
}
