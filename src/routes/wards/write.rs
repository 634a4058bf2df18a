//! Creating and changing wards (admin).

use actix_web::http::header::LOCATION;
use actix_web::{patch, post, web, HttpResponse};
use chrono::Utc;
use diesel::prelude::*;
use diesel_async::{AsyncConnection, RunQueryDsl};
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::audit::{self, AuditEvent};
use crate::auth::policy;
use crate::auth::{CurrentUser, WardScope};
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::Json;
use crate::models::ward::{self, NewWard, ServiceLine, Ward, WardChanges};
use crate::schema::wards;
use crate::state::AppState;
use crate::validate::Errors;

/// A new ward.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateWard {
    /// Unique code: upper-case letters, digits, `-` or `_`, 2 to 32 long.
    #[schema(example = "ADULT-ASH", pattern = "^[A-Z0-9][A-Z0-9_-]{1,31}$")]
    pub code: String,
    #[schema(example = "Ash Ward", min_length = 1, max_length = 200)]
    pub name: String,
    pub service_line: ServiceLine,
    /// Defaults to true.
    pub active: Option<bool>,
}

/// Changes to a ward; absent fields stay as they are. The code cannot
/// change: other systems refer to it.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateWard {
    #[schema(min_length = 1, max_length = 200)]
    pub name: Option<String>,
    pub service_line: Option<ServiceLine>,
    pub active: Option<bool>,
}

/// Whether a ward code has the stored form.
pub fn valid_code(code: &str) -> bool {
    let bytes = code.as_bytes();
    (2..=32).contains(&bytes.len())
        && bytes[0].is_ascii_alphanumeric()
        && bytes
            .iter()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || *b == b'-' || *b == b'_')
}

/// Creates a ward (admin).
#[utoipa::path(
    tag = "wards",
    request_body = CreateWard,
    responses(
        (status = 201, description = "Created", body = Ward),
        (status = 403, description = "Not an admin", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A ward with that code exists", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/wards")]
pub async fn create_ward(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: Json<CreateWard>,
) -> ApiResult<HttpResponse> {
    user.require(policy::ADMINS)?;
    let body = body.0;
    let mut errors = Errors::new();
    if !valid_code(&body.code) {
        errors.add(
            "code",
            "invalid",
            "2 to 32 upper-case letters, digits, '-' or '_'",
        );
    }
    errors.text("name", &body.name, 1, 200);
    errors.finish()?;

    let actor = user.audit_actor();
    let mut conn = user.conn(&state.pool).await?;
    let created = conn
        .transaction::<_, ApiError, _>(async move |conn| {
            let id = Uuid::now_v7();
            let inserted = diesel::insert_into(wards::table)
                .values(NewWard {
                    id,
                    code: &body.code,
                    name: body.name.trim(),
                    service_line: body.service_line,
                    active: body.active.unwrap_or(true),
                })
                .on_conflict_do_nothing()
                .returning(Ward::as_returning())
                .get_result(conn)
                .await
                .optional()?;
            let ward = inserted.ok_or_else(|| ApiError::Conflict {
                code: "ward_code_taken",
                detail: format!("A ward with code {} already exists.", body.code),
                current: None,
            })?;
            audit::record(
                conn,
                &actor,
                AuditEvent::new("create", "ward", ward.id)
                    .ward(Some(ward.id))
                    .details(serde_json::json!({ "code": ward.code, "name": ward.name })),
            )
            .await?;
            Ok(ward)
        })
        .await?;
    Ok(HttpResponse::Created()
        .insert_header((LOCATION, format!("/api/v1/wards/{}", created.id)))
        .json(created))
}

/// Changes a ward's name, service line or active flag (admin).
#[utoipa::path(
    tag = "wards",
    params(("id" = Uuid, Path, description = "Ward id")),
    request_body = UpdateWard,
    responses(
        (status = 200, description = "Updated", body = Ward),
        (status = 403, description = "Not an admin", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such ward", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/wards/{id}")]
pub async fn update_ward(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
    body: Json<UpdateWard>,
) -> ApiResult<HttpResponse> {
    user.require(policy::ADMINS)?;
    let id = id.into_inner();
    let body = body.0;
    let mut errors = Errors::new();
    errors.opt_text("name", body.name.as_deref(), 1, 200);
    errors.finish()?;

    let actor = user.audit_actor();
    let mut conn = user.conn(&state.pool).await?;
    let updated = conn
        .transaction::<_, ApiError, _>(async move |conn| {
                let before = ward::find(conn, id, &WardScope::All).await?.ok_or(ApiError::NotFound)?;
                let changes = WardChanges {
                    name: body.name.as_deref().map(str::trim),
                    service_line: body.service_line,
                    active: body.active,
                    updated_at: Some(Utc::now()),
                };
                let after = diesel::update(wards::table.find(id))
                    .set(&changes)
                    .returning(Ward::as_returning())
                    .get_result(conn)
                    .await?;
                audit::record(
                    conn,
                    &actor,
                    AuditEvent::new("update", "ward", id).ward(Some(id)).details(serde_json::json!({
                        "before": { "name": before.name, "service_line": before.service_line, "active": before.active },
                        "after": { "name": after.name, "service_line": after.service_line, "active": after.active },
                    })),
                )
                .await?;
                Ok(after)
            })
        .await?;
    Ok(HttpResponse::Ok().json(updated))
}

#[cfg(test)]
mod tests {
    #[test]
    fn ward_codes() {
        assert!(super::valid_code("CAMHS-1"));
        assert!(super::valid_code("AB"));
        assert!(!super::valid_code("a-ward"));
        assert!(!super::valid_code("-AB"));
        assert!(!super::valid_code("A"));
    }
}
