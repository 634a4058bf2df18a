//! A pairing's meetings: planning them, and recording what became of each.
//!
//! Only a `planned` meeting changes. Recording a meeting as `held` needs its
//! duration, an active pairing and a planned time that has come; when the
//! held meetings reach the pairing's `planned_meetings`, the pairing
//! completes by itself in the same transaction. A student's account may
//! cancel only as the student, a buddy's only as the buddy. Managers read
//! meetings but not their join links.

use chrono::{DateTime, Utc};
use diesel_async::{AsyncConnection, AsyncPgConnection};
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::meeting_place::check_where;
use super::pairings::invalid_transition;
use super::scope::{for_reader, read_scope, visible_meeting, visible_pairing, write_scope};
use super::{audit_actor, on_unique};
use crate::access::Actor;
use crate::audit::{self, AuditActor, AuditEvent};
use crate::domain::{DomainError, DomainResult};
use crate::models::buddy::meeting::{self, Meeting, MeetingChanges};
use crate::models::buddy::pairing::{self, Pairing};
use crate::models::buddy::{MeetingMode, MeetingStatus, MeetingTopic, PairingStatus, Scope};
use crate::validate::Errors;

/// A meeting to plan.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateMeeting {
    /// Position in the series, 1 to 50; defaults to the next free number.
    #[schema(minimum = 1, maximum = 50)]
    pub sequence: Option<i32>,
    pub planned_at: DateTime<Utc>,
    pub mode: MeetingMode,
    pub topic: MeetingTopic,
    /// The join link, for an online meeting (https, on an allowed host).
    pub link: Option<String>,
    /// Where it takes place, for an in-person meeting.
    pub place: Option<String>,
    /// How long it is planned to last, 15 to 240 minutes; an hour when
    /// not given.
    #[schema(minimum = 15, maximum = 240, example = 60)]
    pub length_minutes: Option<i32>,
}

/// Changes to a planned meeting, or its outcome; absent fields stay as
/// they are.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateMeeting {
    pub planned_at: Option<DateTime<Utc>>,
    pub mode: Option<MeetingMode>,
    pub topic: Option<MeetingTopic>,
    pub status: Option<MeetingStatus>,
    /// Required with `held`, 1 to 480; not allowed otherwise.
    #[schema(minimum = 1, maximum = 480)]
    pub duration_minutes: Option<i32>,
    /// How long a planned meeting is to last, 15 to 240 minutes.
    #[schema(minimum = 15, maximum = 240, example = 60)]
    pub length_minutes: Option<i32>,
    /// The join link of an online meeting; `null` removes it. A change of
    /// mode away from online removes it too.
    #[serde(default, deserialize_with = "super::present")]
    #[schema(value_type = Option<String>)]
    pub link: Option<Option<String>>,
    /// The place of an in-person meeting; `null` removes it. A change of
    /// mode away from in person removes it too.
    #[serde(default, deserialize_with = "super::present")]
    #[schema(value_type = Option<String>)]
    pub place: Option<Option<String>>,
}

/// The conflict for a change to a pairing that has ended.
fn pairing_closed(p: &Pairing) -> DomainError {
    DomainError::Conflict {
        code: "pairing_closed",
        detail: format!(
            "The pairing is {}; its meetings no longer change.",
            p.status
        ),
        current: None,
    }
}

/// Whether this scope may record this cancellation.
fn may_cancel_as(scope: Scope, status: MeetingStatus) -> bool {
    match status {
        MeetingStatus::CancelledByStudent => matches!(scope, Scope::All | Scope::Student(_)),
        MeetingStatus::CancelledByBuddy => matches!(scope, Scope::All | Scope::Volunteer(_)),
        MeetingStatus::CancelledByCoordinator => scope == Scope::All,
        _ => true,
    }
}

/// The length a meeting is planned for when none is given.
pub const DEFAULT_LENGTH_MINUTES: i32 = 60;

/// Checks a planned length: 15 minutes to 4 hours.
fn check_length(errors: &mut Errors, minutes: Option<i32>) {
    if minutes.is_some_and(|m| !(15..=240).contains(&m)) {
        errors.add(
            "length_minutes",
            "out_of_range",
            "must be between 15 minutes and 4 hours (15 to 240 minutes)",
        );
    }
}

