//! Pairings and their life: proposed → active → completed, or withdrawn
//! (with a reason) from proposed or active. Any other move is refused
//! (`invalid_transition`).
//!
//! Who may be paired: the buddy must be a verified registered volunteer
//! with a free place among their open (proposed or active) pairings, and a
//! student has one active pairing per cohort; both are checked when a
//! pairing is proposed and again when it is activated, under locks.
//!
//! Completion: a pairing completes by itself when the last meeting of its
//! planned series is recorded as held (see [`super::meetings`]); asking for
//! `completed` before then is refused (`meeting_series_incomplete`).

use chrono::Utc;
use diesel_async::{AsyncConnection, AsyncPgConnection};
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::buddies::may_be_paired;
use super::scope::read_scope;
use super::{audit_actor, on_unique};
use crate::access::Actor;
use crate::audit::{self, AuditEvent};
use crate::domain::{DomainError, DomainResult};
use crate::models::buddy::pairing::{self, Pairing, PairingFilter};
use crate::models::buddy::{meeting, student, volunteer, PairingStatus, Scope};
use crate::validate::Errors;

/// Meetings in a series when the coordinator does not say.
pub const DEFAULT_PLANNED_MEETINGS: i32 = 6;

/// A proposed pairing.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreatePairing {
    pub student_id: Uuid,
    /// Must be a verified registered volunteer with a free place.
    pub buddy_id: Uuid,
    /// Held meetings that complete the series, 1 to 20 (default 6).
    #[schema(minimum = 1, maximum = 20)]
    pub planned_meetings: Option<i32>,
}

/// A requested status change.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PairingTransition {
    pub status: PairingStatus,
    /// Why; required for `withdrawn`, 1 to 1000 characters.
    #[schema(max_length = 1000)]
    pub reason: Option<String>,
}

// The state machine, beside the rules that use it. (An inherent impl may
// live anywhere in the crate; the enum itself is a stored vocabulary.)
impl PairingStatus {
    /// Whether a pairing may move from this status to `to`.
    pub fn can_become(self, to: PairingStatus) -> bool {
        use PairingStatus::*;
        matches!(
            (self, to),
            (Proposed, Active) | (Active, Completed) | (Proposed, Withdrawn) | (Active, Withdrawn)
        )
    }

    /// Proposed and active pairings take up a place in the buddy's capacity.
    pub fn is_open(self) -> bool {
        matches!(self, PairingStatus::Proposed | PairingStatus::Active)
    }
}

/// The conflict for a move the pairing's (or a meeting's) life does not allow.
pub(super) fn invalid_transition(
    from: impl std::fmt::Display,
    to: impl std::fmt::Display,
    current: serde_json::Value,
) -> DomainError {
    DomainError::Conflict {
        code: "invalid_transition",
        detail: format!("Cannot go from {from} to {to}."),
        current: Some(current),
    }
}

/// The pairing rules on the buddy's side, checked with the buddy's row
/// locked so two concurrent pairings cannot both take the last place:
/// the buddy must be a verified registered volunteer (422
/// `buddy_not_registered_volunteer`) and have a free place among their
/// open pairings (409 `buddy_at_capacity`). `except` leaves out the pairing
/// being activated, which already holds its place.
async fn check_buddy_may_take(
    conn: &mut AsyncPgConnection,
    buddy_id: Uuid,
    except: Option<Uuid>,
) -> DomainResult<()> {
    let buddy = volunteer::lock(conn, buddy_id).await?.ok_or_else(|| {
        DomainError::field("buddy_id", "unknown_reference", "no buddy with this id")
    })?;
    if !may_be_paired(&buddy, Utc::now().date_naive()) {
        return Err(DomainError::Rule {
            code: "buddy_not_registered_volunteer",
            field: "buddy_id",
            detail: format!(
                "A buddy must be a verified registered trust volunteer before any pairing; \
                 this buddy's registration is {}.",
                buddy.volunteer_status
            ),
        });
    }
    let open = volunteer::open_pairings(conn, buddy_id, except).await?;
    if open >= i64::from(buddy.capacity) {
        return Err(DomainError::Conflict {
            code: "buddy_at_capacity",
            detail: format!(
                "The buddy takes {} student(s) at once and already has {open} proposed or active pairing(s).",
                buddy.capacity
            ),
            current: Some(serde_json::json!({ "capacity": buddy.capacity, "open_pairings": open })),
        });
    }
    Ok(())
}

/// The rule on the student's side: one active pairing per cohort
/// (409 `student_already_paired`; the database's partial unique index
/// backs this up).
async fn check_student_free(
    conn: &mut AsyncPgConnection,
    student_id: Uuid,
    cohort_id: Uuid,
    except: Option<Uuid>,
) -> DomainResult<()> {
    if let Some(other) = pairing::active_for_student(conn, student_id, cohort_id, except).await? {
        return Err(DomainError::Conflict {
            code: "student_already_paired",
            detail: "The student already has an active pairing in this cohort.".into(),
            current: Some(serde_json::json!({ "active_pairing_id": other })),
        });
    }
    Ok(())
}

/// A page of the pairings the actor may see (a student's or buddy's
/// account: only their own).
pub async fn list(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    filter: &PairingFilter,
    after: Option<Uuid>,
    limit: i64,
) -> DomainResult<Vec<Pairing>> {
    let scope = read_scope(actor)?;
    Ok(pairing::list(conn, scope, filter, after, limit).await?)
}

