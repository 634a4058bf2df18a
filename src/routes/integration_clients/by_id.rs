//! `/api/v1/integration-clients/{id}`: reading and changing one client.

use actix_web::{get, patch, web, HttpResponse};
use uuid::Uuid;

use crate::auth::policy;
use crate::auth::CurrentUser;
use crate::config::Environment;
use crate::domain::integration_clients::register::{self, UpdateClient};
use crate::error::{ApiError, ApiResult};
use crate::extract::Json;
use crate::models::integration_client::{self, IntegrationClient};
use crate::routes::problems;
use crate::state::AppState;

/// One integration client (admin).
#[utoipa::path(
    tag = "integration-clients",
    params(("id" = Uuid, Path, description = "Client id (the row's, not the OAuth client id)")),
    responses(
        (status = 200, description = "The client", body = IntegrationClient),
        (status = 403, response = inline(problems::Forbidden)),
        (status = 404, response = inline(problems::NotFound)),
    )
)]
#[get("/integration-clients/{id}")]
pub async fn get_integration_client(
    state: web::Data<AppState>,
    caller: CurrentUser,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    caller.require(policy::ADMINS)?;
    let mut conn = caller.conn(&state.pool).await?;
    let found = integration_client::find(&mut conn, *id)
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok(HttpResponse::Ok().json(found))
}

/// Changes a client's keys, scopes, ward limit or standing (admin).
/// Narrowed scopes and wards, and disabling, take effect at the client's
/// next request, not when its token expires.
#[utoipa::path(
    tag = "integration-clients",
    params(("id" = Uuid, Path, description = "Client id (the row's, not the OAuth client id)")),
    request_body = UpdateClient,
    responses(
        (status = 200, description = "Updated", body = IntegrationClient),
        (status = 403, response = inline(problems::Forbidden)),
        (status = 404, response = inline(problems::NotFound)),
        (status = 422, response = inline(problems::Invalid)),
    )
)]
#[patch("/integration-clients/{id}")]
pub async fn update_integration_client(
    state: web::Data<AppState>,
    caller: CurrentUser,
    id: web::Path<Uuid>,
    body: Json<UpdateClient>,
) -> ApiResult<HttpResponse> {
    caller.require(policy::ADMINS)?;
    let loopback_http = state.config.environment == Environment::Development;
    let mut conn = caller.conn(&state.pool).await?;
    let updated = register::update(
        &mut conn,
        &caller.actor(),
        id.into_inner(),
        body.0,
        loopback_http,
    )
    .await?;
    Ok(HttpResponse::Ok().json(updated))
}
