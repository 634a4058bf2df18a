//! Activities: what a caller sends ([`input`], read field by field by
//! [`parse`]), who may record, read and change which record, the rules
//! every record keeps ([`check`], with each kind's own in [`kinds`]), and
//! the transactions that write it.
//! Each write is one transaction holding the row, its links, a version
//! row, an outbox event and an audit row, so none exists without the
//! others; every read of records that name service users is audited
//! ([`audit_read`]).
//!
//! Record-level rules: workers change their own records, team leaders any
//! on their wards ([`may_change`]); ward staff on the record's ward confirm
//! an escorted leave ([`leave_confirmation::may_confirm_leave`]). A record
//! outside the actor's ward scope reads as not found, before any role is
//! checked.

pub mod amend;
pub mod batch;
pub mod check;
pub mod create;
pub mod entered_in_error;
pub mod feed;
pub mod input;
pub mod kinds;
pub mod leave_confirmation;
pub mod parse;
pub mod read;
pub mod rules;

use diesel_async::AsyncPgConnection;
use uuid::Uuid;

use super::{DomainError, DomainResult};
use crate::access::{Actor, Role, WardScope};
use crate::audit::{self, AuditActor, AuditEvent};
use crate::models::activity::{self, store, Activity, ActivityStatus};
use crate::validate::Errors;

pub use input::{ActivityAmendment, NewActivity, VoidRequest};

/// The longest reason for an amendment or a void.
pub const REASON_MAX: usize = 1000;

/// Who to name in the audit rows an actor's request writes.
fn audit_actor(actor: &Actor) -> AuditActor {
    AuditActor::user(actor.id, actor.role, &actor.meta)
}

/// Audits a read of activities that name service users: one row for one
/// record, one row listing the ids for several, none when none names
/// anybody. Every route that answers activities calls this.
pub async fn audit_read(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    action: &str,
    activities: &[&Activity],
) -> DomainResult<()> {
    let naming: Vec<&&Activity> = activities
        .iter()
        .filter(|a| !a.service_user_ids.is_empty())
        .collect();
    if naming.is_empty() {
        return Ok(());
    }
    let event = if let [one] = naming.as_slice() {
        AuditEvent::new(action, "activity", one.id)
            .ward(Some(one.ward_id))
            .details(serde_json::json!({ "service_user_ids": one.service_user_ids }))
    } else {
        let ids: Vec<_> = naming.iter().map(|a| a.id).collect();
        let mut event = AuditEvent::new(action, "activity", "");
        event.entity_id = None;
        event.details(serde_json::json!({ "activity_ids": ids }))
    };
    // A read: its audit row need not wait for the disk (see record_read).
    audit::record_read(conn, &audit_actor(actor), event).await?;
    Ok(())
}

/// Loads an activity that is known to exist.
async fn reload(conn: &mut AsyncPgConnection, id: Uuid) -> DomainResult<Activity> {
    activity::find(conn, id, &WardScope::All)
        .await?
        .ok_or_else(|| DomainError::internal(format!("activity {id} vanished")))
}

/// Whether an `If-Match` value names this version (a weak tag matches too).
fn etag_matches(current: &Activity, if_match: &str) -> bool {
    current.etag() == if_match.trim().trim_start_matches("W/")
}

/// Whether the actor may amend or void a record on `ward_id` recorded by
/// `recorded_by`: workers their own, team leaders any, on their wards.
pub fn may_change(actor: &Actor, ward_id: Uuid, recorded_by: Uuid) -> bool {
    match actor.role {
        Role::PeerTeamLeader => actor.ward_ids.contains(&ward_id),
        Role::PeerSupportWorker => recorded_by == actor.id && actor.ward_ids.contains(&ward_id),
        _ => false,
    }
}

/// The record to change, locked, if the caller may change it: workers
/// their own, team leaders any on their wards. Out of scope reads as 404.
async fn lock_for_change(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    id: Uuid,
    if_match: &str,
) -> DomainResult<Activity> {
    let Some((ward_id, recorded_by)) = store::lock_owner(conn, id).await? else {
        return Err(DomainError::NotFound);
    };
    if !actor.ward_scope().contains(ward_id) {
        return Err(DomainError::NotFound);
    }
    if !may_change(actor, ward_id, recorded_by) {
        return Err(DomainError::Forbidden);
    }
    let current = reload(conn, id).await?;
    if !etag_matches(&current, if_match) {
        return Err(DomainError::PreconditionFailed {
            current: current.to_json(),
        });
    }
    if current.status == ActivityStatus::EnteredInError {
        return Err(DomainError::Conflict {
            code: "entered_in_error",
            detail: "The record is marked entered in error and cannot change.".into(),
            current: Some(current.to_json()),
        });
    }
    Ok(current)
}

/// Records a version, an outbox event and an audit row for a change that
/// produced `activity`.
async fn record_change(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    activity: &Activity,
    change: &str,
    reason: Option<&str>,
) -> DomainResult<()> {
    store::record_version(conn, activity, change, actor.id, reason).await?;
    let action = match change {
        "created" => "create",
        "amended" => "amend",
        _ => "void",
    };
    audit::record(
        conn,
        &audit_actor(actor),
        AuditEvent::new(action, "activity", activity.id)
            .ward(Some(activity.ward_id))
            .details(serde_json::json!({
                "kind": activity.details.kind(),
                "version": activity.version,
                "service_user_ids": activity.service_user_ids,
                // The reason is free text, kept in the version history,
                // not in the audit log that admins read.
                "reason_given": reason.is_some(),
            })),
    )
    .await?;
    Ok(())
}

/// The reason an amendment or a void gives: 1 to [`REASON_MAX`] characters.
fn check_reason(reason: &str) -> DomainResult<()> {
    let mut errors = Errors::new();
    errors.text("reason", reason, 1, REASON_MAX);
    Ok(errors.finish()?)
}

/// A note as stored: trimmed, and absent rather than empty.
fn clean_note(note: Option<&str>) -> Option<String> {
    note.map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_string)
}
