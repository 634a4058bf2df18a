//! `/api/v1/service-users/{reference}`: `PUT` is the idempotent sync from
//! the trust.

use actix_web::{put, web, HttpResponse};

use crate::auth::{policy, CurrentUser};
use crate::domain::service_users;
use crate::error::ApiResult;
use crate::extract::Json;
use crate::models::service_user::{ServiceUser, ServiceUserUpsert};
use crate::routes::problems;
use crate::state::AppState;

/// Creates or updates the service user with this reference (integration
/// and admin). Sending the same body twice changes nothing the second time.
#[utoipa::path(
    tag = "service-users",
    params(("reference" = String, Path, pattern = "^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$", description = "The trust's pseudonymous reference")),
    request_body = ServiceUserUpsert,
    responses(
        (status = 201, description = "Created", body = ServiceUser),
        (status = 200, description = "Updated (or unchanged)", body = ServiceUser),
        (status = 403, response = inline(problems::Forbidden)),
        (status = 422, response = inline(problems::Invalid)),
    )
)]
#[put("/service-users/{reference}")]
pub async fn upsert_service_user(
    state: web::Data<AppState>,
    user: CurrentUser,
    reference: web::Path<String>,
    body: Json<ServiceUserUpsert>,
) -> ApiResult<HttpResponse> {
    user.require(policy::SERVICE_USER_WRITERS)?;
    let mut conn = user.conn(&state.pool).await?;
    let (record, created) =
        service_users::upsert(&mut conn, &user.actor(), reference.into_inner(), body.0).await?;
    Ok(if created {
        HttpResponse::Created()
    } else {
        HttpResponse::Ok()
    }
    .json(record))
}
