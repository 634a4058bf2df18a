//! The Buddy Scheme's rules and transactions: who may be paired, a
//! pairing's life, meeting outcomes and series completion, reflections and
//! feedback, calendars. A `buddy_coordinator` manages all of it; a
//! `manager` reads all of it; a student or buddy with an account
//! (`buddy_student`, `buddy_volunteer`) sees and writes only their own
//! pairings' records, and anything else is as if it did not exist.
//!
//! Which roles reach an operation at all is [`crate::auth::policy`]'s
//! (the routes check it first); which pairings' records a caller then sees
//! is [`scope`]'s. The request bodies are
//! defined here too, as the input of the operations that take them.

pub mod buddies;
pub mod calendar;
pub mod cohorts;
pub mod evaluation;
pub mod meeting_place;
pub mod meetings;
pub mod pairings;
pub mod reports;
pub mod scope;
pub mod students;

use uuid::Uuid;

use crate::access::{Actor, Role};
use crate::audit::AuditActor;
use crate::domain::{DomainError, DomainResult};
use crate::models::buddy;

/// Who to name in the audit rows an actor's operation writes.
fn audit_actor(actor: &Actor) -> AuditActor {
    AuditActor::user(actor.id, actor.role, &actor.meta)
}

/// Checks that an account to link exists and has the expected role.
async fn check_account(
    conn: &mut diesel_async::AsyncPgConnection,
    user_id: Option<Uuid>,
    role: Role,
) -> DomainResult<()> {
    let Some(id) = user_id else { return Ok(()) };
    match buddy::account_role(conn, id).await? {
        None => Err(DomainError::field(
            "user_id",
            "unknown_reference",
            "no account with this id",
        )),
        Some(r) if r != role => Err(DomainError::field(
            "user_id",
            "wrong_role",
            format!("the account must have the role {role}"),
        )),
        Some(_) => Ok(()),
    }
}

/// The conflict for a unique key a link or name already uses.
fn taken(code: &'static str, detail: &str) -> DomainError {
    DomainError::Conflict {
        code,
        detail: detail.to_string(),
        current: None,
    }
}

/// Maps a unique violation to a specific conflict, keeping other errors.
fn on_unique(err: diesel::result::Error, code: &'static str, detail: &str) -> DomainError {
    use diesel::result::{DatabaseErrorKind, Error};
    match err {
        Error::DatabaseError(DatabaseErrorKind::UniqueViolation, _) => taken(code, detail),
        other => other.into(),
    }
}

/// A simple email check: something@domain.tld, no spaces, at most 254
/// characters (the database checks the same shape).
pub fn valid_email(email: &str) -> bool {
    if email.len() > 254 || email.chars().any(char::is_whitespace) {
        return false;
    }
    match email.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.contains('@')
                && domain
                    .split_once('.')
                    .is_some_and(|(a, b)| !a.is_empty() && !b.is_empty())
                && !domain.ends_with('.')
        }
        None => false,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        assert!(valid_email("a.b@uni.ac.uk"));
        assert!(!valid_email("a b@uni.ac.uk"));
        assert!(!valid_email("ab@uni"));
        assert!(!valid_email("@uni.ac.uk"));
        assert!(!valid_email("a@b@c.uk"));
        assert!(!valid_email("a@uni."));
    }
}
