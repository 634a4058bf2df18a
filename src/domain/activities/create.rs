//! Recording an activity. Creates are idempotent on the client's id:
//! `INSERT … ON CONFLICT (id) DO NOTHING`, then a comparison of the stored
//! content hash, so concurrent retries from many connections still leave
//! one row.

use chrono::{DateTime, Utc};
use diesel_async::{AsyncConnection, AsyncPgConnection};
use uuid::Uuid;

use super::check::{self, CheckContext, Draft};
use super::NewActivity;
use super::{clean_note, record_change, reload};
use crate::access::Actor;
use crate::domain::{DomainError, DomainResult};
use crate::models::activity::{self, store, Activity};
use crate::validate::Errors;

/// What a create did.
#[derive(Debug)]
pub enum Created {
    /// A new record (201).
    New(Activity),
    /// The same create was already stored (200).
    AlreadyPresent(Activity),
}

/// Compares a create with what is stored under its id.
async fn compare_stored(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    id: Uuid,
    hash: &str,
) -> DomainResult<Option<Created>> {
    let Some(row) = activity::find_row(conn, id).await? else {
        return Ok(None);
    };
    // A caller no longer on the record's ward learns nothing of it, not even
    // by re-sending the create that made it.
    let visible = actor.ward_scope().contains(row.ward_id);
    if row.content_hash == hash && visible {
        return Ok(Some(Created::AlreadyPresent(reload(conn, id).await?)));
    }
    Err(DomainError::Conflict {
        code: "id_conflict",
        detail: format!("Another activity is already stored with id {id}."),
        current: if visible {
            Some(reload(conn, id).await?.to_json())
        } else {
            None
        },
    })
}

/// Creates an activity, or answers the stored one for a repeated create.
pub async fn create(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    max_age_days: i64,
    body: NewActivity,
) -> DomainResult<Created> {
    create_authorised(conn, actor, max_age_days, body, None).await
}

/// Who authorised an escorted leave in peerlog before it started, and
/// when: kept on the record it creates as its leave confirmation, in the
/// same version, so its history reads "authorised by", never "amended".
#[derive(Debug, Clone, Copy)]
pub struct AuthorisedBy {
    pub user_id: Uuid,
    pub at: DateTime<Utc>,
}

/// Creates an activity as [`create`] does; an escorted leave authorised in
/// peerlog (`crate::domain::leave`) carries its authorisation from the start.
pub async fn create_authorised(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    max_age_days: i64,
    body: NewActivity,
    authorised: Option<AuthorisedBy>,
) -> DomainResult<Created> {
    let id = body.id.unwrap_or_else(Uuid::now_v7);
    let hash = body.content_hash(actor.id);
    if let Some(done) = compare_stored(conn, actor, id, &hash).await? {
        return Ok(done);
    }
    let mut errors = Errors::new();
    let ended_at = Draft::end_of(
        body.started_at,
        body.ended_at,
        body.duration_minutes,
        &mut errors,
    );
    errors.finish()?;
    let draft = Draft {
        ward_id: body.ward_id,
        started_at: body.started_at,
        ended_at,
        co_worker_ids: body.co_worker_ids,
        service_user_ids: body.service_user_ids,
        note: clean_note(body.note.as_deref()),
        details: body.details,
    };
    let ctx = CheckContext {
        actor,
        now: Utc::now(),
        max_age_days,
        previous: None,
    };
    let report = check::check(conn, &draft, &ctx).await?;
    let actor = actor.clone();
    conn.transaction::<_, DomainError, _>(async move |conn| {
        let inserted = store::insert(conn, id, actor.id, &hash, draft.columns(report)).await?;
        if inserted == 0 {
            // A concurrent retry won the race; it has committed by now.
            return compare_stored(conn, &actor, id, &hash)
                .await?
                .ok_or_else(|| DomainError::internal("conflicting activity vanished"));
        }
        store::link(conn, id, &draft.co_worker_ids, &draft.service_user_ids).await?;
        if let Some(by) = authorised {
            store::set_leave_confirmation(conn, id, by.user_id, by.at).await?;
        }
        let activity = reload(conn, id).await?;
        record_change(conn, &actor, &activity, "created", None).await?;
        Ok(Created::New(activity))
    })
    .await
}
