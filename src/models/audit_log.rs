//! Reading the audit log (appending is [`crate::audit`]'s).

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::schema::audit_log;

/// One audit row.
#[derive(Debug, Queryable, Selectable, Serialize, ToSchema)]
#[diesel(table_name = audit_log)]
pub struct AuditEntry {
    pub id: i64,
    pub occurred_at: DateTime<Utc>,
    /// The user who acted; absent for anonymous attempts and the system.
    pub actor_id: Option<Uuid>,
    pub actor_role: Option<String>,
    /// e.g. `create`, `update`, `read`, `login`, `login_failed`.
    pub action: String,
    /// e.g. `ward`, `user`, `activity`, `service_user`, `session`.
    pub entity_type: String,
    pub entity_id: Option<String>,
    pub ward_id: Option<Uuid>,
    pub request_id: Option<String>,
    pub client_ip: Option<String>,
    pub user_agent: Option<String>,
    #[schema(value_type = Object)]
    pub details: serde_json::Value,
}

/// Filters for reading the audit log; `None` matches everything.
#[derive(Debug, Default)]
pub struct AuditFilter {
    pub actor_id: Option<Uuid>,
    pub entity_type: Option<String>,
    pub entity_id: Option<String>,
    pub action: Option<String>,
    /// At or after this instant.
    pub from: Option<DateTime<Utc>>,
    /// Before this instant.
    pub to: Option<DateTime<Utc>>,
}

/// A page of audit rows, newest first, before the cursor's row id.
pub async fn list(
    conn: &mut AsyncPgConnection,
    filter: AuditFilter,
    before: Option<i64>,
    limit: i64,
) -> QueryResult<Vec<AuditEntry>> {
    let mut sql = audit_log::table
        .select(AuditEntry::as_select())
        .into_boxed();
    if let Some(actor) = filter.actor_id {
        sql = sql.filter(audit_log::actor_id.eq(actor));
    }
    if let Some(t) = filter.entity_type {
        sql = sql.filter(audit_log::entity_type.eq(t));
    }
    if let Some(e) = filter.entity_id {
        sql = sql.filter(audit_log::entity_id.eq(e));
    }
    if let Some(a) = filter.action {
        sql = sql.filter(audit_log::action.eq(a));
    }
    if let Some(from) = filter.from {
        sql = sql.filter(audit_log::occurred_at.ge(from));
    }
    if let Some(to) = filter.to {
        sql = sql.filter(audit_log::occurred_at.lt(to));
    }
    if let Some(id) = before {
        sql = sql.filter(audit_log::id.lt(id));
    }
    sql.order(audit_log::id.desc())
        .limit(limit + 1)
        .load(conn)
        .await
}