/// A page of a pairing's meetings in sequence order, if the actor may see
/// the pairing.
pub async fn list(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    pairing_id: Uuid,
    after_sequence: Option<i32>,
    limit: i64,
) -> DomainResult<Vec<Meeting>> {
    let scope = read_scope(actor)?;
    let found = visible_pairing(conn, pairing_id, scope, false).await?;
    Ok(meeting::list(conn, found.id, after_sequence, limit)
        .await?
        .into_iter()
        .map(|m| for_reader(m, actor.role))
        .collect())
}

/// One meeting, if the actor may see its pairing.
pub async fn get(conn: &mut AsyncPgConnection, actor: &Actor, id: Uuid) -> DomainResult<Meeting> {
    let scope = read_scope(actor)?;
    let (found, _) = visible_meeting(conn, id, scope, false).await?;
    Ok(for_reader(found, actor.role))
}

/// Plans a meeting in a pairing's series, audited (never with its link).
/// `link_hosts` are the hosts a join link may point at.
pub async fn create(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    pairing_id: Uuid,
    input: CreateMeeting,
    link_hosts: &[String],
) -> DomainResult<Meeting> {
    let scope = write_scope(actor)?;
    let id = pairing_id;
    if input.sequence.is_some_and(|s| !(1..=50).contains(&s)) {
        return Err(DomainError::field(
            "sequence",
            "out_of_range",
            "must be between 1 and 50",
        ));
    }
    let mut errors = Errors::new();
    check_length(&mut errors, input.length_minutes);
    check_where(
        input.mode,
        input.link.as_deref(),
        input.place.as_deref(),
        link_hosts,
        &mut errors,
    );
    errors.finish()?;
    let audit_by = audit_actor(actor);
    conn.transaction::<_, DomainError, _>(async move |conn| {
        let pairing = visible_pairing(conn, id, scope, true).await?;
        if !pairing.status.is_open() {
            return Err(pairing_closed(&pairing));
        }
        let sequence = match input.sequence {
            Some(s) => s,
            None => meeting::next_sequence(conn, id).await?,
        };
        if sequence > 50 {
            return Err(DomainError::field(
                "sequence",
                "out_of_range",
                "the series is full (50 meetings)",
            ));
        }
        let now = Utc::now();
        let row = Meeting {
            id: Uuid::now_v7(),
            pairing_id: id,
            sequence,
            planned_at: input.planned_at,
            mode: input.mode,
            topic: input.topic,
            status: MeetingStatus::Planned,
            duration_minutes: None,
            length_minutes: input.length_minutes.unwrap_or(DEFAULT_LENGTH_MINUTES),
            link: input.link,
            place: input.place.map(|p| p.trim().to_string()),
            calendar_sequence: 0,
            created_at: now,
            updated_at: now,
        };
        let created = meeting::insert(conn, &row).await.map_err(|e| {
            on_unique(
                e,
                "meeting_sequence_taken",
                "The pairing already has a meeting with this sequence number.",
            )
        })?;
        audit::record(
            conn,
            &audit_by,
            AuditEvent::new("create", "buddy_meeting", created.id).details(serde_json::json!({
                "pairing_id": id, "sequence": sequence, "topic": created.topic, "mode": created.mode,
                "has_link": created.link.is_some(),
            })),
        )
        .await?;
        Ok(created)
    })
    .await
}

/// Completes the pairing when its held meetings reach the planned series.
async fn complete_if_series_held(
    conn: &mut AsyncPgConnection,
    audit_by: &AuditActor,
    pairing: &Pairing,
) -> DomainResult<()> {
    if pairing.status != PairingStatus::Active {
        return Ok(());
    }
    let held = pairing::meetings_held(conn, pairing.id).await?;
    if held < i64::from(pairing.planned_meetings) {
        return Ok(());
    }
    pairing::set_status(conn, pairing.id, PairingStatus::Completed, None).await?;
    audit::record(
        conn,
        audit_by,
        AuditEvent::new("transition", "buddy_pairing", pairing.id).details(serde_json::json!({
            "from": PairingStatus::Active, "to": PairingStatus::Completed,
            "automatic": true, "meetings_held": held,
        })),
    )
    .await?;
    Ok(())
}

