//! `GET /api/v1/audit`: the append-only audit log, newest first (admin).

use actix_web::{get, web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

use crate::auth::policy;
use crate::auth::CurrentUser;
use crate::error::ApiResult;
use crate::extract::Query;
use crate::models::audit_log::{self, AuditEntry, AuditFilter};
use crate::pagination::{Page, PageParams};
use crate::routes::problems;
use crate::state::AppState;

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
        (status = 400, response = inline(problems::BadQuery)),
        (status = 403, response = inline(problems::Forbidden)),
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
    let filter = AuditFilter {
        actor_id: q.actor_id,
        entity_type: q.entity_type,
        entity_id: q.entity_id,
        action: q.action,
        from: q.from,
        to: q.to,
    };
    let mut conn = user.conn(&state.pool).await?;
    let rows = audit_log::list(&mut conn, filter, before, limit).await?;
    Ok(HttpResponse::Ok().json(Page::from_rows(rows, limit, |r| r.id)))
}
