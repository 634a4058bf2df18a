//! Marking an activity entered in error: voiding, never deleting. The
//! record stays readable, with its history, but leaves default lists and
//! reports.

use diesel_async::{AsyncConnection, AsyncPgConnection};
use uuid::Uuid;

use super::VoidRequest;
use super::{check_reason, lock_for_change, record_change, reload};
use crate::access::Actor;
use crate::domain::{DomainError, DomainResult};
use crate::models::activity::{store, Activity};

/// Marks an activity entered in error. It stays readable, with its history.
/// `if_match`, when given, must name the current version.
pub async fn void(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    id: Uuid,
    if_match: Option<&str>,
    body: VoidRequest,
) -> DomainResult<Activity> {
    check_reason(&body.reason)?;
    let actor = actor.clone();
    conn.transaction::<_, DomainError, _>(async move |conn| {
        let etag = match if_match {
            Some(tag) => tag.to_string(),
            None => {
                // Voiding needs no base version: whatever it says, it is wrong.
                let version = store::version_of(conn, id).await?;
                format!("\"v{}\"", version.unwrap_or(0))
            }
        };
        let current = lock_for_change(conn, &actor, id, &etag).await?;
        let reason = body.reason.trim();
        store::mark_entered_in_error(conn, id, reason, current.version + 1).await?;
        let voided = reload(conn, id).await?;
        record_change(conn, &actor, &voided, "voided", Some(reason)).await?;
        Ok(voided)
    })
    .await
}
