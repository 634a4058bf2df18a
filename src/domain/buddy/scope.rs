//! Which pairings' records a caller reaches: everything for the
//! coordinator and managers (managers only to read), only their own
//! pairings' for a student's or buddy's account. Records outside the scope
//! are not found, as if they did not exist.

use diesel_async::AsyncPgConnection;
use uuid::Uuid;

use crate::access::{Actor, Role};
use crate::domain::{DomainError, DomainResult};
use crate::models::buddy::meeting::{self, Meeting};
use crate::models::buddy::pairing::{self, Pairing};
use crate::models::buddy::Scope;

/// Which pairings' records the actor may see; roles outside the scheme
/// are refused.
pub fn read_scope(actor: &Actor) -> DomainResult<Scope> {
    match actor.role {
        Role::BuddyCoordinator | Role::Manager => Ok(Scope::All),
        Role::BuddyStudent => Ok(Scope::Student(actor.id)),
        Role::BuddyVolunteer => Ok(Scope::Volunteer(actor.id)),
        _ => Err(DomainError::Forbidden),
    }
}

/// Which pairings' meetings, reflections and feedback the actor may
/// write: managers only read.
pub fn write_scope(actor: &Actor) -> DomainResult<Scope> {
    if actor.role == Role::Manager {
        return Err(DomainError::Forbidden);
    }
    read_scope(actor)
}

/// Whose pairings' calendars the actor may read: the coordinator's every
/// pairing, a student's or buddy's account its own; managers read meetings
/// but not their join links, so not calendars.
pub fn calendar_scope(actor: &Actor) -> DomainResult<Scope> {
    match actor.role {
        Role::BuddyCoordinator => Ok(Scope::All),
        Role::BuddyStudent => Ok(Scope::Student(actor.id)),
        Role::BuddyVolunteer => Ok(Scope::Volunteer(actor.id)),
        _ => Err(DomainError::Forbidden),
    }
}

/// The meeting as a reader of this role may see it: managers read the
/// Buddy Scheme's meetings but not their join links.
pub fn for_reader(mut meeting: Meeting, role: Role) -> Meeting {
    if role == Role::Manager {
        meeting.link = None;
    }
    meeting
}

/// A pairing the scope may see, or not found.
pub async fn visible_pairing(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    scope: Scope,
    lock: bool,
) -> DomainResult<Pairing> {
    let found = if lock {
        pairing::lock(conn, id, scope).await?
    } else {
        pairing::find(conn, id, scope).await?
    };
    found.ok_or(DomainError::NotFound)
}

/// A meeting and its pairing, if the scope may see them; not found
/// otherwise.
pub async fn visible_meeting(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    scope: Scope,
    lock: bool,
) -> DomainResult<(Meeting, Pairing)> {
    let found = meeting::find(conn, id)
        .await?
        .ok_or(DomainError::NotFound)?;
    let pairing = visible_pairing(conn, found.pairing_id, scope, lock).await?;
    if lock {
        // Changes to a meeting lock its pairing first; read the meeting
        // again now that the lock is held, so two simultaneous changes see
        // each other (the second finds the meeting no longer planned).
        let current = meeting::find(conn, id)
            .await?
            .ok_or(DomainError::NotFound)?;
        return Ok((current, pairing));
    }
    Ok((found, pairing))
}
