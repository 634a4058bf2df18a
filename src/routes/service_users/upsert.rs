//! `PUT /api/v1/service-users/{reference}`: idempotent sync from the trust.

use actix_web::{put, web, HttpResponse};
use chrono::{NaiveDate, Utc};
use diesel_async::AsyncConnection;
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::audit::{self, AuditEvent};
use crate::auth::policy;
use crate::auth::CurrentUser;
use crate::auth::WardScope;
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::Json;
use crate::models::service_user::{self, ServiceUser, ServiceUserFields};
use crate::models::ward;
use crate::state::AppState;
use crate::validate::Errors;

/// A service user as the trust's system sends them.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ServiceUserUpsert {
    /// What the ward tablet shows, e.g. initials; never a full name.
    #[schema(example = "J.S.", min_length = 1, max_length = 16)]
    pub display_label: String,
    /// The ward they are on (or were discharged from).
    pub ward_id: Uuid,
    pub admitted_on: NaiveDate,
    pub discharged_on: Option<NaiveDate>,
    /// Ten digits with a valid Modulus 11 check digit; spaces are ignored.
    #[schema(example = "943 476 5919")]
    pub nhs_number: Option<String>,
}

/// Whether a reference has the stored form.
pub fn valid_reference(reference: &str) -> bool {
    let b = reference.as_bytes();
    (1..=64).contains(&b.len())
        && b[0].is_ascii_alphanumeric()
        && b.iter()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'-'))
}

/// Creates or updates the service user with this reference (integration
/// and admin). Sending the same body twice changes nothing the second time.
#[utoipa::path(
    tag = "service-users",
    params(("reference" = String, Path, pattern = "^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$", description = "The trust's pseudonymous reference")),
    request_body = ServiceUserUpsert,
    responses(
        (status = 201, description = "Created", body = ServiceUser),
        (status = 200, description = "Updated (or unchanged)", body = ServiceUser),
        (status = 403, description = "Only the trust integration and admins sync service users", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
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
    let reference = reference.into_inner();
    let body = body.0;
    let nhs: Option<String> = body
        .nhs_number
        .as_deref()
        .map(|n| n.chars().filter(|c| !c.is_whitespace()).collect());
    let mut errors = Errors::new();
    if !valid_reference(&reference) {
        errors.add(
            "reference",
            "invalid",
            "1 to 64 letters, digits, '.', '_' or '-'",
        );
    }
    errors.text("display_label", &body.display_label, 1, 16);
    if body.discharged_on.is_some_and(|d| d < body.admitted_on) {
        errors.add(
            "discharged_on",
            "before_admission",
            "cannot be before `admitted_on`",
        );
    }
    if nhs
        .as_deref()
        .is_some_and(|n| !service_user::valid_nhs_number(n))
    {
        errors.add(
            "nhs_number",
            "invalid",
            "10 digits with a valid check digit",
        );
    }
    let mut conn = user.conn(&state.pool).await?;
    if ward::find(&mut conn, body.ward_id, &WardScope::All)
        .await?
        .is_none()
    {
        errors.add("ward_id", "not_found", "no such ward");
    }
    errors.finish()?;

    let actor = user.audit_actor();
    let (record, created) = conn
        .transaction::<_, ApiError, _>(async move |conn| {
            let fields = ServiceUserFields {
                display_label: body.display_label.trim(),
                ward_id: body.ward_id,
                admitted_on: body.admitted_on,
                discharged_on: body.discharged_on,
                nhs_number: nhs.as_deref(),
                updated_at: Utc::now(),
            };
            let (record, created) = service_user::upsert(conn, &reference, &fields).await?;
            audit::record(
                conn,
                &actor,
                AuditEvent::new(
                    if created { "create" } else { "update" },
                    "service_user",
                    record.summary.id,
                )
                .ward(Some(record.summary.ward_id))
                .details(serde_json::json!({
                    "reference": reference,
                    "discharged_on": record.summary.discharged_on,
                    "nhs_number_held": record.nhs_number.is_some(),
                })),
            )
            .await?;
            Ok((record, created))
        })
        .await?;
    Ok(if created {
        HttpResponse::Created()
    } else {
        HttpResponse::Ok()
    }
    .json(record))
}