/// One pairing the actor may see; any other is not found.
pub async fn get(conn: &mut AsyncPgConnection, actor: &Actor, id: Uuid) -> DomainResult<Pairing> {
    let scope = read_scope(actor)?;
    pairing::find(conn, id, scope)
        .await?
        .ok_or(DomainError::NotFound)
}

/// Proposes a pairing of a student and a buddy, arranged by the actor
/// (a coordinator), audited. The proposal takes one of the buddy's places
/// at once.
pub async fn create(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    input: CreatePairing,
) -> DomainResult<Pairing> {
    let planned = input.planned_meetings.unwrap_or(DEFAULT_PLANNED_MEETINGS);
    if !(1..=20).contains(&planned) {
        return Err(DomainError::field(
            "planned_meetings",
            "out_of_range",
            "must be between 1 and 20",
        ));
    }
    let audit_by = audit_actor(actor);
    let coordinator_id = actor.id;
    conn.transaction::<_, DomainError, _>(async move |conn| {
        let student = student::find(conn, input.student_id)
            .await?
            .ok_or_else(|| {
                DomainError::field("student_id", "unknown_reference", "no student with this id")
            })?;
        check_buddy_may_take(conn, input.buddy_id, None).await?;
        check_student_free(conn, student.id, student.cohort_id, None).await?;
        let now = Utc::now();
        let row = Pairing {
            id: Uuid::now_v7(),
            student_id: student.id,
            cohort_id: student.cohort_id,
            buddy_id: input.buddy_id,
            coordinator_id,
            status: PairingStatus::Proposed,
            planned_meetings: planned,
            withdrawn_reason: None,
            activated_at: None,
            ended_at: None,
            created_at: now,
            updated_at: now,
        };
        let created = pairing::insert(conn, &row).await?;
        audit::record(
            conn,
            &audit_by,
            AuditEvent::new("create", "buddy_pairing", created.id).details(serde_json::json!({
                "student_id": created.student_id, "buddy_id": created.buddy_id,
                "cohort_id": created.cohort_id, "planned_meetings": created.planned_meetings,
            })),
        )
        .await?;
        Ok(created)
    })
    .await
}

/// Moves a pairing on, audited. Activating re-checks the buddy's
/// registration and capacity and the student's one active pairing;
/// withdrawing cancels the meetings still planned; `completed` is refused
/// until the planned number of meetings is held.
pub async fn transition(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    id: Uuid,
    input: PairingTransition,
) -> DomainResult<Pairing> {
    let to = input.status;
    let mut errors = Errors::new();
    if to == PairingStatus::Withdrawn {
        errors.text("reason", input.reason.as_deref().unwrap_or(""), 1, 1000);
    } else if input.reason.is_some() {
        errors.add("reason", "not_allowed", "only a withdrawal takes a reason");
    }
    errors.finish()?;

    let audit_by = audit_actor(actor);
    conn.transaction::<_, DomainError, _>(async move |conn| {
        let before = pairing::lock(conn, id, Scope::All)
            .await?
            .ok_or(DomainError::NotFound)?;
        let from = before.status;
        if !from.can_become(to) {
            return Err(invalid_transition(
                from,
                to,
                serde_json::to_value(&before).unwrap_or_default(),
            ));
        }
        let mut cancelled = 0;
        match to {
            PairingStatus::Active => {
                check_buddy_may_take(conn, before.buddy_id, Some(id)).await?;
                check_student_free(conn, before.student_id, before.cohort_id, Some(id)).await?;
            }
            PairingStatus::Completed => {
                let held = pairing::meetings_held(conn, id).await?;
                if held < i64::from(before.planned_meetings) {
                    return Err(DomainError::Conflict {
                        code: "meeting_series_incomplete",
                        detail: format!(
                            "{held} of the {} planned meetings are held; the pairing completes when all are.",
                            before.planned_meetings
                        ),
                        current: Some(serde_json::to_value(&before).unwrap_or_default()),
                    });
                }
            }
            PairingStatus::Withdrawn => {
                cancelled = meeting::cancel_planned(conn, id).await?;
            }
            PairingStatus::Proposed => {}
        }
        let reason = input.reason.as_deref().map(str::trim);
        // Two activations racing for one student: the partial unique
        // index refuses the second.
        let after = pairing::set_status(conn, id, to, reason)
            .await
            .map_err(|e| {
                on_unique(
                    e,
                    "student_already_paired",
                    "The student already has an active pairing in this cohort.",
                )
            })?;
        audit::record(
            conn,
            &audit_by,
            AuditEvent::new("transition", "buddy_pairing", id).details(serde_json::json!({
                "from": from, "to": to, "reason": reason, "meetings_cancelled": cancelled,
            })),
        )
        .await?;
        Ok(after)
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_documented_transitions_are_allowed() {
        use PairingStatus::*;
        let allowed: Vec<_> = PairingStatus::ALL
            .iter()
            .flat_map(|&a| PairingStatus::ALL.iter().map(move |&b| (a, b)))
            .filter(|(a, b)| a.can_become(*b))
            .collect();
        assert_eq!(
            allowed,
            vec![
                (Proposed, Active),
                (Proposed, Withdrawn),
                (Active, Completed),
                (Active, Withdrawn)
            ]
        );
    }
}
