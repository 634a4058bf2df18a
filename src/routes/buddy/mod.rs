//! `/api/v1/buddy/…`: the Buddy Scheme. A `buddy_coordinator` manages all
//! of it; a `manager` reads all of it; a student or buddy with an account
//! (`buddy_student`, `buddy_volunteer`) sees and writes only their own
//! pairings' records, and anything else answers 404 to them. Other roles
//! are refused (403).

mod buddies;
mod calendar;
mod cohorts;
mod evaluation;
mod meetings;
mod pairing_status;
mod pairings;
mod reports;
mod students;

pub use buddies::*;
pub use calendar::*;
pub use cohorts::*;
pub use evaluation::*;
pub use meetings::*;
pub use pairing_status::*;
pub use pairings::*;
pub use reports::*;
pub use students::*;

use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::auth::policy;
use crate::auth::{CurrentUser, Role};
use crate::error::{ApiError, ApiResult};
use crate::models::buddy::Scope;
use crate::schema::users;

/// The scheme's directory (cohorts, students, buddies, reports): the
/// coordinator writes, the coordinator and managers read.
fn require_staff(user: &CurrentUser, write: bool) -> ApiResult<()> {
    if write {
        user.require(policy::BUDDY_DIRECTORY_WRITERS)
    } else {
        user.require(policy::BUDDY_DIRECTORY_READERS)
    }
}

/// Which pairings' records the caller may see; roles outside the scheme
/// are refused.
fn read_scope(user: &CurrentUser) -> ApiResult<Scope> {
    match user.role {
        Role::BuddyCoordinator | Role::Manager => Ok(Scope::All),
        Role::BuddyStudent => Ok(Scope::Student(user.id)),
        Role::BuddyVolunteer => Ok(Scope::Volunteer(user.id)),
        _ => Err(ApiError::Forbidden),
    }
}

/// Which pairings' meetings, reflections and feedback the caller may
/// write: managers only read.
fn write_scope(user: &CurrentUser) -> ApiResult<Scope> {
    if user.role == Role::Manager {
        return Err(ApiError::Forbidden);
    }
    read_scope(user)
}

/// Checks that an account to link exists and has the expected role.
async fn check_account(
    conn: &mut AsyncPgConnection,
    user_id: Option<Uuid>,
    role: Role,
) -> ApiResult<()> {
    let Some(id) = user_id else { return Ok(()) };
    let found: Option<Role> = users::table
        .find(id)
        .select(users::role)
        .first(conn)
        .await
        .optional()?;
    match found {
        None => Err(ApiError::field(
            "user_id",
            "unknown_reference",
            "no account with this id",
        )),
        Some(r) if r != role => Err(ApiError::field(
            "user_id",
            "wrong_role",
            format!("the account must have the role {role}"),
        )),
        Some(_) => Ok(()),
    }
}

/// For PATCH fields that may be cleared: absent is `None` (leave as is),
/// `null` is `Some(None)` (clear), a value is `Some(Some(v))`.
fn present<'de, D, T>(de: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    <Option<T> as serde::Deserialize>::deserialize(de).map(Some)
}

/// A 201 answer naming where the new record lives.
fn created_response<T: serde::Serialize>(location: String, body: &T) -> actix_web::HttpResponse {
    actix_web::HttpResponse::Created()
        .insert_header((actix_web::http::header::LOCATION, location))
        .json(body)
}

/// The 409 for a unique key a link or name already uses.
fn taken(code: &'static str, detail: &str) -> ApiError {
    ApiError::Conflict {
        code,
        detail: detail.to_string(),
        current: None,
    }
}

/// Maps a unique violation to a specific conflict, keeping other errors.
fn on_unique(err: diesel::result::Error, code: &'static str, detail: &str) -> ApiError {
    use diesel::result::{DatabaseErrorKind, Error};
    match err {
        Error::DatabaseError(DatabaseErrorKind::UniqueViolation, _) => taken(code, detail),
        other => other.into(),
    }
}
