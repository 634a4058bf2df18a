//! `GET /api/v1/sync/activities`: what changed on a ward since a tablet
//! last synced.

use actix_web::{get, web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::auth::{policy, CurrentUser};
use crate::domain::activities::feed::{self, FeedPage};
use crate::error::ApiResult;
use crate::extract::Query;
use crate::models::activity::Activity;
use crate::models::feed::Position;
use crate::routes::problems;
use crate::state::AppState;

/// Parameters of `GET /api/v1/sync/activities`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SyncQuery {
    /// The ward to sync; without it, every ward you may read.
    pub ward_id: Option<Uuid>,
    /// The `next_cursor` of the last answer; omit for a first full sync.
    pub cursor: Option<String>,
    /// Changes per answer, 1 to 200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
}

/// One change: the activity as it read right after it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ActivityChange {
    /// `created`, `amended` or `voided`.
    #[schema(example = "created")]
    pub change: String,
    pub changed_at: DateTime<Utc>,
    pub activity: Activity,
}

/// Changes since a cursor.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChangesPage {
    pub items: Vec<ActivityChange>,
    /// Store this and pass it as `cursor` next time; always present (the
    /// cursor you sent when nothing changed).
    pub next_cursor: String,
    /// Whether more changes are waiting: ask again at once.
    pub more: bool,
}

/// Every activity created, amended or voided since the cursor, in a stable
/// order (anyone who reads activities, on their wards).
///
/// Resuming from any cursor loses and repeats nothing, even while writes go
/// on: a change shows up only once every transaction older than it has
/// ended. An activity changed twice appears twice, the later change later;
/// keep the highest `version` of each id. Voided activities come with
/// status `entered_in_error`.
#[utoipa::path(
    tag = "sync",
    params(SyncQuery),
    responses(
        (status = 200, description = "Changes after the cursor, oldest first", body = ChangesPage),
        (status = 403, response = inline(problems::Forbidden)),
        (status = 404, response = inline(problems::NotFound)),
    )
)]
#[get("/sync/activities")]
pub async fn sync_activities(
    state: web::Data<AppState>,
    user: CurrentUser,
    query: Query<SyncQuery>,
) -> ApiResult<HttpResponse> {
    user.require(policy::ACTIVITY_READERS)?;
    let limit = feed::feed_limit(query.limit)?;
    let start = Position::parse(query.cursor.as_deref(), "cursor")?;
    let mut conn = user.conn(&state.pool).await?;
    let FeedPage { items, next, more } =
        feed::changes(&mut conn, &user.actor(), start, query.ward_id, limit).await?;
    let items = items
        .into_iter()
        .map(|(row, activity)| ActivityChange {
            change: row.event_type,
            changed_at: row.occurred_at,
            activity,
        })
        .collect();
    Ok(HttpResponse::Ok().json(ChangesPage {
        items,
        next_cursor: next.encode(),
        more,
    }))
}
