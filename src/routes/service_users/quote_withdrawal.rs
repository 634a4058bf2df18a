//! `POST /api/v1/service-users/{id}/quote-withdrawal`: a person takes back
//! their agreement to be quoted.

use actix_web::{post, web, HttpResponse};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::auth::{policy, CurrentUser};
use crate::domain::measures::responses;
use crate::error::ApiResult;
use crate::routes::problems;
use crate::state::AppState;

/// What a withdrawal did.
#[derive(Debug, Serialize, ToSchema)]
pub struct QuotesWithdrawn {
    /// Quotes removed from the record and from every report.
    pub withdrawn: usize,
}

/// Withdraws every quote the person agreed to share, at their request: the
/// words are deleted and no report shows them again. Staff on the
/// person's ward, and managers; audited.
#[utoipa::path(
    tag = "measures",
    params(("id" = Uuid, Path, description = "Service user id")),
    responses(
        (status = 200, description = "Withdrawn", body = QuotesWithdrawn),
        (status = 403, response = inline(problems::Forbidden)),
        (status = 404, response = inline(problems::NotFound)),
    )
)]
#[post("/service-users/{id}/quote-withdrawal")]
pub async fn withdraw_quotes(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    user.require(policy::WARD_MEASURE_STAFF)?;
    let mut conn = user.conn(&state.pool).await?;
    let withdrawn = responses::withdraw_quotes(&mut conn, &user.actor(), *id).await?;
    Ok(HttpResponse::Ok().json(QuotesWithdrawn { withdrawn }))
}
