//! `/api/v1/activities/{id}/leave-confirmation`: ward staff confirm that an
//! escorted leave was authorised (e.g. section 17 leave granted).

use actix_web::http::header::ETAG;
use actix_web::{post, web, HttpRequest, HttpResponse};
use uuid::Uuid;

use crate::auth::{policy, CurrentUser};
use crate::domain::activities::leave_confirmation;
use crate::error::{ApiResult, Problem};
use crate::extract::if_match;
use crate::models::activity::Activity;
use crate::routes::problems;
use crate::state::AppState;

/// Confirms an escorted leave's authorisation (ward staff on the activity's
/// ward; once). The record keeps who confirmed and when, gains a version,
/// and the change is audited. `If-Match` is optional; a stale one is
/// refused, so staff confirm the version they read.
#[utoipa::path(
    tag = "activities",
    params(
        ("id" = Uuid, Path, description = "Activity id"),
        ("If-Match" = Option<String>, Header, description = "Optional: the ETag of the version you checked"),
    ),
    responses(
        (status = 200, description = "Confirmed", body = Activity, headers(("ETag" = String))),
        (status = 403, response = inline(problems::Forbidden)),
        (status = 404, response = inline(problems::NotFound)),
        (status = 409, description = "Already confirmed, or entered in error", body = Problem, content_type = "application/problem+json"),
        (status = 412, response = inline(problems::Stale)),
        (status = 422, description = "Not an escorted leave", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/activities/{id}/leave-confirmation")]
pub async fn confirm_leave(
    state: web::Data<AppState>,
    user: CurrentUser,
    req: HttpRequest,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    // Readers learn 404 for records outside their wards before 403 for
    // their role; roles that read no clinical content learn nothing.
    user.require(policy::ACTIVITY_READERS)?;
    let mut conn = user.conn(&state.pool).await?;
    let confirmed =
        leave_confirmation::confirm_leave(&mut conn, &user.actor(), *id, if_match(&req).as_deref())
            .await?;
    Ok(HttpResponse::Ok()
        .insert_header((ETAG, confirmed.etag()))
        .json(confirmed))
}
