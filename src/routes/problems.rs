//! The problem answers many operations share, documented once and inlined
//! into each operation (`response = inline(…)`), so the document keeps
//! the shape generated clients read: a `Problem` body under
//! `application/problem+json`. Answers particular to one operation (a
//! named 409, a rule broken) stay written at the operation.

use utoipa::ToResponse;

use crate::error::Problem;

/// 400: a query or path parameter that does not parse.
#[derive(ToResponse)]
#[response(
    description = "A query or path parameter is not valid (`invalid_query`, `invalid_path`, `invalid_cursor`)",
    content_type = "application/problem+json"
)]
pub struct BadQuery(#[allow(dead_code)] Problem);

/// 403: the caller's role may not do this.
#[derive(ToResponse)]
#[response(
    description = "The caller's role may not do this (`forbidden`)",
    content_type = "application/problem+json"
)]
pub struct Forbidden(#[allow(dead_code)] Problem);

/// 404: no such record, or one outside the caller's scope (not told apart).
#[derive(ToResponse)]
#[response(
    description = "No such record, or not one the caller may see (`not_found`)",
    content_type = "application/problem+json"
)]
pub struct NotFound(#[allow(dead_code)] Problem);

/// 412: the `If-Match` names an older version.
#[derive(ToResponse)]
#[response(
    description = "Stale `If-Match`; `current` holds the record as it now stands (`precondition_failed`)",
    content_type = "application/problem+json"
)]
pub struct Stale(#[allow(dead_code)] Problem);

/// 422: fields that break their rules, each named in `errors`.
#[derive(ToResponse)]
#[response(
    description = "Invalid fields; `errors` names each (`validation_failed`)",
    content_type = "application/problem+json"
)]
pub struct Invalid(#[allow(dead_code)] Problem);
