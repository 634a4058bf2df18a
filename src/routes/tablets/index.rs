//! `/api/v1/tablets`: listing tablets and creating one to enrol.

use actix_web::http::header::{CACHE_CONTROL, LOCATION};
use actix_web::{get, post, web, HttpResponse};
use chrono::Utc;
use uuid::Uuid;

use crate::auth::policy;
use crate::auth::CurrentUser;
use crate::domain::tablets::{self, CreatedTablet, NewTabletInput};
use crate::error::ApiResult;
use crate::extract::{Json, Query};
use crate::models::tablet::{self, Tablet};
use crate::pagination::{Page, PageParams};
use crate::routes::problems;
use crate::state::AppState;

/// Lists the trust's tablets, newest first (admin): awaiting enrolment,
/// enrolled, code expired or revoked.
#[utoipa::path(
    tag = "tablets",
    params(PageParams),
    responses(
        (status = 200, description = "A page of tablets", body = Page<Tablet>),
        (status = 400, response = inline(problems::BadQuery)),
        (status = 403, response = inline(problems::Forbidden)),
    )
)]
#[get("/tablets")]
pub async fn list_tablets(
    state: web::Data<AppState>,
    caller: CurrentUser,
    page: Query<PageParams>,
) -> ApiResult<HttpResponse> {
    caller.require(policy::ADMINS)?;
    let limit = page.limit()?;
    let before: Option<Uuid> = page.after()?;
    let mut conn = caller.conn(&state.pool).await?;
    let now = Utc::now();
    let rows = tablet::list(&mut conn, before, limit).await?;
    let rows = rows.into_iter().map(|r| Tablet::from_row(r, now)).collect();
    Ok(HttpResponse::Ok().json(Page::from_rows(rows, limit, |t: &Tablet| t.id)))
}

/// Creates a tablet to enrol (admin) and answers its one-time enrolment
/// code, valid for 15 minutes: type it on the tablet ("Set up this
/// tablet" on its sign-in screen). The code is shown once and never
/// stored; create the tablet again if it runs out.
#[utoipa::path(
    tag = "tablets",
    request_body = NewTabletInput,
    responses(
        (status = 201, description = "Created; awaiting enrolment", body = CreatedTablet),
        (status = 403, response = inline(problems::Forbidden)),
        (status = 422, response = inline(problems::Invalid)),
    )
)]
#[post("/tablets")]
pub async fn create_tablet(
    state: web::Data<AppState>,
    caller: CurrentUser,
    body: Json<NewTabletInput>,
) -> ApiResult<HttpResponse> {
    caller.require(policy::ADMINS)?;
    let mut conn = caller.conn(&state.pool).await?;
    let created = tablets::create(&mut conn, &caller.actor(), body.0).await?;
    Ok(HttpResponse::Created()
        .insert_header((LOCATION, format!("/api/v1/tablets/{}", created.tablet.id)))
        .insert_header((CACHE_CONTROL, "no-store"))
        .json(created))
}
