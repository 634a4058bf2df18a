//! `GET /api/v1/audit`: the append-only audit log, newest first (admin).

use actix_web::{get, web, HttpResponse};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::auth::policy;
use crate::auth::CurrentUser;
use crate::error::{ApiResult, Problem};
use crate::extract::Query;
use crate::pagination::{Page, PageParams};
use crate::schema::audit_log;
use crate::state::AppState;

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

/// Filters for the audit log.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// Only rows by this user.
    pub actor_id: Option<Uuid>,
    /// Only rows about this kind of record.
    pub entity_type: Option<String>,
    /// Only rows about this record.
    pub entity_id: Option<String>,
    /// Only this action.
    pub action: Option<String>,
    /// Rows at or after this instant.
    pub from: Option<DateTime<Utc>>,
    /// Rows before this instant.
    pub to: Option<DateTime<Utc>>,
}

/// Reads the audit log, newest first (admin).
#[utoipa::path(
    tag = "audit",
    params(AuditQuery, PageParams),
    responses(
        (status = 200, description = "A page of audit rows", body = Page<AuditEntry>),
        (status = 400, description = "Bad query parameter", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an admin", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/audit")]
pub async fn list_audit(
    state: web::Data<AppState>,
    user: CurrentUser,
    query: Query<AuditQuery>,
    page: Query<PageParams>,
) -> ApiResult<HttpResponse> {
    user.require(policy::ADMINS)?;
    let limit = page.limit()?;
    let before: Option<i64> = page.after()?;
    let q = query.0;
    let mut sql = audit_log::table
        .select(AuditEntry::as_select())
        .into_boxed();
    if let Some(actor) = q.actor_id {
        sql = sql.filter(audit_log::actor_id.eq(actor));
    }
    if let Some(t) = q.entity_type {
        sql = sql.filter(audit_log::entity_type.eq(t));
    }
    if let Some(e) = q.entity_id {
        sql = sql.filter(audit_log::entity_id.eq(e));
    }
    if let Some(a) = q.action {
        sql = sql.filter(audit_log::action.eq(a));
    }
    if let Some(from) = q.from {
        sql = sql.filter(audit_log::occurred_at.ge(from));
    }
    if let Some(to) = q.to {
        sql = sql.filter(audit_log::occurred_at.lt(to));
    }
    if let Some(id) = before {
        sql = sql.filter(audit_log::id.lt(id));
    }
    let mut conn = user.conn(&state.pool).await?;
    let rows = sql
        .order(audit_log::id.desc())
        .limit(limit + 1)
        .load(&mut conn)
        .await?;
    Ok(HttpResponse::Ok().json(Page::from_rows(rows, limit, |r| r.id)))
}
