//! Cohorts: listing, reading, creating and changing intakes.

use actix_web::{get, patch, post, web, HttpResponse};
use chrono::{NaiveDate, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, RunQueryDsl};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::{created_response, on_unique, require_staff};
use crate::audit::{self, AuditEvent};
use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::{Json, Query};
use crate::models::buddy::cohort::{self, Cohort, CohortChanges};
use crate::models::buddy::Discipline;
use crate::pagination::{Page, PageParams};
use crate::schema::buddy_cohorts;
use crate::state::AppState;
use crate::validate::Errors;

/// A new cohort.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateCohort {
    #[schema(example = "OT January 2027", min_length = 1, max_length = 200)]
    pub name: String,
    #[schema(example = "University of Exampleton", min_length = 1, max_length = 200)]
    pub institution: String,
    pub discipline: Discipline,
    pub starts_on: NaiveDate,
    /// Must be after `starts_on`.
    pub ends_on: NaiveDate,
}

/// Changes to a cohort; absent fields stay as they are. The discipline
/// does not change: the cohort's students were recruited for it.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateCohort {
    #[schema(min_length = 1, max_length = 200)]
    pub name: Option<String>,
    #[schema(min_length = 1, max_length = 200)]
    pub institution: Option<String>,
    pub starts_on: Option<NaiveDate>,
    pub ends_on: Option<NaiveDate>,
}

/// Filters for `GET /api/v1/buddy/cohorts`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CohortListQuery {
    /// Only cohorts of this discipline.
    pub discipline: Option<Discipline>,
}

fn check_dates(errors: &mut Errors, starts_on: NaiveDate, ends_on: NaiveDate) {
    if ends_on <= starts_on {
        errors.add("ends_on", "before_start", "must be after starts_on");
    }
}

/// Lists cohorts (coordinator, manager).
#[utoipa::path(
    tag = "buddy",
    params(CohortListQuery, PageParams),
    responses(
        (status = 200, description = "A page of cohorts", body = Page<Cohort>),
        (status = 403, description = "Not a coordinator or manager", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/buddy/cohorts")]
pub async fn list_cohorts(
    state: web::Data<AppState>,
    user: CurrentUser,
    query: Query<CohortListQuery>,
    page: Query<PageParams>,
) -> ApiResult<HttpResponse> {
    require_staff(&user, false)?;
    let limit = page.limit()?;
    let mut conn = user.conn(&state.pool).await?;
    let rows = cohort::list(&mut conn, query.discipline, page.after()?, limit).await?;
    Ok(HttpResponse::Ok().json(Page::from_rows(rows, limit, |c| c.id)))
}

/// One cohort (coordinator, manager).
#[utoipa::path(
    tag = "buddy",
    params(("id" = Uuid, Path, description = "Cohort id")),
    responses(
        (status = 200, description = "The cohort", body = Cohort),
        (status = 403, description = "Not a coordinator or manager", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such cohort", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/buddy/cohorts/{id}")]
pub async fn get_cohort(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    require_staff(&user, false)?;
    let mut conn = user.conn(&state.pool).await?;
    let found = cohort::find(&mut conn, *id)
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok(HttpResponse::Ok().json(found))
}

/// Creates a cohort (coordinator).
#[utoipa::path(
    tag = "buddy",
    request_body = CreateCohort,
    responses(
        (status = 201, description = "Created", body = Cohort),
        (status = 403, description = "Not a coordinator", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A cohort with that name exists (`cohort_name_taken`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/buddy/cohorts")]
pub async fn create_cohort(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: Json<CreateCohort>,
) -> ApiResult<HttpResponse> {
    require_staff(&user, true)?;
    let body = body.0;
    let mut errors = Errors::new();
    errors.text("name", &body.name, 1, 200);
    errors.text("institution", &body.institution, 1, 200);
    check_dates(&mut errors, body.starts_on, body.ends_on);
    errors.finish()?;

    let actor = user.audit_actor();
    let mut conn = user.conn(&state.pool).await?;
    let created = conn
        .transaction::<_, ApiError, _>(async move |conn| {
            let now = Utc::now();
            let row = Cohort {
                id: Uuid::now_v7(),
                name: body.name.trim().to_string(),
                institution: body.institution.trim().to_string(),
                discipline: body.discipline,
                starts_on: body.starts_on,
                ends_on: body.ends_on,
                created_at: now,
                updated_at: now,
            };
            let cohort = diesel::insert_into(buddy_cohorts::table)
                .values(&row)
                .returning(Cohort::as_returning())
                .get_result(conn)
                .await
                .map_err(|e| {
                    on_unique(e, "cohort_name_taken", "A cohort with this name exists.")
                })?;
            audit::record(
                conn,
                &actor,
                AuditEvent::new("create", "buddy_cohort", cohort.id).details(
                    serde_json::json!({ "name": cohort.name, "discipline": cohort.discipline }),
                ),
            )
            .await?;
            Ok(cohort)
        })
        .await?;
    Ok(created_response(
        format!("/api/v1/buddy/cohorts/{}", created.id),
        &created,
    ))
}

/// Changes a cohort's name, institution or dates (coordinator).
#[utoipa::path(
    tag = "buddy",
    params(("id" = Uuid, Path, description = "Cohort id")),
    request_body = UpdateCohort,
    responses(
        (status = 200, description = "Updated", body = Cohort),
        (status = 403, description = "Not a coordinator", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such cohort", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Name taken (`cohort_name_taken`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/buddy/cohorts/{id}")]
pub async fn update_cohort(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
    body: Json<UpdateCohort>,
) -> ApiResult<HttpResponse> {
    require_staff(&user, true)?;
    let id = id.into_inner();
    let body = body.0;
    let mut errors = Errors::new();
    errors.opt_text("name", body.name.as_deref(), 1, 200);
    errors.opt_text("institution", body.institution.as_deref(), 1, 200);
    errors.finish()?;

    let actor = user.audit_actor();
    let mut conn = user.conn(&state.pool).await?;
    let updated = conn
        .transaction::<_, ApiError, _>(async move |conn| {
            let before = cohort::find(conn, id).await?.ok_or(ApiError::NotFound)?;
            let mut errors = Errors::new();
            check_dates(
                &mut errors,
                body.starts_on.unwrap_or(before.starts_on),
                body.ends_on.unwrap_or(before.ends_on),
            );
            errors.finish()?;
            let changes = CohortChanges {
                name: body.name.as_deref().map(str::trim),
                institution: body.institution.as_deref().map(str::trim),
                starts_on: body.starts_on,
                ends_on: body.ends_on,
                updated_at: Some(Utc::now()),
            };
            let after = diesel::update(buddy_cohorts::table.find(id))
                .set(&changes)
                .returning(Cohort::as_returning())
                .get_result(conn)
                .await
                .map_err(|e| {
                    on_unique(e, "cohort_name_taken", "A cohort with this name exists.")
                })?;
            audit::record(
                conn,
                &actor,
                AuditEvent::new("update", "buddy_cohort", id).details(serde_json::json!({
                    "before": { "name": before.name, "institution": before.institution,
                                "starts_on": before.starts_on, "ends_on": before.ends_on },
                    "after": { "name": after.name, "institution": after.institution,
                               "starts_on": after.starts_on, "ends_on": after.ends_on },
                })),
            )
            .await?;
            Ok(after)
        })
        .await?;
    Ok(HttpResponse::Ok().json(updated))
}
