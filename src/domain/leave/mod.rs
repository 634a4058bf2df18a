//! Escorted leave as it happens on the ward, a small state machine:
//!
//! ```text
//! planned ──authorise──▶ authorised ──depart──▶ out ──return──▶ returned
//!    │                       │
//!    └──────cancel───────────┴──▶ cancelled
//! ```
//!
//! A peer worker (or team leader) on the ward plans the leave ([`plan`]);
//! a nurse (`ward_staff`) assigned to the ward authorises it before anyone
//! leaves, never the person who planned it; a worker on the ward records
//! leaving and coming back ([`transitions`]). Either side may cancel
//! before the person leaves, saying why. On return the escorted-leave
//! activity is recorded through the activities' own create, so reports,
//! FHIR, the outbox and the changes feed see it as any other, with the
//! nurse kept as the one who authorised it.
//!
//! Each transition locks the leave's row, checks the caller's ward scope
//! (outside it the leave reads as not found), then the role, then the
//! version the caller read (`If-Match`, optional), then the state: a move
//! the state does not allow is a 409 `invalid_transition` naming the
//! current state, so a retried transition is refused, never done twice.
//! Every write has its audit row in the same transaction.

pub mod plan;
pub mod transitions;

use std::collections::HashMap;

use diesel_async::AsyncPgConnection;
use uuid::Uuid;

use super::{DomainError, DomainResult};
use crate::access::{Actor, Role};
use crate::audit::{self, AuditActor, AuditEvent};
use crate::models::leave::{self, Leave, LeaveFilter, LeaveRow, LeaveState};
use crate::pagination::Page;
use crate::validate::FieldError;

pub use plan::PlanLeave;
pub use transitions::{CancelLeave, DepartLeave, ReturnLeave};

/// Whether the actor escorts leave on `ward_id`: plans it, records leaving
/// and coming back. Peer workers and team leaders assigned to the ward.
pub fn may_escort(actor: &Actor, ward_id: Uuid) -> bool {
    matches!(actor.role, Role::PeerSupportWorker | Role::PeerTeamLeader)
        && actor.ward_ids.contains(&ward_id)
}

/// Whether the actor authorises leave on `ward_id`: ward staff (nurses)
/// assigned to the ward, nobody else.
pub fn may_authorise(actor: &Actor, ward_id: Uuid) -> bool {
    actor.role == Role::WardStaff && actor.ward_ids.contains(&ward_id)
}

fn audit_actor(actor: &Actor) -> AuditActor {
    AuditActor::user(actor.id, actor.role, &actor.meta)
}

/// Audits a write to a leave: one row, naming the person, in the same
/// transaction as the write.
async fn audit_write(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    action: &str,
    row: &LeaveRow,
) -> DomainResult<()> {
    audit::record(
        conn,
        &audit_actor(actor),
        AuditEvent::new(action, "leave", row.id)
            .ward(Some(row.ward_id))
            .details(serde_json::json!({
                "state": row.state,
                "version": row.version,
                "service_user_id": row.service_user_id,
                "activity_id": row.activity_id,
            })),
    )
    .await?;
    Ok(())
}

/// Rows with the names a screen shows beside them.
async fn with_names(conn: &mut AsyncPgConnection, rows: Vec<LeaveRow>) -> DomainResult<Vec<Leave>> {
    let mut user_ids: Vec<Uuid> = rows
        .iter()
        .flat_map(|r| [Some(r.planned_by), r.authorised_by, r.cancelled_by])
        .flatten()
        .collect();
    user_ids.sort();
    user_ids.dedup();
    let mut people: Vec<Uuid> = rows.iter().map(|r| r.service_user_id).collect();
    people.sort();
    people.dedup();
    let names: HashMap<Uuid, String> = leave::user_names(conn, &user_ids)
        .await?
        .into_iter()
        .collect();
    let labels: HashMap<Uuid, String> = leave::service_user_labels(conn, &people)
        .await?
        .into_iter()
        .collect();
    let name = |id: Option<Uuid>| id.and_then(|i| names.get(&i).cloned());
    Ok(rows
        .into_iter()
        .map(|row| Leave {
            service_user_label: labels
                .get(&row.service_user_id)
                .cloned()
                .unwrap_or_default(),
            planned_by_name: name(Some(row.planned_by)).unwrap_or_default(),
            authorised_by_name: name(row.authorised_by),
            cancelled_by_name: name(row.cancelled_by),
            row,
        })
        .collect())
}

/// One row with its names.
async fn named(conn: &mut AsyncPgConnection, row: LeaveRow) -> DomainResult<Leave> {
    with_names(conn, vec![row])
        .await?
        .pop()
        .ok_or_else(|| DomainError::internal("leave vanished"))
}

/// Audits a read of leave (each names a service user): one row listing
/// the ids, none for an empty list.
async fn audit_read(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    leaves: &[Leave],
) -> DomainResult<()> {
    if leaves.is_empty() {
        return Ok(());
    }
    let ids: Vec<Uuid> = leaves.iter().map(|l| l.row.id).collect();
    let mut event = AuditEvent::new("read_leave", "leave", "");
    event.entity_id = (ids.len() == 1).then(|| ids[0].to_string());
    let event = event.details(serde_json::json!({ "leave_ids": ids }));
    audit::record_read(conn, &audit_actor(actor), event).await?;
    Ok(())
}

/// One leave on the actor's wards (404 outside them).
pub async fn get(conn: &mut AsyncPgConnection, actor: &Actor, id: Uuid) -> DomainResult<Leave> {
    let row = leave::find(conn, id)
        .await?
        .filter(|r| actor.ward_scope().contains(r.ward_id))
        .ok_or(DomainError::NotFound)?;
    let one = named(conn, row).await?;
    audit_read(conn, actor, std::slice::from_ref(&one)).await?;
    Ok(one)
}

/// The states a filter asks for: comma-separated names, each known.
pub fn parse_states(text: Option<&str>) -> Result<Vec<LeaveState>, FieldError> {
    let Some(text) = text.filter(|t| !t.trim().is_empty()) else {
        return Ok(Vec::new());
    };
    text.split(',')
        .map(|s| {
            LeaveState::parse(s.trim()).ok_or_else(|| {
                FieldError::new(
                    "state",
                    "unknown_value",
                    "each state must be one of planned, authorised, out, returned, cancelled",
                )
            })
        })
        .collect()
}

/// A page of leave on the actor's wards (or the one asked for: 404 when
/// it is not theirs), in the states asked for, by id.
pub async fn list(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    filter: &LeaveFilter,
    after: Option<Uuid>,
    limit: i64,
) -> DomainResult<Page<Leave>> {
    let states = parse_states(filter.state.as_deref())?;
    let wards = actor.ward_scope().narrow(filter.ward_id)?;
    let rows = leave::list(conn, wards.as_deref(), &states, after, limit + 1).await?;
    let page = Page::from_rows(rows, limit, |r| r.id);
    let items = with_names(conn, page.items).await?;
    audit_read(conn, actor, &items).await?;
    Ok(Page {
        items,
        next_cursor: page.next_cursor,
    })
}
