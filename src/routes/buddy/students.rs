//! Students: listing, reading, enrolling and changing them.

use actix_web::{get, patch, post, web, HttpResponse};
use chrono::Utc;
use diesel::prelude::*;
use diesel_async::{AsyncConnection, RunQueryDsl};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::{check_account, created_response, on_unique, require_staff};
use crate::audit::{self, AuditEvent};
use crate::auth::{CurrentUser, Role};
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::{Json, Query};
use crate::models::buddy::student::{self, Student, StudentChanges};
use crate::models::buddy::{cohort, valid_email, Discipline};
use crate::pagination::{Page, PageParams};
use crate::schema::buddy_students;
use crate::state::AppState;
use crate::validate::Errors;

/// A new student.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateStudent {
    pub cohort_id: Uuid,
    #[schema(example = "Jo Smith", min_length = 1, max_length = 200)]
    pub full_name: String,
    /// Defaults to the cohort's discipline.
    pub discipline: Option<Discipline>,
    /// Defaults to the cohort's institution.
    #[schema(min_length = 1, max_length = 200)]
    pub institution: Option<String>,
    #[schema(example = "jo.smith@uni.example.ac.uk", format = Email, max_length = 254)]
    pub email: String,
    /// A `buddy_student` account to link, so the student can sign in.
    pub user_id: Option<Uuid>,
}

/// Changes to a student; absent fields stay as they are. The cohort does
/// not change: pairings are made within it.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateStudent {
    #[schema(min_length = 1, max_length = 200)]
    pub full_name: Option<String>,
    pub discipline: Option<Discipline>,
    #[schema(min_length = 1, max_length = 200)]
    pub institution: Option<String>,
    #[schema(format = Email, max_length = 254)]
    pub email: Option<String>,
    /// A `buddy_student` account to link; `null` unlinks.
    #[serde(default, deserialize_with = "super::present")]
    #[schema(value_type = Option<Uuid>)]
    pub user_id: Option<Option<Uuid>>,
}

/// Filters for `GET /api/v1/buddy/students`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StudentListQuery {
    /// Only students of this cohort.
    pub cohort_id: Option<Uuid>,
}

fn check_email(errors: &mut Errors, email: Option<&str>) {
    if let Some(e) = email {
        if !valid_email(e.trim()) {
            errors.add("email", "invalid_email", "must be an email address");
        }
    }
}

/// The 409 when the account to link already belongs to another student.
fn account_taken(err: diesel::result::Error) -> ApiError {
    on_unique(
        err,
        "account_already_linked",
        "That account belongs to another student.",
    )
}

