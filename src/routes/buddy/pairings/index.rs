//! `/api/v1/buddy/pairings`: the pairings a caller may see, and proposing
//! one. A pairing starts as `proposed`; `status.rs` moves it on.

use actix_web::http::header::LOCATION;
use actix_web::{get, post, web, HttpResponse};
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

use crate::auth::{policy, CurrentUser};
use crate::domain::buddy::pairings::{self, CreatePairing};
use crate::error::{ApiResult, Problem};
use crate::extract::{Json, Query};
use crate::models::buddy::pairing::{Pairing, PairingFilter};
use crate::models::buddy::PairingStatus;
use crate::pagination::{Page, PageParams};
use crate::routes::problems;
use crate::state::AppState;

/// Filters for `GET /api/v1/buddy/pairings`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PairingListQuery {
    pub cohort_id: Option<Uuid>,
    pub student_id: Option<Uuid>,
    pub buddy_id: Option<Uuid>,
    pub status: Option<PairingStatus>,
}

/// Lists the pairings the caller may see.
#[utoipa::path(
    tag = "buddy",
    params(PairingListQuery, PageParams),
    responses(
        (status = 200, description = "A page of pairings (a student's or buddy's account: only their own)", body = Page<Pairing>),
        (status = 403, response = inline(problems::Forbidden)),
    )
)]
#[get("/buddy/pairings")]
pub async fn list_pairings(
    state: web::Data<AppState>,
    user: CurrentUser,
    query: Query<PairingListQuery>,
    page: Query<PageParams>,
) -> ApiResult<HttpResponse> {
    user.require(policy::BUDDY_SCHEME_READERS)?;
    let limit = page.limit()?;
    let filter = PairingFilter {
        cohort_id: query.cohort_id,
        student_id: query.student_id,
        buddy_id: query.buddy_id,
        status: query.status,
    };
    let mut conn = user.conn(&state.pool).await?;
    let rows = pairings::list(&mut conn, &user.actor(), &filter, page.after()?, limit).await?;
    Ok(HttpResponse::Ok().json(Page::from_rows(rows, limit, |p| p.id)))
}

/// Proposes a pairing of a student and a buddy (coordinator). The proposal
/// takes one of the buddy's places at once.
#[utoipa::path(
    tag = "buddy",
    request_body = CreatePairing,
    responses(
        (status = 201, description = "Proposed", body = Pairing),
        (status = 403, response = inline(problems::Forbidden)),
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
    user.require(policy::BUDDY_DIRECTORY_WRITERS)?;
    let mut conn = user.conn(&state.pool).await?;
    let created = pairings::create(&mut conn, &user.actor(), body.0).await?;
    Ok(HttpResponse::Created()
        .insert_header((LOCATION, format!("/api/v1/buddy/pairings/{}", created.id)))
        .json(created))
}
