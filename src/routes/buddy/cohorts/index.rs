//! `/api/v1/buddy/cohorts`: listing cohorts and creating them.

use actix_web::http::header::LOCATION;
use actix_web::{get, post, web, HttpResponse};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::{policy, CurrentUser};
use crate::domain::buddy::cohorts::{self, CreateCohort};
use crate::error::{ApiResult, Problem};
use crate::extract::{Json, Query};
use crate::models::buddy::cohort::Cohort;
use crate::models::buddy::Discipline;
use crate::pagination::{Page, PageParams};
use crate::routes::problems;
use crate::state::AppState;

/// Filters for `GET /api/v1/buddy/cohorts`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CohortListQuery {
    /// Only cohorts of this discipline.
    pub discipline: Option<Discipline>,
}

/// Lists cohorts (coordinator, manager).
#[utoipa::path(
    tag = "buddy",
    params(CohortListQuery, PageParams),
    responses(
        (status = 200, description = "A page of cohorts", body = Page<Cohort>),
        (status = 403, response = inline(problems::Forbidden)),
    )
)]
#[get("/buddy/cohorts")]
pub async fn list_cohorts(
    state: web::Data<AppState>,
    user: CurrentUser,
    query: Query<CohortListQuery>,
    page: Query<PageParams>,
) -> ApiResult<HttpResponse> {
    user.require(policy::BUDDY_DIRECTORY_READERS)?;
    let limit = page.limit()?;
    let mut conn = user.conn(&state.pool).await?;
    let rows = cohorts::list(&mut conn, query.discipline, page.after()?, limit).await?;
    Ok(HttpResponse::Ok().json(Page::from_rows(rows, limit, |c| c.id)))
}

/// Creates a cohort (coordinator).
#[utoipa::path(
    tag = "buddy",
    request_body = CreateCohort,
    responses(
        (status = 201, description = "Created", body = Cohort),
        (status = 403, response = inline(problems::Forbidden)),
        (status = 409, description = "A cohort with that name exists (`cohort_name_taken`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, response = inline(problems::Invalid)),
    )
)]
#[post("/buddy/cohorts")]
pub async fn create_cohort(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: Json<CreateCohort>,
) -> ApiResult<HttpResponse> {
    user.require(policy::BUDDY_DIRECTORY_WRITERS)?;
    let mut conn = user.conn(&state.pool).await?;
    let created = cohorts::create(&mut conn, &user.actor(), body.0).await?;
    Ok(HttpResponse::Created()
        .insert_header((LOCATION, format!("/api/v1/buddy/cohorts/{}", created.id)))
        .json(created))
}
