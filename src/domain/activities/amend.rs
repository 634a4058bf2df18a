//! Amending an activity: a new version checked as a whole, never an
//! overwrite; the previous version stays in the history.

use chrono::Utc;
use diesel_async::{AsyncConnection, AsyncPgConnection};
use uuid::Uuid;

use super::check::{self, CheckContext, Draft};
use super::ActivityAmendment;
use super::{check_reason, clean_note, lock_for_change, record_change, reload};
use crate::access::Actor;
use crate::domain::{DomainError, DomainResult};
use crate::models::activity::{store, Activity, ActivityDetails};
use crate::validate::Errors;

/// Amends an activity: checks it as a whole, keeps the previous version.
/// `if_match` must name the version the actor edited.
pub async fn amend(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    max_age_days: i64,
    id: Uuid,
    if_match: &str,
    body: ActivityAmendment,
) -> DomainResult<Activity> {
    check_reason(&body.reason)?;
    let actor = actor.clone();
    conn.transaction::<_, DomainError, _>(async move |conn| {
        let current = lock_for_change(conn, &actor, id, if_match).await?;
        let mut errors = Errors::new();
        let started_at = body.started_at.unwrap_or(current.started_at);
        let ended_at = match (body.ended_at, body.duration_minutes) {
            (None, None) if !check::plausible(started_at) => {
                errors.add("started_at", "out_of_range", check::PLAUSIBLE_YEARS);
                current.ended_at
            }
            (None, None) => started_at + (current.ended_at - current.started_at),
            (end, minutes) => Draft::end_of(started_at, end, minutes, &mut errors),
        };
        let details = match body.details {
            Some(raw) => ActivityDetails::parse_raw(current.details.kind(), &raw)?,
            None => current.details.clone(),
        };
        errors.finish()?;
        let draft = Draft {
            ward_id: current.ward_id,
            started_at,
            ended_at,
            co_worker_ids: body
                .co_worker_ids
                .unwrap_or_else(|| current.co_worker_ids.clone()),
            service_user_ids: body
                .service_user_ids
                .unwrap_or_else(|| current.service_user_ids.clone()),
            note: match body.note {
                Some(note) => clean_note(Some(&note)),
                None => current.note.clone(),
            },
            details,
        };
        let ctx = CheckContext {
            actor: &actor,
            now: Utc::now(),
            max_age_days,
            previous: Some(&current),
        };
        let report = check::check(conn, &draft, &ctx).await?;
        store::amend(conn, id, draft.columns(report), current.version + 1).await?;
        store::link(conn, id, &draft.co_worker_ids, &draft.service_user_ids).await?;
        let amended = reload(conn, id).await?;
        record_change(conn, &actor, &amended, "amended", Some(body.reason.trim())).await?;
        Ok(amended)
    })
    .await
}
