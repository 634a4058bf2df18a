//! `GET /api/v1/activities/{id}`.

use actix_web::http::header::ETAG;
use actix_web::{get, web, HttpResponse};
use uuid::Uuid;

use super::{audit_read, READERS};
use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiResult, Problem};
use crate::models::activity::{self, Activity};
use crate::state::AppState;

/// One activity, voided ones included, with its `ETag` for amendments.
/// Reading one that names service users is audited.
#[utoipa::path(
    tag = "activities",
    params(("id" = Uuid, Path, description = "Activity id")),
    responses(
        (status = 200, description = "The activity", body = Activity, headers(("ETag" = String, description = "`\"v<version>\"`; send as `If-Match` to amend"))),
        (status = 403, description = "Your role reads no activities", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such activity on your wards", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/activities/{id}")]
pub async fn get_activity(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    user.require(READERS)?;
    let mut conn = user.conn(&state.pool).await?;
    let found = activity::find(&mut conn, *id, &user.ward_scope())
        .await?
        .ok_or(ApiError::NotFound)?;
    audit_read(&mut conn, &user, "read", &[&found]).await?;
    Ok(HttpResponse::Ok()
        .insert_header((ETAG, found.etag()))
        .json(found))
}
