//! Pairings: listing, reading and proposing them. A pairing starts as
//! `proposed`; `pairing_status.rs` moves it on.

use actix_web::{get, post, web, HttpResponse};
use chrono::Utc;
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::{created_response, read_scope, require_staff};
use crate::audit::{self, AuditEvent};
use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::{Json, Query};
use crate::models::buddy::pairing::{self, Pairing, PairingFilter};
use crate::models::buddy::{student, volunteer, PairingStatus};
use crate::pagination::{Page, PageParams};
use crate::schema::buddy_pairings;
use crate::state::AppState;

/// Meetings in a series when the coordinator does not say.
pub const DEFAULT_PLANNED_MEETINGS: i32 = 6;

/// A proposed pairing.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreatePairing {
    pub student_id: Uuid,
    /// Must be a verified registered volunteer with a free place.
    pub buddy_id: Uuid,
    /// Held meetings that complete the series, 1 to 20 (default 6).
    #[schema(minimum = 1, maximum = 20)]
    pub planned_meetings: Option<i32>,
}

/// Filters for `GET /api/v1/buddy/pairings`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PairingListQuery {
    pub cohort_id: Option<Uuid>,
    pub student_id: Option<Uuid>,
    pub buddy_id: Option<Uuid>,
    pub status: Option<PairingStatus>,
}

/// The pairing rules on the buddy's side, checked with the buddy's row
/// locked so two concurrent pairings cannot both take the last place:
/// the buddy must be a verified registered volunteer (422
/// `buddy_not_registered_volunteer`) and have a free place among their
/// open pairings (409 `buddy_at_capacity`). `except` leaves out the pairing
/// being activated, which already holds its place.
pub(super) async fn check_buddy_may_take(
    conn: &mut AsyncPgConnection,
    buddy_id: Uuid,
    except: Option<Uuid>,
) -> ApiResult<()> {
    let buddy = volunteer::lock(conn, buddy_id)
        .await?
        .ok_or_else(|| ApiError::field("buddy_id", "unknown_reference", "no buddy with this id"))?;
    if !buddy.may_be_paired(Utc::now().date_naive()) {
        return Err(ApiError::Rule {
            code: "buddy_not_registered_volunteer",
            field: "buddy_id",
            detail: format!(
                "A buddy must be a verified registered trust volunteer before any pairing; \
                 this buddy's registration is {}.",
                buddy.volunteer_status
            ),
        });
    }
    let open = volunteer::open_pairings(conn, buddy_id, except).await?;
    if open >= i64::from(buddy.capacity) {
        return Err(ApiError::Conflict {
            code: "buddy_at_capacity",
            detail: format!(
                "The buddy takes {} student(s) at once and already has {open} proposed or active pairing(s).",
                buddy.capacity
            ),
            current: Some(serde_json::json!({ "capacity": buddy.capacity, "open_pairings": open })),
        });
    }
    Ok(())
}

/// The rule on the student's side: one active pairing per cohort
/// (409 `student_already_paired`; the database's partial unique index
/// backs this up).
pub(super) async fn check_student_free(
    conn: &mut AsyncPgConnection,
    student_id: Uuid,
    cohort_id: Uuid,
    except: Option<Uuid>,
) -> ApiResult<()> {
    if let Some(other) = pairing::active_for_student(conn, student_id, cohort_id, except).await? {
        return Err(ApiError::Conflict {
            code: "student_already_paired",
            detail: "The student already has an active pairing in this cohort.".into(),
            current: Some(serde_json::json!({ "active_pairing_id": other })),
        });
    }
    Ok(())
}

/// Lists the pairings the caller may see.
#[utoipa::path(
    tag = "buddy",
    params(PairingListQuery, PageParams),
    responses(
        (status = 200, description = "A page of pairings (a student's or buddy's account: only their own)", body = Page<Pairing>),
        (status = 403, description = "Not a Buddy Scheme role", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/buddy/pairings")]
pub async fn list_pairings(
    state: web::Data<AppState>,
    user: CurrentUser,
    query: Query<PairingListQuery>,
    page: Query<PageParams>,
) -> ApiResult<HttpResponse> {
    let scope = read_scope(&user)?;
    let limit = page.limit()?;
    let filter = PairingFilter {
        cohort_id: query.cohort_id,
        student_id: query.student_id,
        buddy_id: query.buddy_id,
        status: query.status,
    };
    let mut conn = user.conn(&state.pool).await?;
    let rows = pairing::list(&mut conn, scope, &filter, page.after()?, limit).await?;
    Ok(HttpResponse::Ok().json(Page::from_rows(rows, limit, |p| p.id)))
}

/// One pairing; 404 when it is not one the caller may see.
#[utoipa::path(
    tag = "buddy",
    params(("id" = Uuid, Path, description = "Pairing id")),
    responses(
        (status = 200, description = "The pairing", body = Pairing),
        (status = 403, description = "Not a Buddy Scheme role", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such pairing, or not yours", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/buddy/pairings/{id}")]
pub async fn get_pairing(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let scope = read_scope(&user)?;
    let mut conn = user.conn(&state.pool).await?;
    let found = pairing::find(&mut conn, *id, scope)
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok(HttpResponse::Ok().json(found))
}

/// Proposes a pairing of a student and a buddy (coordinator). The proposal
/// takes one of the buddy's places at once.
#[utoipa::path(
    tag = "buddy",
    request_body = CreatePairing,
    responses(
        (status = 201, description = "Proposed", body = Pairing),
        (status = 403, description = "Not a coordinator", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`buddy_at_capacity` or `student_already_paired`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, or `buddy_not_registered_volunteer`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/buddy/pairings")]
pub async fn create_pairing(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: Json<CreatePairing>,
) -> ApiResult<HttpResponse> {
    require_staff(&user, true)?;
    let body = body.0;
    let planned = body.planned_meetings.unwrap_or(DEFAULT_PLANNED_MEETINGS);
    if !(1..=20).contains(&planned) {
        return Err(ApiError::field(
            "planned_meetings",
            "out_of_range",
            "must be between 1 and 20",
        ));
    }
    let actor = user.audit_actor();
    let coordinator_id = user.id;
    let mut conn = user.conn(&state.pool).await?;
    let created = conn
        .transaction::<_, ApiError, _>(async move |conn| {
            let student = student::find(conn, body.student_id).await?.ok_or_else(|| {
                ApiError::field("student_id", "unknown_reference", "no student with this id")
            })?;
            check_buddy_may_take(conn, body.buddy_id, None).await?;
            check_student_free(conn, student.id, student.cohort_id, None).await?;
            let now = Utc::now();
            let row = Pairing {
                id: Uuid::now_v7(),
                student_id: student.id,
                cohort_id: student.cohort_id,
                buddy_id: body.buddy_id,
                coordinator_id,
                status: PairingStatus::Proposed,
                planned_meetings: planned,
                withdrawn_reason: None,
                activated_at: None,
                ended_at: None,
                created_at: now,
                updated_at: now,
            };
            let created = diesel::insert_into(buddy_pairings::table)
                .values(&row)
                .returning(Pairing::as_returning())
                .get_result(conn)
                .await?;
            audit::record(
                conn,
                &actor,
                AuditEvent::new("create", "buddy_pairing", created.id).details(serde_json::json!({
                    "student_id": created.student_id, "buddy_id": created.buddy_id,
                    "cohort_id": created.cohort_id, "planned_meetings": created.planned_meetings,
                })),
            )
            .await?;
            Ok(created)
        })
        .await?;
    Ok(created_response(
        format!("/api/v1/buddy/pairings/{}", created.id),
        &created,
    ))
}
