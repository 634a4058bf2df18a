//! `/api/v1/buddy/students/{id}`: one student (an audited read), and
//! changes to their details or linked account.

use actix_web::{get, patch, web, HttpResponse};
use uuid::Uuid;

use crate::auth::{policy, CurrentUser};
use crate::domain::buddy::students::{self, UpdateStudent};
use crate::error::{ApiResult, Problem};
use crate::extract::Json;
use crate::models::buddy::student::Student;
use crate::routes::buddy::answer;
use crate::routes::problems;
use crate::state::AppState;

/// One student (coordinator, manager).
#[utoipa::path(
    tag = "buddy",
    params(("id" = Uuid, Path, description = "Student id")),
    responses(
        (status = 200, description = "The student", body = Student),
        (status = 403, response = inline(problems::Forbidden)),
        (status = 404, response = inline(problems::NotFound)),
    )
)]
#[get("/buddy/students/{id}")]
pub async fn get_student(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let (id, readers) = (id.into_inner(), policy::BUDDY_DIRECTORY_READERS);
    answer(&state, &user, readers, async |conn, actor| {
        students::get(conn, actor, id).await
    })
    .await
}

/// Changes a student's details or linked account (coordinator).
#[utoipa::path(
    tag = "buddy",
    params(("id" = Uuid, Path, description = "Student id")),
    request_body = UpdateStudent,
    responses(
        (status = 200, description = "Updated", body = Student),
        (status = 403, response = inline(problems::Forbidden)),
        (status = 404, response = inline(problems::NotFound)),
        (status = 409, description = "The account is linked to another student (`account_already_linked`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, response = inline(problems::Invalid)),
    )
)]
#[patch("/buddy/students/{id}")]
pub async fn update_student(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
    body: Json<UpdateStudent>,
) -> ApiResult<HttpResponse> {
    let (id, writers) = (id.into_inner(), policy::BUDDY_DIRECTORY_WRITERS);
    answer(&state, &user, writers, async |conn, actor| {
        students::update(conn, actor, id, body.0).await
    })
    .await
}