/// Lists students (coordinator, manager).
#[utoipa::path(
    tag = "buddy",
    params(StudentListQuery, PageParams),
    responses(
        (status = 200, description = "A page of students", body = Page<Student>),
        (status = 403, description = "Not a coordinator or manager", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/buddy/students")]
pub async fn list_students(
    state: web::Data<AppState>,
    user: CurrentUser,
    query: Query<StudentListQuery>,
    page: Query<PageParams>,
) -> ApiResult<HttpResponse> {
    require_staff(&user, false)?;
    let limit = page.limit()?;
    let mut conn = user.conn(&state.pool).await?;
    let rows = student::list(&mut conn, query.cohort_id, page.after()?, limit).await?;
    Ok(HttpResponse::Ok().json(Page::from_rows(rows, limit, |s| s.id)))
}

/// One student (coordinator, manager).
#[utoipa::path(
    tag = "buddy",
    params(("id" = Uuid, Path, description = "Student id")),
    responses(
        (status = 200, description = "The student", body = Student),
        (status = 403, description = "Not a coordinator or manager", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such student", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/buddy/students/{id}")]
pub async fn get_student(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    require_staff(&user, false)?;
    let mut conn = user.conn(&state.pool).await?;
    let found = student::find(&mut conn, *id)
        .await?
        .ok_or(ApiError::NotFound)?;
    // Personal details of a person with lived experience or a student:
    // every read of one record is audited, like a service user's.
    audit::record(
        &mut conn,
        &user.audit_actor(),
        AuditEvent::new("read", "buddy_student", found.id),
    )
    .await?;
    Ok(HttpResponse::Ok().json(found))
}

/// Enrols a student in a cohort (coordinator).
#[utoipa::path(
    tag = "buddy",
    request_body = CreateStudent,
    responses(
        (status = 201, description = "Created", body = Student),
        (status = 403, description = "Not a coordinator", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The account is linked to another student (`account_already_linked`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/buddy/students")]
pub async fn create_student(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: Json<CreateStudent>,
) -> ApiResult<HttpResponse> {
    require_staff(&user, true)?;
    let body = body.0;
    let mut errors = Errors::new();
    errors.text("full_name", &body.full_name, 1, 200);
    errors.opt_text("institution", body.institution.as_deref(), 1, 200);
    check_email(&mut errors, Some(&body.email));
    errors.finish()?;

    let actor = user.audit_actor();
    let mut conn = user.conn(&state.pool).await?;
    let created = conn
        .transaction::<_, ApiError, _>(async move |conn| {
            let cohort = cohort::find(conn, body.cohort_id).await?.ok_or_else(|| {
                ApiError::field("cohort_id", "unknown_reference", "no cohort with this id")
            })?;
            check_account(conn, body.user_id, Role::BuddyStudent).await?;
            let now = Utc::now();
            let row = Student {
                id: Uuid::now_v7(),
                cohort_id: cohort.id,
                full_name: body.full_name.trim().to_string(),
                discipline: body.discipline.unwrap_or(cohort.discipline),
                institution: body
                    .institution
                    .as_deref()
                    .map_or(cohort.institution, |i| i.trim().to_string()),
                email: body.email.trim().to_string(),
                user_id: body.user_id,
                created_at: now,
                updated_at: now,
            };
            let student = diesel::insert_into(buddy_students::table)
                .values(&row)
                .returning(Student::as_returning())
                .get_result(conn)
                .await
                .map_err(account_taken)?;
            audit::record(
                conn,
                &actor,
                AuditEvent::new("create", "buddy_student", student.id).details(serde_json::json!({
                    "cohort_id": student.cohort_id, "discipline": student.discipline,
                    "user_id": student.user_id,
                })),
            )
            .await?;
            Ok(student)
        })
        .await?;
    Ok(created_response(
        format!("/api/v1/buddy/students/{}", created.id),
        &created,
    ))
}

/// Changes a student's details or linked account (coordinator).
#[utoipa::path(
    tag = "buddy",
    params(("id" = Uuid, Path, description = "Student id")),
    request_body = UpdateStudent,
    responses(
        (status = 200, description = "Updated", body = Student),
        (status = 403, description = "Not a coordinator", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such student", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The account is linked to another student (`account_already_linked`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/buddy/students/{id}")]
pub async fn update_student(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
    body: Json<UpdateStudent>,
) -> ApiResult<HttpResponse> {
    require_staff(&user, true)?;
    let id = id.into_inner();
    let body = body.0;
    let mut errors = Errors::new();
    errors.opt_text("full_name", body.full_name.as_deref(), 1, 200);
    errors.opt_text("institution", body.institution.as_deref(), 1, 200);
    check_email(&mut errors, body.email.as_deref());
    errors.finish()?;

    let actor = user.audit_actor();
    let mut conn = user.conn(&state.pool).await?;
    let updated = conn
        .transaction::<_, ApiError, _>(async move |conn| {
            let before = student::find(conn, id).await?.ok_or(ApiError::NotFound)?;
            check_account(conn, body.user_id.flatten(), Role::BuddyStudent).await?;
            let changes = StudentChanges {
                full_name: body.full_name.as_deref().map(str::trim),
                discipline: body.discipline,
                institution: body.institution.as_deref().map(str::trim),
                email: body.email.as_deref().map(str::trim),
                user_id: body.user_id,
                updated_at: Some(Utc::now()),
            };
            let after = diesel::update(buddy_students::table.find(id))
                .set(&changes)
                .returning(Student::as_returning())
                .get_result(conn)
                .await
                .map_err(account_taken)?;
            audit::record(
                conn,
                &actor,
                AuditEvent::new("update", "buddy_student", id).details(serde_json::json!({
                    "before": { "full_name": before.full_name, "discipline": before.discipline,
                                "institution": before.institution, "user_id": before.user_id },
                    "after": { "full_name": after.full_name, "discipline": after.discipline,
                               "institution": after.institution, "user_id": after.user_id },
                })),
            )
            .await?;
            Ok(after)
        })
        .await?;
    Ok(HttpResponse::Ok().json(updated))
}
