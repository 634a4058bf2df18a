//! Reading activities within the actor's ward scope, audited whenever the
//! records read name service users.

use diesel_async::AsyncPgConnection;
use uuid::Uuid;

use super::audit_read;
use crate::access::Actor;
use crate::domain::{DomainError, DomainResult};
use crate::models::activity::{self, Activity, ActivityFilter, ActivityVersion, ListKey};
use crate::pagination::Page;

/// One activity on the actor's wards, voided ones included (`read`).
pub async fn get(conn: &mut AsyncPgConnection, actor: &Actor, id: Uuid) -> DomainResult<Activity> {
    let found = activity::find(conn, id, &actor.ward_scope())
        .await?
        .ok_or(DomainError::NotFound)?;
    audit_read(conn, actor, "read", &[&found]).await?;
    Ok(found)
}

/// A page of activities on the actor's wards, newest start first, after
/// the cursor (`list`; only the page shown is audited).
pub async fn list(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    filter: &ActivityFilter,
    after: Option<ListKey>,
    limit: i64,
) -> DomainResult<Page<Activity>> {
    let rows = activity::list(conn, &actor.ward_scope(), filter, after, limit).await?;
    let page = Page::from_rows(rows, limit, |a| (a.started_at, a.id));
    let shown: Vec<&Activity> = page.items.iter().collect();
    audit_read(conn, actor, "list", &shown).await?;
    Ok(page)
}

/// Every version of an activity on the actor's wards, oldest first
/// (`read_history`).
pub async fn history(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    id: Uuid,
) -> DomainResult<Vec<ActivityVersion>> {
    let current = activity::find(conn, id, &actor.ward_scope())
        .await?
        .ok_or(DomainError::NotFound)?;
    let items = activity::history(conn, current.id).await?;
    audit_read(conn, actor, "read_history", &[&current]).await?;
    Ok(items)
}
