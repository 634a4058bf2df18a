//! Ward staff's confirmation that an escorted leave was authorised (e.g.
//! section 17 leave granted).

use diesel_async::{AsyncConnection, AsyncPgConnection};
use uuid::Uuid;

use super::{etag_matches, record_change, reload};
use crate::access::{Actor, Role};
use crate::domain::{DomainError, DomainResult};
use crate::models::activity::{store, Activity, ActivityKind, ActivityStatus};

/// Whether the actor may confirm the leave of a record on `ward_id`: ward
/// staff assigned to that ward, nobody else.
pub fn may_confirm_leave(actor: &Actor, ward_id: Uuid) -> bool {
    actor.role == Role::WardStaff && actor.ward_ids.contains(&ward_id)
}

/// Records ward staff's confirmation that an escorted leave was authorised.
/// Only ward staff assigned to the activity's ward may confirm; once only.
/// The record gains a version (history shows who confirmed and when) and
/// the change goes to the outbox and the audit log like any amendment.
pub async fn confirm_leave(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    id: Uuid,
    if_match: Option<&str>,
) -> DomainResult<Activity> {
    let actor = actor.clone();
    let if_match = if_match.map(str::to_string);
    conn.transaction::<_, DomainError, _>(async move |conn| {
        let ward_id = store::lock_ward(conn, id).await?;
        let Some(ward_id) = ward_id.filter(|w| actor.ward_scope().contains(*w)) else {
            return Err(DomainError::NotFound);
        };
        if !may_confirm_leave(&actor, ward_id) {
            return Err(DomainError::Forbidden);
        }
        let current = reload(conn, id).await?;
        if let Some(tag) = if_match.as_deref() {
            if !etag_matches(&current, tag) {
                return Err(DomainError::PreconditionFailed {
                    current: current.to_json(),
                });
            }
        }
        if current.details.kind() != ActivityKind::EscortedLeave {
            return Err(DomainError::field(
                "kind",
                "not_escorted_leave",
                "only escorted leave has an authorisation to confirm",
            ));
        }
        let refuse = |code: &'static str, detail: &str| DomainError::Conflict {
            code,
            detail: detail.into(),
            current: Some(current.to_json()),
        };
        if current.status == ActivityStatus::EnteredInError {
            return Err(refuse(
                "entered_in_error",
                "The record is marked entered in error and cannot change.",
            ));
        }
        if current.leave_confirmation.is_some() {
            return Err(refuse(
                "already_confirmed",
                "The leave's authorisation is already confirmed.",
            ));
        }
        store::confirm_leave(conn, id, actor.id, current.version + 1).await?;
        let confirmed = reload(conn, id).await?;
        record_change(
            conn,
            &actor,
            &confirmed,
            "amended",
            Some("escorted-leave authorisation confirmed by ward staff"),
        )
        .await?;
        Ok(confirmed)
    })
    .await
}
