//! `GET /api/v1/activities`.

use actix_web::{get, web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

use super::{audit_read, READERS};
use crate::auth::CurrentUser;
use crate::error::{ApiResult, Problem};
use crate::extract::Query;
use crate::models::activity::{
    self, Activity, ActivityFilter, ActivityKind, ActivityStatus, ListKey,
};
use crate::pagination::{Page, PageParams};
use crate::state::AppState;

/// Filters for `GET /api/v1/activities`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ActivityListQuery {
    pub ward_id: Option<Uuid>,
    pub kind: Option<ActivityKind>,
    /// Activities starting at or after this instant.
    pub from: Option<DateTime<Utc>>,
    /// Activities starting before this instant.
    pub to: Option<DateTime<Utc>>,
    /// Only those recorded by this worker.
    pub recorded_by: Option<Uuid>,
    /// Only those naming this service user.
    pub service_user_id: Option<Uuid>,
    /// Only this status; by default every status but `entered_in_error`.
    pub status: Option<ActivityStatus>,
}

/// Activities on the caller's wards, newest start first, by cursor.
#[utoipa::path(
    tag = "activities",
    params(ActivityListQuery, PageParams),
    responses(
        (status = 200, description = "A page of activities", body = Page<Activity>),
        (status = 400, description = "Bad query parameter or cursor", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Your role reads no activities", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/activities")]
pub async fn list_activities(
    state: web::Data<AppState>,
    user: CurrentUser,
    query: Query<ActivityListQuery>,
    page: Query<PageParams>,
) -> ApiResult<HttpResponse> {
    user.require(READERS)?;
    let limit = page.limit()?;
    let after: Option<ListKey> = page.after()?;
    let q = query.0;
    let filter = ActivityFilter {
        ward_id: q.ward_id,
        kind: q.kind,
        from: q.from,
        to: q.to,
        recorded_by: q.recorded_by,
        service_user_id: q.service_user_id,
        status: q.status,
    };
    let mut conn = user.conn(&state.pool).await?;
    let rows = activity::list(&mut conn, &user.ward_scope(), &filter, after, limit).await?;
    let page = Page::from_rows(rows, limit, |a| (a.started_at, a.id));
    let shown: Vec<&Activity> = page.items.iter().collect();
    audit_read(&mut conn, &user, "list", &shown).await?;
    Ok(HttpResponse::Ok().json(page))
}
