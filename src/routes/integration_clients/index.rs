//! `/api/v1/integration-clients`: listing and registering clients.

use actix_web::http::header::LOCATION;
use actix_web::{get, post, web, HttpResponse};

use crate::auth::policy;
use crate::auth::CurrentUser;
use crate::config::Environment;
use crate::domain::integration_clients::register::{self, RegisterClient};
use crate::error::{ApiResult, Problem};
use crate::extract::{Json, Query};
use crate::models::integration_client::{self, IntegrationClient};
use crate::pagination::{Page, PageParams};
use crate::routes::problems;
use crate::state::AppState;

/// Lists integration clients in client-id order (admin).
#[utoipa::path(
    tag = "integration-clients",
    params(PageParams),
    responses(
        (status = 200, description = "A page of clients", body = Page<IntegrationClient>),
        (status = 400, response = inline(problems::BadQuery)),
        (status = 403, response = inline(problems::Forbidden)),
    )
)]
#[get("/integration-clients")]
pub async fn list_integration_clients(
    state: web::Data<AppState>,
    caller: CurrentUser,
    page: Query<PageParams>,
) -> ApiResult<HttpResponse> {
    caller.require(policy::ADMINS)?;
    let limit = page.limit()?;
    let after: Option<String> = page.after()?;
    let mut conn = caller.conn(&state.pool).await?;
    let rows = integration_client::list(&mut conn, after.as_deref(), limit).await?;
    Ok(HttpResponse::Ok().json(Page::from_rows(rows, limit, |c| c.client_id.clone())))
}

/// Registers a trust system for Backend Services sign-in (admin): its
/// client id, public keys (inline JWKS or a JWKS URL), the SMART scopes it
/// may be granted, and the whole trust or some wards. It gets an account
/// of its own (role `integration`, username `client.<client_id>`, no
/// password) that the audit log names.
#[utoipa::path(
    tag = "integration-clients",
    request_body = RegisterClient,
    responses(
        (status = 201, description = "Registered", body = IntegrationClient),
        (status = 403, response = inline(problems::Forbidden)),
        (status = 409, description = "`client_id_taken`", body = Problem, content_type = "application/problem+json"),
        (status = 422, response = inline(problems::Invalid)),
    )
)]
#[post("/integration-clients")]
pub async fn register_integration_client(
    state: web::Data<AppState>,
    caller: CurrentUser,
    body: Json<RegisterClient>,
) -> ApiResult<HttpResponse> {
    caller.require(policy::ADMINS)?;
    let loopback_http = state.config.environment == Environment::Development;
    let mut conn = caller.conn(&state.pool).await?;
    let created = register::register(&mut conn, &caller.actor(), body.0, loopback_http).await?;
    Ok(HttpResponse::Created()
        .insert_header((
            LOCATION,
            format!("/api/v1/integration-clients/{}", created.id),
        ))
        .json(created))
}
