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
            "service_unavailable",
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

#[test]
fn internal_details_never_reach_the_body() {
    let problem = ApiError::Internal("password=hunter2 at db.rs:42".into()).to_problem(None);
    let body = serde_json::to_string(&problem).unwrap();
    assert!(!body.contains("hunter2"));
    assert!(body.contains("internal_error"));
}
