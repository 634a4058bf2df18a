//! Listing and reading service users.

use actix_web::{get, web, HttpResponse};
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

use crate::audit::{self, AuditEvent};
use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::Query;
use crate::models::service_user::{self, ServiceUser, ServiceUserFilter, ServiceUserSummary};
use crate::pagination::{Page, PageParams};
use crate::routes::activities::READERS;
use crate::state::AppState;

/// Filters for `GET /api/v1/service-users`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ServiceUserListQuery {
    /// Only people on (or discharged from) this ward.
    pub ward_id: Option<Uuid>,
    /// `false`: only those still on the ward; `true`: only discharged.
    pub discharged: Option<bool>,
}

/// Service users on the caller's wards, by display label. No NHS numbers.
#[utoipa::path(
    tag = "service-users",
    params(ServiceUserListQuery, PageParams),
    responses(
        (status = 200, description = "A page of service users", body = Page<ServiceUserSummary>),
        (status = 400, description = "Bad query parameter or cursor", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Your role reads no clinical records", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/service-users")]
pub async fn list_service_users(
    state: web::Data<AppState>,
    user: CurrentUser,
    query: Query<ServiceUserListQuery>,
    page: Query<PageParams>,
) -> ApiResult<HttpResponse> {
    user.require(READERS)?;
    let limit = page.limit()?;
    let after: Option<(String, Uuid)> = page.after()?;
    let filter = ServiceUserFilter {
        ward_id: query.ward_id,
        discharged: query.discharged,
    };
    let mut conn = user.conn(&state.pool).await?;
    let rows = service_user::list(&mut conn, &user.ward_scope(), &filter, after, limit).await?;
    let page = Page::from_rows(rows, limit, |s| (s.display_label.clone(), s.id));
    if !page.items.is_empty() {
        let ids: Vec<Uuid> = page.items.iter().map(|s| s.id).collect();
        let mut event = AuditEvent::new("list", "service_user", "")
            .ward(query.ward_id)
            .details(serde_json::json!({ "service_user_ids": ids }));
        event.entity_id = None;
        audit::record_read(&mut conn, &user.audit_actor(), event).await?;
    }
    Ok(HttpResponse::Ok().json(page))
}

/// One service user's record, NHS number included. Audited.
#[utoipa::path(
    tag = "service-users",
    params(("id" = Uuid, Path, description = "Service user id")),
    responses(
        (status = 200, description = "The record", body = ServiceUser),
        (status = 403, description = "Your role reads no clinical records", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such service user on your wards", body = Problem, content_type = "application/problem+json"),
        (status = 405, description = "The path holds a trust reference rather than an id: only PUT takes references (see `Allow`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/service-users/{id}")]
pub async fn get_service_user(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    user.require(READERS)?;
    let mut conn = user.conn(&state.pool).await?;
    let found = service_user::find(&mut conn, *id, &user.ward_scope())
        .await?
        .ok_or(ApiError::NotFound)?;
    audit::record_read(
        &mut conn,
        &user.audit_actor(),
        AuditEvent::new("read", "service_user", found.summary.id).ward(Some(found.summary.ward_id)),
    )
    .await?;
    Ok(HttpResponse::Ok().json(found))
}
