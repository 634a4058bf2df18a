//! Appending to the audit log. Every write through the API calls
//! [`record`] inside the same transaction as the write, so a change and its
//! audit row commit or roll back together. Reads of service users' records
//! are recorded too. The table refuses UPDATE and DELETE (see migrations).

use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::access::{RequestMeta, Role};
use crate::schema::audit_log;

/// Who did it and from where.
#[derive(Debug, Clone, Default)]
pub struct AuditActor {
    pub actor_id: Option<Uuid>,
    pub actor_role: Option<String>,
    pub meta: RequestMeta,
}

impl AuditActor {
    /// A signed-in user.
    pub fn user(id: Uuid, role: Role, meta: &RequestMeta) -> Self {
        AuditActor {
            actor_id: Some(id),
            actor_role: Some(role.as_str().to_string()),
            meta: meta.clone(),
        }
    }

    /// Someone not (yet) signed in, e.g. a failed login.
    pub fn anonymous(meta: &RequestMeta) -> Self {
        AuditActor {
            meta: meta.clone(),
            ..Default::default()
        }
    }

    /// The service itself (start-up, demo data, command line).
    pub fn system() -> Self {
        AuditActor {
            actor_role: Some("system".into()),
            ..Default::default()
        }
    }
}

/// One audit row to append.
#[derive(Debug, Clone)]
pub struct AuditEvent<'a> {
    pub action: &'a str,
    pub entity_type: &'a str,
    pub entity_id: Option<String>,
    pub ward_id: Option<Uuid>,
    pub details: serde_json::Value,
}

impl<'a> AuditEvent<'a> {
    pub fn new(action: &'a str, entity_type: &'a str, entity_id: impl ToString) -> Self {
        AuditEvent {
            action,
            entity_type,
            entity_id: Some(entity_id.to_string()),
            ward_id: None,
            details: serde_json::json!({}),
        }
    }

    pub fn ward(mut self, ward_id: Option<Uuid>) -> Self {
        self.ward_id = ward_id;
        self
    }

    pub fn details(mut self, details: serde_json::Value) -> Self {
        self.details = details;
        self
    }
}

#[derive(Insertable)]
#[diesel(table_name = audit_log)]
struct NewAuditRow<'a> {
    actor_id: Option<Uuid>,
    actor_role: Option<&'a str>,
    action: &'a str,
    entity_type: &'a str,
    entity_id: Option<&'a str>,
    ward_id: Option<Uuid>,
    request_id: Option<&'a str>,
    client_ip: Option<&'a str>,
    user_agent: Option<&'a str>,
    details: &'a serde_json::Value,
}

/// Appends one row. Call inside the transaction of the write it records.
pub async fn record(
    conn: &mut AsyncPgConnection,
    actor: &AuditActor,
    event: AuditEvent<'_>,
) -> QueryResult<()> {
    diesel::insert_into(audit_log::table)
        .values(NewAuditRow {
            actor_id: actor.actor_id,
            actor_role: actor.actor_role.as_deref(),
            action: event.action,
            entity_type: event.entity_type,
            entity_id: event.entity_id.as_deref(),
            ward_id: event.ward_id,
            request_id: actor.meta.request_id.as_deref(),
            client_ip: actor.meta.client_ip.as_deref(),
            user_agent: actor.meta.user_agent.as_deref(),
            details: &event.details,
        })
        .execute(conn)
        .await
        .map(|_| ())
}

/// Appends the audit row of a read. Like [`record`], but the commit of the
/// transaction it runs in does not wait for the row to reach the disk
/// (`synchronous_commit = off`, set for that transaction only, in the same
/// statement so it costs no round trip). Call it only in a transaction
/// that writes nothing but read-audit rows: writes of clinical records
/// keep full durability.
///
/// The window: a read answered in the last moments before the database
/// server crashes may lose its audit row — at most about three times
/// `wal_writer_delay` (200 ms by default, so ≤ 600 ms) of read-audit rows.
/// The WAL is still written in order, so a lost row is never followed by
/// a kept later one, and a crash of peerlog alone loses nothing.
pub async fn record_read(
    conn: &mut AsyncPgConnection,
    actor: &AuditActor,
    event: AuditEvent<'_>,
) -> QueryResult<()> {
    ReadAuditInsert {
        actor,
        event: &event,
    }
    .execute(conn)
    .await
    .map(|_| ())
}

/// The insert of [`record_read`]: a statement with a static id, so diesel
/// prepares it once per connection and every later read only binds and
/// executes it (a plain `sql_query` is parsed and planned anew each time).
struct ReadAuditInsert<'a> {
    actor: &'a AuditActor,
    event: &'a AuditEvent<'a>,
}

/// The static id of [`ReadAuditInsert`].
struct ReadAuditInsertId;

impl diesel::query_builder::QueryId for ReadAuditInsert<'_> {
    type QueryId = ReadAuditInsertId;
    const HAS_STATIC_QUERY_ID: bool = true;
}

impl diesel::query_builder::QueryFragment<diesel::pg::Pg> for ReadAuditInsert<'_> {
    fn walk_ast<'b>(
        &'b self,
        mut out: diesel::query_builder::AstPass<'_, 'b, diesel::pg::Pg>,
    ) -> QueryResult<()> {
        use diesel::sql_types::{Jsonb, Nullable, Text, Uuid as SqlUuid};
        let (actor, event) = (self.actor, self.event);
        out.push_sql(
            "INSERT INTO audit_log (actor_id, actor_role, action, entity_type, entity_id, \
               ward_id, request_id, client_ip, user_agent, details) SELECT ",
        );
        out.push_bind_param::<Nullable<SqlUuid>, _>(&actor.actor_id)?;
        out.push_sql(", ");
        out.push_bind_param::<Nullable<Text>, _>(&actor.actor_role)?;
        out.push_sql(", ");
        out.push_bind_param::<Text, _>(event.action)?;
        out.push_sql(", ");
        out.push_bind_param::<Text, _>(event.entity_type)?;
        out.push_sql(", ");
        out.push_bind_param::<Nullable<Text>, _>(&event.entity_id)?;
        out.push_sql(", ");
        out.push_bind_param::<Nullable<SqlUuid>, _>(&event.ward_id)?;
        out.push_sql(", ");
        out.push_bind_param::<Nullable<Text>, _>(&actor.meta.request_id)?;
        out.push_sql(", ");
        out.push_bind_param::<Nullable<Text>, _>(&actor.meta.client_ip)?;
        out.push_sql(", ");
        out.push_bind_param::<Nullable<Text>, _>(&actor.meta.user_agent)?;
        out.push_sql(", ");
        out.push_bind_param::<Jsonb, _>(&event.details)?;
        out.push_sql(" WHERE set_config('synchronous_commit', 'off', true) IS NOT NULL");
        Ok(())
    }
}
