//! Into [`ApiError`]: what each lower layer's failure answers — the
//! domain's refusals, database errors, pool and pagination failures.

use diesel::result::{DatabaseErrorKind, Error as DieselError};

use super::{ApiError, FieldError};

impl From<DieselError> for ApiError {
    fn from(err: DieselError) -> Self {
        match err {
            DieselError::NotFound => ApiError::NotFound,
            // The database went away under the request (a killed or
            // restarting primary: tokio-postgres says "connection closed",
            // diesel-async reports it as a command it could not send), or
            // the request reached a server that is, or has just become, a
            // read-only standby (SQLSTATE 25006). Nothing was committed, or
            // the outcome is unknown and a retry is safe (creates are
            // idempotent by id): 503 with Retry-After, never 500.
            DieselError::DatabaseError(
                DatabaseErrorKind::ClosedConnection
                | DatabaseErrorKind::UnableToSendCommand
                | DatabaseErrorKind::ReadOnlyTransaction,
                info,
            ) => ApiError::Unavailable(info.message().to_string()),
            DieselError::DatabaseError(_, info) if is_server_going_away(info.message()) => {
                ApiError::Unavailable(info.message().to_string())
            }
            // The connection broke inside a transaction and could not
            // even roll back: the same outage as above.
            DieselError::BrokenTransactionManager => {
                ApiError::Unavailable("the connection broke inside a transaction".into())
            }
            DieselError::RollbackErrorOnCommit { commit_error, .. } => (*commit_error).into(),
            DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, info) => {
                ApiError::Conflict {
                    code: "already_exists",
                    detail: format!(
                        "A record with the same unique value already exists ({}).",
                        info.constraint_name().unwrap_or("unique key")
                    ),
                    current: None,
                }
            }
            DieselError::DatabaseError(DatabaseErrorKind::ForeignKeyViolation, info) => {
                ApiError::field(
                    info.column_name().unwrap_or("body"),
                    "unknown_reference",
                    "refers to a record that does not exist",
                )
            }
            DieselError::DatabaseError(DatabaseErrorKind::CheckViolation, info) => ApiError::field(
                info.constraint_name().unwrap_or("body"),
                "invalid",
                "breaks a rule the database enforces",
            ),
            // Text PostgreSQL cannot store (a NUL byte) that slipped past
            // the extractors: the client's fault, not ours.
            DieselError::DatabaseError(_, info)
                if info.message().contains("invalid byte sequence") =>
            {
                ApiError::field(
                    "body",
                    "invalid_character",
                    "contains a character that cannot be stored",
                )
            }
            // A date PostgreSQL cannot hold (before 4713 BC) in a filter or
            // a field that the extractors let through.
            DieselError::DatabaseError(_, info) if info.message().contains("out of range") => {
                ApiError::field("body", "out_of_range", "a date or number is out of range")
            }
            // Two writers that met on the same report rollup rows in
            // opposite orders: nothing was written; the client may retry
            // (creates are idempotent by id).
            DieselError::DatabaseError(_, info) if info.message().contains("deadlock detected") => {
                ApiError::Unavailable("deadlock detected; retry".into())
            }
            DieselError::DatabaseError(DatabaseErrorKind::SerializationFailure, _) => {
                ApiError::Unavailable("serialization failure; retry".into())
            }
            other => ApiError::Internal(other.to_string()),
        }
    }
}

/// PostgreSQL's own words when it ends a session or refuses one because
/// it is stopping, starting or recovering (SQLSTATE class 57P, which
/// diesel has no kind for): an outage, answered 503.
fn is_server_going_away(message: &str) -> bool {
    const SIGNS: &[&str] = &[
        "terminating connection",
        "the database system is shutting down",
        "the database system is starting up",
        "the database system is in recovery mode",
        "the database system is not yet accepting connections",
        "the database system is not accepting connections",
    ];
    SIGNS.iter().any(|sign| message.contains(sign))
}

impl From<crate::domain::DomainError> for ApiError {
    fn from(err: crate::domain::DomainError) -> Self {
        use crate::domain::DomainError as D;
        match err {
            D::Invalid(errors) => ApiError::Validation(errors),
            D::Rule {
                code,
                field,
                detail,
            } => ApiError::Rule {
                code,
                field,
                detail,
            },
            D::NotFound => ApiError::NotFound,
            D::Forbidden => ApiError::Forbidden,
            D::Unauthorized(code) => ApiError::Unauthorized(code),
            D::Throttled { retry_after_secs } => ApiError::TooManyRequests { retry_after_secs },
            D::Conflict {
                code,
                detail,
                current,
            } => ApiError::Conflict {
                code,
                detail,
                current,
            },
            D::PreconditionFailed { current } => ApiError::PreconditionFailed { current },
            D::Database(e) => e.into(),
            D::Internal(what) => ApiError::Internal(what),
        }
    }
}

impl From<crate::pagination::LimitOutOfRange> for ApiError {
    fn from(_: crate::pagination::LimitOutOfRange) -> Self {
        ApiError::BadRequest {
            code: "invalid_query",
            detail: format!(
                "Query parameter `limit` must be between 1 and {}.",
                crate::pagination::MAX_LIMIT
            ),
        }
    }
}

impl From<FieldError> for ApiError {
    fn from(err: FieldError) -> Self {
        ApiError::Validation(vec![err])
    }
}

impl From<crate::validate::Invalid> for ApiError {
    fn from(err: crate::validate::Invalid) -> Self {
        ApiError::Validation(err.0)
    }
}

impl From<crate::access::OutOfScope> for ApiError {
    fn from(_: crate::access::OutOfScope) -> Self {
        ApiError::NotFound
    }
}

impl From<diesel_async::pooled_connection::deadpool::PoolError> for ApiError {
    fn from(err: diesel_async::pooled_connection::deadpool::PoolError) -> Self {
        ApiError::Unavailable(err.to_string())
    }
}

impl From<actix_web::error::BlockingError> for ApiError {
    fn from(err: actix_web::error::BlockingError) -> Self {
        ApiError::Internal(err.to_string())
    }
}
