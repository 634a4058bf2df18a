//! The error mapping, pinned: statuses and codes, diesel errors, and no
//! internal detail in a body.

use diesel::result::Error as DieselError;

use super::*;

#[test]
fn status_mapping_is_stable() {
    let cases: Vec<(ApiError, u16, &str)> = vec![
        (
            ApiError::field("a", "required", "x"),
            422,
            "validation_failed",
        ),
        (ApiError::NotFound, 404, "not_found"),
        (
            ApiError::Rule {
                code: "buddy_not_registered_volunteer",
                field: "buddy_id",
                detail: "x".into(),
            },
            422,
            "buddy_not_registered_volunteer",
        ),
        (ApiError::Forbidden, 403, "forbidden"),
        (
            ApiError::Unauthorized("invalid_token"),
            401,
            "invalid_token",
        ),
        (ApiError::PreconditionRequired, 428, "if_match_required"),
        (
            ApiError::PreconditionFailed {
                current: serde_json::json!({}),
            },
            412,
            "version_mismatch",
        ),
        (
            ApiError::Unavailable("x".into()),
            503,
            "database_unavailable",
        ),
        (
            ApiError::Busy {
                retry_after_secs: 1,
            },
            503,
            "server_busy",
        ),
        (
            ApiError::Internal("secret detail".into()),
            500,
            "internal_error",
        ),
    ];
    for (err, status, code) in cases {
        assert_eq!(err.status_code().as_u16(), status, "{err:?}");
        assert_eq!(err.code(), code);
    }
}

#[test]
fn diesel_errors_map_to_client_meaningful_statuses() {
    assert_eq!(
        ApiError::from(DieselError::NotFound).status_code(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        ApiError::from(DieselError::RollbackTransaction).status_code(),
        StatusCode::INTERNAL_SERVER_ERROR
    );
}

/// A primary killed or switched over mid-request: each way the outage
/// reaches a handler is a 503 a client retries, never a 500.
#[test]
fn a_database_going_away_is_503_database_unavailable() {
    use diesel::result::DatabaseErrorKind as Kind;
    let db = |kind, message: &str| DieselError::DatabaseError(kind, Box::new(message.to_string()));
    let outages = [
        db(Kind::UnableToSendCommand, "connection closed"),
        db(Kind::ClosedConnection, "server closed the connection"),
        db(
            Kind::ReadOnlyTransaction,
            "cannot execute INSERT in a read-only transaction",
        ),
        db(
            Kind::Unknown,
            "terminating connection due to administrator command",
        ),
        db(Kind::Unknown, "the database system is shutting down"),
        DieselError::BrokenTransactionManager,
        DieselError::RollbackErrorOnCommit {
            commit_error: Box::new(db(Kind::UnableToSendCommand, "connection closed")),
            rollback_error: Box::new(DieselError::BrokenTransactionManager),
        },
    ];
    for err in outages {
        let what = format!("{err:?}");
        let api = ApiError::from(err);
        assert_eq!(api.status_code(), StatusCode::SERVICE_UNAVAILABLE, "{what}");
        assert_eq!(api.code(), "database_unavailable", "{what}");
        let res = actix_web::ResponseError::error_response(&api);
        assert_eq!(res.headers().get("retry-after").unwrap(), "1", "{what}");
    }
    // Other database failures stay 500s, logged with the request id.
    assert_eq!(
        ApiError::from(db(Kind::Unknown, "relation \"x\" does not exist")).status_code(),
        StatusCode::INTERNAL_SERVER_ERROR
    );
}

#[test]
fn internal_details_never_reach_the_body() {
    let problem = ApiError::Internal("password=hunter2 at db.rs:42".into()).to_problem(None);
    let body = serde_json::to_string(&problem).unwrap();
    assert!(!body.contains("hunter2"));
    assert!(body.contains("internal_error"));
}
