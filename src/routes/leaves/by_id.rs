//! `GET /api/v1/leaves/{id}`: one leave, with its `ETag`.

use actix_web::http::header::ETAG;
use actix_web::{get, web, HttpResponse};
use uuid::Uuid;

use crate::auth::{policy, CurrentUser};
use crate::domain::leave;
use crate::error::ApiResult;
use crate::models::leave::Leave;
use crate::routes::problems;
use crate::state::AppState;

/// One leave on the caller's wards; reading it is audited.
#[utoipa::path(
    tag = "leave",
    params(("id" = Uuid, Path, description = "Leave id")),
    responses(
        (status = 200, description = "The leave", body = Leave, headers(("ETag" = String, description = "`\"v<version>\"`; send as `If-Match` with a transition"))),
        (status = 403, response = inline(problems::Forbidden)),
        (status = 404, response = inline(problems::NotFound)),
    )
)]
#[get("/leaves/{id}")]
pub async fn get_leave(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    user.require(policy::ACTIVITY_READERS)?;
    let mut conn = user.conn(&state.pool).await?;
    let found = leave::get(&mut conn, &user.actor(), *id).await?;
    Ok(HttpResponse::Ok()
        .insert_header((ETAG, found.etag()))
        .json(found))
}
