//! `/api/v1/buddy/cohorts/{id}`: one cohort, and changes to it.

use actix_web::{get, patch, web, HttpResponse};
use uuid::Uuid;

use crate::auth::{policy, CurrentUser};
use crate::domain::buddy::cohorts::{self, UpdateCohort};
use crate::error::{ApiResult, Problem};
use crate::extract::Json;
use crate::models::buddy::cohort::Cohort;
use crate::routes::buddy::answer;
use crate::routes::problems;
use crate::state::AppState;

/// One cohort (coordinator, manager).
#[utoipa::path(
    tag = "buddy",
    params(("id" = Uuid, Path, description = "Cohort id")),
    responses(
        (status = 200, description = "The cohort", body = Cohort),
        (status = 403, response = inline(problems::Forbidden)),
        (status = 404, response = inline(problems::NotFound)),
    )
)]
#[get("/buddy/cohorts/{id}")]
pub async fn get_cohort(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let (id, readers) = (id.into_inner(), policy::BUDDY_DIRECTORY_READERS);
    answer(&state, &user, readers, async |conn, _| {
        cohorts::get(conn, id).await
    })
    .await
}

/// Changes a cohort's name, institution or dates (coordinator).
#[utoipa::path(
    tag = "buddy",
    params(("id" = Uuid, Path, description = "Cohort id")),
    request_body = UpdateCohort,
    responses(
        (status = 200, description = "Updated", body = Cohort),
        (status = 403, response = inline(problems::Forbidden)),
        (status = 404, response = inline(problems::NotFound)),
        (status = 409, description = "Name taken (`cohort_name_taken`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, response = inline(problems::Invalid)),
    )
)]
#[patch("/buddy/cohorts/{id}")]
pub async fn update_cohort(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
    body: Json<UpdateCohort>,
) -> ApiResult<HttpResponse> {
    let (id, writers) = (id.into_inner(), policy::BUDDY_DIRECTORY_WRITERS);
    answer(&state, &user, writers, async |conn, actor| {
        cohorts::update(conn, actor, id, body.0).await
    })
    .await
}
