//! `/api/v1/activities/{id}/history`: every version of an activity.

use actix_web::{get, web, HttpResponse};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::auth::{policy, CurrentUser};
use crate::domain::activities::read;
use crate::error::ApiResult;
use crate::models::activity::ActivityVersion;
use crate::routes::problems;
use crate::state::AppState;

/// Every version of an activity, oldest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct ActivityHistory {
    pub items: Vec<ActivityVersion>,
}

/// Every version of an activity with who changed it, when and why.
#[utoipa::path(
    tag = "activities",
    params(("id" = Uuid, Path, description = "Activity id")),
    responses(
        (status = 200, description = "The versions, oldest first", body = ActivityHistory),
        (status = 403, response = inline(problems::Forbidden)),
        (status = 404, response = inline(problems::NotFound)),
    )
)]
#[get("/activities/{id}/history")]
pub async fn activity_history(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    user.require(policy::ACTIVITY_READERS)?;
    let mut conn = user.conn(&state.pool).await?;
    let items = read::history(&mut conn, &user.actor(), *id).await?;
    Ok(HttpResponse::Ok().json(ActivityHistory { items }))
}