/// Checks an outcome's duration: required with `held`, 1 to 480; not
/// allowed otherwise.
fn check_duration(errors: &mut Errors, to: Option<MeetingStatus>, minutes: Option<i32>) {
    match (to, minutes) {
        (Some(MeetingStatus::Held), None) => errors.add(
            "duration_minutes",
            "required",
            "a held meeting needs its duration",
        ),
        (Some(MeetingStatus::Held), Some(d)) if !(1..=480).contains(&d) => errors.add(
            "duration_minutes",
            "out_of_range",
            "must be between 1 and 480",
        ),
        (Some(MeetingStatus::Held), Some(_)) => {}
        (_, Some(_)) => errors.add(
            "duration_minutes",
            "not_allowed",
            "only a held meeting has a duration",
        ),
        _ => {}
    }
}

/// Reschedules a planned meeting or records its outcome, audited (whether
/// the join link changed, never the link). Holding the last meeting of the
/// series completes the pairing. `link_hosts` are the hosts a join link may
/// point at.
pub async fn update(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    id: Uuid,
    input: UpdateMeeting,
    link_hosts: &[String],
) -> DomainResult<Meeting> {
    let scope = write_scope(actor)?;
    let to = input.status;
    let mut errors = Errors::new();
    check_duration(&mut errors, to, input.duration_minutes);
    check_length(&mut errors, input.length_minutes);
    errors.finish()?;
    if to.is_some_and(|s| !may_cancel_as(scope, s)) {
        return Err(DomainError::Forbidden);
    }

    let audit_by = audit_actor(actor);
    conn.transaction::<_, DomainError, _>(async move |conn| {
        let (before, pairing) = visible_meeting(conn, id, scope, true).await?;
        if before.status != MeetingStatus::Planned {
            return Err(invalid_transition(
                before.status,
                to.unwrap_or(before.status),
                serde_json::to_value(&before).unwrap_or_default(),
            ));
        }
        if !pairing.status.is_open() {
            return Err(pairing_closed(&pairing));
        }
        let planned_at = input.planned_at.unwrap_or(before.planned_at);
        // Where it happens, as it will read: a change of mode drops a
        // link or place the new mode cannot have.
        let mode = input.mode.unwrap_or(before.mode);
        let link = match &input.link {
            Some(given) => given.clone(),
            None => before
                .link
                .clone()
                .filter(|_| mode == MeetingMode::OnlineVideo),
        };
        let place = match &input.place {
            Some(given) => given.as_ref().map(|p| p.trim().to_string()),
            None => before
                .place
                .clone()
                .filter(|_| mode == MeetingMode::InPerson),
        };
        let mut errors = Errors::new();
        check_where(
            mode,
            link.as_deref(),
            place.as_deref(),
            link_hosts,
            &mut errors,
        );
        errors.finish()?;
        if to == Some(MeetingStatus::Held) {
            if pairing.status != PairingStatus::Active {
                return Err(DomainError::Conflict {
                    code: "pairing_not_active",
                    detail: "Meetings are held once the pairing is active.".into(),
                    current: None,
                });
            }
            if planned_at > Utc::now() {
                return Err(DomainError::Rule {
                    code: "meeting_in_future",
                    field: "planned_at",
                    detail: "A meeting cannot be recorded as held before its planned time.".into(),
                });
            }
        }
        // A calendar client replaces its copy when the sequence grows.
        let length = input.length_minutes.unwrap_or(before.length_minutes);
        let changed_for_calendars = planned_at != before.planned_at
            || length != before.length_minutes
            || mode != before.mode
            || link != before.link
            || place != before.place
            || to.is_some_and(|s| s != before.status);
        let link_changed = link != before.link;
        let changes = MeetingChanges {
            planned_at: input.planned_at,
            mode: input.mode,
            topic: input.topic,
            status: to,
            duration_minutes: input.duration_minutes.map(Some),
            length_minutes: input.length_minutes,
            link: Some(link),
            place: Some(place),
            calendar_sequence: changed_for_calendars.then_some(before.calendar_sequence + 1),
            updated_at: Some(Utc::now()),
        };
        let after = meeting::update(conn, id, &changes).await?;
        audit::record(
            conn,
            &audit_by,
            AuditEvent::new("update", "buddy_meeting", id).details(serde_json::json!({
                "pairing_id": pairing.id,
                "before": { "status": before.status, "planned_at": before.planned_at },
                "after": { "status": after.status, "planned_at": after.planned_at,
                           "length_minutes": after.length_minutes,
                           "duration_minutes": after.duration_minutes },
                // Whether the join link changed; never the link itself.
                "link_changed": link_changed,
            })),
        )
        .await?;
        if after.status == MeetingStatus::Held {
            complete_if_series_held(conn, &audit_by, &pairing).await?;
        }
        Ok(after)
    })
    .await
}
