//! `/api/v1/buddy/buddies/{id}`: one buddy (an audited read), and changes
//! to their volunteer registration, capacity, contact or linked account.

use actix_web::{get, patch, web, HttpResponse};
use uuid::Uuid;

use crate::auth::{policy, CurrentUser};
use crate::domain::buddy::buddies::{self, UpdateBuddy};
use crate::error::{ApiResult, Problem};
use crate::extract::Json;
use crate::models::buddy::volunteer::Buddy;
use crate::routes::buddy::answer;
use crate::routes::problems;
use crate::state::AppState;

/// One buddy (coordinator, manager).
#[utoipa::path(
    tag = "buddy",
    params(("id" = Uuid, Path, description = "Buddy id")),
    responses(
        (status = 200, description = "The buddy", body = Buddy),
        (status = 403, response = inline(problems::Forbidden)),
        (status = 404, response = inline(problems::NotFound)),
    )
)]
#[get("/buddy/buddies/{id}")]
pub async fn get_buddy(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let (id, readers) = (id.into_inner(), policy::BUDDY_DIRECTORY_READERS);
    answer(&state, &user, readers, async |conn, actor| {
        buddies::get(conn, actor, id).await
    })
    .await
}

/// Changes a buddy: registration, capacity, contact, account (coordinator).
#[utoipa::path(
    tag = "buddy",
    params(("id" = Uuid, Path, description = "Buddy id")),
    request_body = UpdateBuddy,
    responses(
        (status = 200, description = "Updated", body = Buddy),
        (status = 403, response = inline(problems::Forbidden)),
        (status = 404, response = inline(problems::NotFound)),
        (status = 409, description = "The account is linked to another buddy (`account_already_linked`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, response = inline(problems::Invalid)),
    )
)]
#[patch("/buddy/buddies/{id}")]
pub async fn update_buddy(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
    body: Json<UpdateBuddy>,
) -> ApiResult<HttpResponse> {
    let (id, writers) = (id.into_inner(), policy::BUDDY_DIRECTORY_WRITERS);
    answer(&state, &user, writers, async |conn, actor| {
        buddies::update(conn, actor, id, body.0).await
    })
    .await
}
