//! `/api/v1/buddy/students`: listing students and enrolling them.

use actix_web::http::header::LOCATION;
use actix_web::{get, post, web, HttpResponse};
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

use crate::auth::{policy, CurrentUser};
use crate::domain::buddy::students::{self, CreateStudent};
use crate::error::{ApiResult, Problem};
use crate::extract::{Json, Query};
use crate::models::buddy::student::Student;
use crate::pagination::{Page, PageParams};
use crate::routes::problems;
use crate::state::AppState;

/// Filters for `GET /api/v1/buddy/students`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StudentListQuery {
    /// Only students of this cohort.
    pub cohort_id: Option<Uuid>,
}

/// Lists students (coordinator, manager).
#[utoipa::path(
    tag = "buddy",
    params(StudentListQuery, PageParams),
    responses(
        (status = 200, description = "A page of students", body = Page<Student>),
        (status = 403, response = inline(problems::Forbidden)),
    )
)]
#[get("/buddy/students")]
pub async fn list_students(
    state: web::Data<AppState>,
    user: CurrentUser,
    query: Query<StudentListQuery>,
    page: Query<PageParams>,
) -> ApiResult<HttpResponse> {
    user.require(policy::BUDDY_DIRECTORY_READERS)?;
    let limit = page.limit()?;
    let mut conn = user.conn(&state.pool).await?;
    let rows = students::list(&mut conn, query.cohort_id, page.after()?, limit).await?;
    Ok(HttpResponse::Ok().json(Page::from_rows(rows, limit, |s| s.id)))
}

/// Enrols a student in a cohort (coordinator).
#[utoipa::path(
    tag = "buddy",
    request_body = CreateStudent,
    responses(
        (status = 201, description = "Created", body = Student),
        (status = 403, response = inline(problems::Forbidden)),
        (status = 409, description = "The account is linked to another student (`account_already_linked`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, response = inline(problems::Invalid)),
    )
)]
#[post("/buddy/students")]
pub async fn create_student(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: Json<CreateStudent>,
) -> ApiResult<HttpResponse> {
    user.require(policy::BUDDY_DIRECTORY_WRITERS)?;
    let mut conn = user.conn(&state.pool).await?;
    let created = students::create(&mut conn, &user.actor(), body.0).await?;
    Ok(HttpResponse::Created()
        .insert_header((LOCATION, format!("/api/v1/buddy/students/{}", created.id)))
        .json(created))
}
