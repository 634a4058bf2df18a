//! `GET /api/v1/sync/activities/start`: where a tablet that has nothing
//! kept (or too much to catch up on) starts following a ward's changes, so
//! it can show the newest records first and fill in older ones later.

use actix_web::{get, web, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::auth::{policy, CurrentUser};
use crate::domain::activities::feed;
use crate::error::ApiResult;
use crate::extract::Query;
use crate::routes::problems;
use crate::state::AppState;

/// Parameters of `GET /api/v1/sync/activities/start`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SyncStartQuery {
    /// The ward to follow; without it, every ward you may read.
    pub ward_id: Option<Uuid>,
}

/// A feed position taken now.
#[derive(Debug, Serialize, ToSchema)]
pub struct SyncStart {
    /// Pass this as `cursor` to `GET /api/v1/sync/activities`: it answers
    /// every change from now on, and none of those already in the list.
    pub cursor: String,
}

/// The changes feed's position now (anyone who reads activities, on their
/// wards). A tablet with nothing kept reads the ward's newest page of
/// `GET /api/v1/activities?ward_id=…` *after* taking this position, then
/// follows `GET /api/v1/sync/activities` from it: nothing is lost between
/// the two (a change seen in both is the same version twice; keep the
/// highest `version` of each id), and older pages of the list can be read
/// whenever they are wanted. Reading the feed from the beginning still
/// works as before.
#[utoipa::path(
    tag = "sync",
    params(SyncStartQuery),
    responses(
        (status = 200, description = "The feed's position now", body = SyncStart),
        (status = 400, response = inline(problems::BadQuery)),
        (status = 403, response = inline(problems::Forbidden)),
        (status = 404, response = inline(problems::NotFound)),
    )
)]
#[get("/sync/activities/start")]
pub async fn sync_activities_start(
    state: web::Data<AppState>,
    user: CurrentUser,
    query: Query<SyncStartQuery>,
) -> ApiResult<HttpResponse> {
    user.require(policy::ACTIVITY_READERS)?;
    let mut conn = user.conn(&state.pool).await?;
    let start = feed::start_now(&mut conn, &user.actor(), query.ward_id).await?;
    Ok(HttpResponse::Ok()
        .insert_header(("cache-control", "no-store"))
        .json(SyncStart {
            cursor: start.encode(),
        }))
}
