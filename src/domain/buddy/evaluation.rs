//! Reflections and feedback for the scheme's evaluation.
//!
//! A reflection is the student's: after a held meeting, the student's
//! account (or the coordinator on their behalf) records one; a buddy's
//! account neither reads nor writes reflections. Feedback comes at the end
//! of a pairing (completed or withdrawn), once from the student and once
//! from the buddy; each account reads and writes only its own side.

use chrono::Utc;
use diesel_async::{AsyncConnection, AsyncPgConnection};
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::scope::{read_scope, visible_meeting, write_scope};
use super::{audit_actor, on_unique};
use crate::access::Actor;
use crate::audit::{self, AuditEvent};
use crate::domain::{DomainError, DomainResult};
use crate::models::buddy::evaluation::{self, Feedback, Reflection};
use crate::models::buddy::{pairing, MeetingStatus, PairingStatus, Respondent, Scope};
use crate::validate::Errors;

/// A student's reflection on a held meeting.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateReflection {
    #[schema(min_length = 1, max_length = 4000)]
    pub body: String,
}

/// End-of-pairing feedback.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateFeedback {
    /// Whose feedback; a student's or buddy's own account may leave it out.
    /// Required for a coordinator recording it on someone's behalf.
    pub respondent: Option<Respondent>,
    /// 1 (poor) to 5 (excellent).
    #[schema(minimum = 1, maximum = 5)]
    pub overall_rating: i32,
    /// 1 to 5.
    #[schema(minimum = 1, maximum = 5)]
    pub support_rating: i32,
    #[schema(max_length = 4000)]
    pub comments: Option<String>,
}

/// Reflections are the student's: a buddy's account is refused.
fn reflection_scope(scope: Scope) -> DomainResult<Scope> {
    match scope {
        Scope::Volunteer(_) => Err(DomainError::Forbidden),
        other => Ok(other),
    }
}

/// The side of the feedback an account speaks for, if it is limited to one.
fn own_side(scope: Scope) -> Option<Respondent> {
    match scope {
        Scope::All => None,
        Scope::Student(_) => Some(Respondent::Student),
        Scope::Volunteer(_) => Some(Respondent::Buddy),
    }
}

/// The reflection on a meeting the actor may see, if one was recorded.
pub async fn reflection(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    meeting_id: Uuid,
) -> DomainResult<Reflection> {
    let scope = reflection_scope(read_scope(actor)?)?;
    let (meeting, _) = visible_meeting(conn, meeting_id, scope, false).await?;
    evaluation::reflection_of(conn, meeting.id)
        .await?
        .ok_or(DomainError::NotFound)
}

/// Records the student's reflection on a held meeting (the student, or the
/// coordinator on their behalf), audited; one per meeting.
pub async fn reflect(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    meeting_id: Uuid,
    input: CreateReflection,
) -> DomainResult<Reflection> {
    let scope = reflection_scope(write_scope(actor)?)?;
    let mut errors = Errors::new();
    errors.text("body", &input.body, 1, 4000);
    errors.finish()?;

    let audit_by = audit_actor(actor);
    let author_id = actor.id;
    conn.transaction::<_, DomainError, _>(async move |conn| {
        let (meeting, pairing) = visible_meeting(conn, meeting_id, scope, true).await?;
        if meeting.status != MeetingStatus::Held {
            return Err(DomainError::Conflict {
                code: "meeting_not_held",
                detail: format!(
                    "The meeting is {}; reflect on a held meeting.",
                    meeting.status
                ),
                current: None,
            });
        }
        let row = Reflection {
            id: Uuid::now_v7(),
            meeting_id: meeting.id,
            body: input.body.trim().to_string(),
            author_id,
            created_at: Utc::now(),
        };
        let created = evaluation::insert_reflection(conn, &row)
            .await
            .map_err(|e| {
                on_unique(
                    e,
                    "reflection_exists",
                    "The meeting already has a reflection.",
                )
            })?;
        audit::record(
            conn,
            &audit_by,
            AuditEvent::new("create", "buddy_reflection", created.id)
                .details(serde_json::json!({ "meeting_id": meeting.id, "pairing_id": pairing.id })),
        )
        .await?;
        Ok(created)
    })
    .await
}

/// A pairing's end-of-pairing feedback, if the actor may see the pairing
/// (a student's or buddy's account: only their own side).
pub async fn feedback(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    pairing_id: Uuid,
) -> DomainResult<Vec<Feedback>> {
    let scope = read_scope(actor)?;
    let found = pairing::find(conn, pairing_id, scope)
        .await?
        .ok_or(DomainError::NotFound)?;
    let side = own_side(scope);
    Ok(evaluation::feedback_of(conn, found.id)
        .await?
        .into_iter()
        .filter(|f| side.is_none_or(|s| s == f.respondent))
        .collect())
}

/// Records end-of-pairing feedback, audited, once per respondent, when the
/// pairing is completed or withdrawn. A student's or buddy's account speaks
/// only for its own side.
pub async fn give_feedback(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    pairing_id: Uuid,
    input: CreateFeedback,
) -> DomainResult<Feedback> {
    let scope = write_scope(actor)?;
    let id = pairing_id;
    let side = own_side(scope);
    if let (Some(own), Some(asked)) = (side, input.respondent) {
        if own != asked {
            return Err(DomainError::Forbidden);
        }
    }
    let mut errors = Errors::new();
    let respondent = input.respondent.or(side);
    if respondent.is_none() {
        errors.add("respondent", "required", "say whose feedback this is");
    }
    for (field, value) in [
        ("overall_rating", input.overall_rating),
        ("support_rating", input.support_rating),
    ] {
        if !(1..=5).contains(&value) {
            errors.add(field, "out_of_range", "must be between 1 and 5");
        }
    }
    errors.opt_text("comments", input.comments.as_deref(), 0, 4000);
    errors.finish()?;
    let respondent = respondent.unwrap_or(Respondent::Student);

    let audit_by = audit_actor(actor);
    let author_id = actor.id;
    conn.transaction::<_, DomainError, _>(async move |conn| {
        let pairing = pairing::lock(conn, id, scope)
            .await?
            .ok_or(DomainError::NotFound)?;
        if !matches!(
            pairing.status,
            PairingStatus::Completed | PairingStatus::Withdrawn
        ) {
            return Err(DomainError::Conflict {
                code: "pairing_not_ended",
                detail: format!(
                    "The pairing is {}; feedback comes at its end.",
                    pairing.status
                ),
                current: None,
            });
        }
        let row = Feedback {
            id: Uuid::now_v7(),
            pairing_id: id,
            respondent,
            overall_rating: input.overall_rating,
            support_rating: input.support_rating,
            comments: input
                .comments
                .as_deref()
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .map(str::to_string),
            author_id,
            created_at: Utc::now(),
        };
        let created = evaluation::insert_feedback(conn, &row).await.map_err(|e| {
            on_unique(
                e,
                "feedback_exists",
                "This respondent has already given feedback.",
            )
        })?;
        audit::record(
            conn,
            &audit_by,
            AuditEvent::new("create", "buddy_feedback", created.id).details(serde_json::json!({
                "pairing_id": id, "respondent": respondent,
                "overall_rating": created.overall_rating, "support_rating": created.support_rating,
            })),
        )
        .await?;
        Ok(created)
    })
    .await
}
