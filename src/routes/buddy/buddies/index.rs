//! `/api/v1/buddy/buddies`: listing buddies and adding them.

use actix_web::http::header::LOCATION;
use actix_web::{get, post, web, HttpResponse};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::{policy, CurrentUser};
use crate::domain::buddy::buddies::{self, CreateBuddy};
use crate::error::{ApiResult, Problem};
use crate::extract::{Json, Query};
use crate::models::buddy::volunteer::Buddy;
use crate::models::buddy::{BuddyType, VolunteerStatus};
use crate::pagination::{Page, PageParams};
use crate::routes::problems;
use crate::state::AppState;

/// Filters for `GET /api/v1/buddy/buddies`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct BuddyListQuery {
    pub buddy_type: Option<BuddyType>,
    pub volunteer_status: Option<VolunteerStatus>,
}

/// Lists buddies (coordinator, manager).
#[utoipa::path(
    tag = "buddy",
    params(BuddyListQuery, PageParams),
    responses(
        (status = 200, description = "A page of buddies", body = Page<Buddy>),
        (status = 403, response = inline(problems::Forbidden)),
    )
)]
#[get("/buddy/buddies")]
pub async fn list_buddies(
    state: web::Data<AppState>,
    user: CurrentUser,
    query: Query<BuddyListQuery>,
    page: Query<PageParams>,
) -> ApiResult<HttpResponse> {
    user.require(policy::BUDDY_DIRECTORY_READERS)?;
    let limit = page.limit()?;
    let mut conn = user.conn(&state.pool).await?;
    let rows = buddies::list(
        &mut conn,
        query.buddy_type,
        query.volunteer_status,
        page.after()?,
        limit,
    )
    .await?;
    Ok(HttpResponse::Ok().json(Page::from_rows(rows, limit, |b| b.id)))
}

/// Adds a buddy (coordinator).
#[utoipa::path(
    tag = "buddy",
    request_body = CreateBuddy,
    responses(
        (status = 201, description = "Created", body = Buddy),
        (status = 403, response = inline(problems::Forbidden)),
        (status = 409, description = "The account is linked to another buddy (`account_already_linked`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, response = inline(problems::Invalid)),
    )
)]
#[post("/buddy/buddies")]
pub async fn create_buddy(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: Json<CreateBuddy>,
) -> ApiResult<HttpResponse> {
    user.require(policy::BUDDY_DIRECTORY_WRITERS)?;
    let mut conn = user.conn(&state.pool).await?;
    let created = buddies::create(&mut conn, &user.actor(), body.0).await?;
    Ok(HttpResponse::Created()
        .insert_header((LOCATION, format!("/api/v1/buddy/buddies/{}", created.id)))
        .json(created))
}
