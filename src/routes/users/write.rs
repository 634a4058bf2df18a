//! Creating accounts, changing them, and assigning wards (admin).
//! Disabling an account, changing its role or password revokes its refresh
//! tokens at once; its access tokens stop working at its next request
//! (the current-user extractor re-reads the account every time).

use actix_web::http::header::LOCATION;
use actix_web::{patch, post, put, web, HttpResponse};
use chrono::Utc;
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::audit::{self, AuditEvent};
use crate::auth::policy;
use crate::auth::{CurrentUser, Role};
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::Json;
use crate::identity::password;
use crate::models::refresh_token;
use crate::models::user::{self, NewUser, User, UserChanges};
use crate::schema::{users, wards};
use crate::state::AppState;
use crate::validate::Errors;

/// A new account.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateUser {
    /// Lower-case letters, digits, `.`, `_` or `-`; 2 to 64 long.
    #[schema(example = "jsmith", pattern = "^[a-z0-9][a-z0-9._-]{1,63}$")]
    pub username: String,
    #[schema(example = "Jo Smith", min_length = 1, max_length = 200)]
    pub display_name: String,
    pub role: Role,
    /// At least 12 characters. May be left out for an account that signs
    /// in only through the trust's identity provider (`external_id`).
    #[schema(min_length = 12, max_length = 256, format = Password)]
    #[serde(default)]
    pub password: Option<String>,
    /// The person at the trust's identity provider this account is for:
    /// the value of the configured claim (`sub`, or `oid` for Entra ID).
    #[schema(min_length = 1, max_length = 255)]
    #[serde(default)]
    pub external_id: Option<String>,
    /// Wards to assign; may be empty.
    #[serde(default)]
    pub ward_ids: Vec<Uuid>,
}

/// Changes to an account; absent fields stay as they are.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateUser {
    #[schema(min_length = 1, max_length = 200)]
    pub display_name: Option<String>,
    pub role: Option<Role>,
    /// False disables the account: it can no longer sign in or refresh.
    pub active: Option<bool>,
    /// A new password (at least 12 characters).
    #[schema(min_length = 12, max_length = 256, format = Password)]
    pub password: Option<String>,
    /// Links the account to a person at the trust's identity provider (the
    /// value of the configured claim); null unlinks it. A change ends the
    /// account's sign-ins.
    #[schema(value_type = Option<String>, min_length = 1, max_length = 255)]
    #[serde(default, deserialize_with = "present")]
    pub external_id: Option<Option<String>>,
}

/// Tells a field sent as null (`Some(None)`) from one left out (`None`).
fn present<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}

fn check_external_id(errors: &mut Errors, value: Option<&str>) {
    if let Some(v) = value {
        if v.is_empty() || v.len() > 255 || v.trim() != v {
            errors.add(
                "external_id",
                "invalid",
                "1 to 255 characters, no surrounding spaces",
            );
        }
    }
}

/// 409 when another account is already linked to this provider identity.
async fn check_external_id_free(
    conn: &mut AsyncPgConnection,
    external_id: Option<&str>,
    this: Uuid,
) -> ApiResult<()> {
    let Some(external_id) = external_id else {
        return Ok(());
    };
    match user::by_external_id(conn, external_id).await? {
        Some(other) if other != this => Err(ApiError::Conflict {
            code: "external_id_taken",
            detail: "Another account is linked to this identity.".into(),
            current: None,
        }),
        _ => Ok(()),
    }
}

/// The complete set of wards a user is assigned to.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SetWards {
    pub ward_ids: Vec<Uuid>,
}

async fn check_wards_exist(
    conn: &mut AsyncPgConnection,
    ids: &[Uuid],
    field: &str,
) -> ApiResult<()> {
    let found: Vec<Uuid> = wards::table
        .filter(wards::id.eq_any(ids))
        .select(wards::id)
        .load(conn)
        .await?;
    let mut errors = Errors::new();
    for (i, id) in ids.iter().enumerate() {
        if !found.contains(id) {
            errors.add(
                format!("{field}[{i}]"),
                "unknown_ward",
                "no ward with this id",
            );
        }
    }
    Ok(errors.finish()?)
}

async fn hash_password(password: String) -> ApiResult<String> {
    web::block(move || password::hash(&password))
        .await?
        .map_err(ApiError::internal)
}

/// Creates an account (admin).
#[utoipa::path(
    tag = "users",
    request_body = CreateUser,
    responses(
        (status = 201, description = "Created", body = User),
        (status = 403, description = "Not an admin", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Username taken", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/users")]
pub async fn create_user(
    state: web::Data<AppState>,
    caller: CurrentUser,
    body: Json<CreateUser>,
) -> ApiResult<HttpResponse> {
    caller.require(policy::ADMINS)?;
    let body = body.0;
    let mut errors = Errors::new();
    if !crate::domain::users::valid_username(&body.username) {
        errors.add(
            "username",
            "invalid",
            "2 to 64 lower-case letters, digits, '.', '_' or '-'",
        );
    }
    errors.text("display_name", &body.display_name, 1, 200);
    match body.password.as_deref().map(password::check_strength) {
        Some(Err(reason)) => errors.add("password", "weak_password", reason),
        None if body.external_id.is_none() => errors.add(
            "password",
            "required",
            "a password, or an external_id to sign in through the identity provider",
        ),
        _ => {}
    }
    check_external_id(&mut errors, body.external_id.as_deref());
    errors.finish()?;
    let hash = match body.password.clone() {
        Some(p) => hash_password(p).await?,
        None => user::NO_PASSWORD.to_string(),
    };

    let actor = caller.audit_actor();
    let mut conn = caller.conn(&state.pool).await?;
    let created = conn
        .transaction::<_, ApiError, _>(async move |conn| {
            check_wards_exist(conn, &body.ward_ids, "ward_ids").await?;
            let id = Uuid::now_v7();
            check_external_id_free(conn, body.external_id.as_deref(), id).await?;
            let inserted = diesel::insert_into(users::table)
                .values(NewUser {
                    id,
                    username: &body.username,
                    display_name: body.display_name.trim(),
                    password_hash: &hash,
                    role: body.role,
                    active: true,
                    external_id: body.external_id.as_deref(),
                })
                .on_conflict_do_nothing()
                .execute(conn)
                .await?;
            if inserted == 0 {
                return Err(ApiError::Conflict {
                    code: "username_taken",
                    detail: format!("The username {} is taken.", body.username),
                    current: None,
                });
            }
            user::set_wards(conn, id, &body.ward_ids).await?;
            audit::record(
                conn,
                &actor,
                AuditEvent::new("create", "user", id).details(serde_json::json!({
                    "username": body.username, "role": body.role, "ward_ids": body.ward_ids,
                    "external_id": body.external_id,
                })),
            )
            .await?;
            user::find(conn, id).await?.ok_or(ApiError::NotFound)
        })
        .await?;
    Ok(HttpResponse::Created()
        .insert_header((LOCATION, format!("/api/v1/users/{}", created.id)))
        .json(created))
}

/// Changes an account (admin). An admin cannot disable their own account
/// or take away their own admin role, so the trust is never locked out.
#[utoipa::path(
    tag = "users",
    params(("id" = Uuid, Path, description = "User id")),
    request_body = UpdateUser,
    responses(
        (status = 200, description = "Updated", body = User),
        (status = 403, description = "Not an admin", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such user", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`external_id_taken`: another account is linked to this identity", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/users/{id}")]
pub async fn update_user(
    state: web::Data<AppState>,
    caller: CurrentUser,
    id: web::Path<Uuid>,
    body: Json<UpdateUser>,
) -> ApiResult<HttpResponse> {
    caller.require(policy::ADMINS)?;
    let id = id.into_inner();
    let body = body.0;
    let mut errors = Errors::new();
    errors.opt_text("display_name", body.display_name.as_deref(), 1, 200);
    if let Some(Err(reason)) = body.password.as_deref().map(password::check_strength) {
        errors.add("password", "weak_password", reason);
    }
    check_external_id(
        &mut errors,
        body.external_id.as_ref().and_then(|e| e.as_deref()),
    );
    if id == caller.id && body.active == Some(false) {
        errors.add(
            "active",
            "cannot_disable_self",
            "you cannot disable your own account",
        );
    }
    if id == caller.id && body.role.is_some_and(|r| r != Role::Admin) {
        errors.add(
            "role",
            "cannot_demote_self",
            "you cannot remove your own admin role",
        );
    }
    errors.finish()?;
    let hash = match body.password.clone() {
        Some(p) => Some(hash_password(p).await?),
        None => None,
    };

    let actor = caller.audit_actor();
    let mut conn = caller.conn(&state.pool).await?;
    let updated = conn
        .transaction::<_, ApiError, _>(async move |conn| {
                let before = user::find(conn, id).await?.ok_or(ApiError::NotFound)?;
                let new_external_id = body.external_id.as_ref().map(|e| e.as_deref());
                check_external_id_free(conn, new_external_id.flatten(), id).await?;
                let relinked = new_external_id.is_some_and(|e| e != before.external_id.as_deref());
                let changes = UserChanges {
                    display_name: body.display_name.as_deref().map(str::trim),
                    password_hash: hash.as_deref(),
                    role: body.role,
                    active: body.active,
                    external_id: new_external_id,
                    updated_at: Some(Utc::now()),
                };
                diesel::update(users::table.find(id)).set(&changes).execute(conn).await?;
                let revoke = body.active == Some(false)
                    || hash.is_some()
                    || relinked
                    || body.role.is_some_and(|r| r != before.role);
                if revoke {
                    refresh_token::revoke_user(conn, id).await?;
                }
                audit::record(
                    conn,
                    &actor,
                    AuditEvent::new("update", "user", id).details(serde_json::json!({
                        "before": { "display_name": before.display_name, "role": before.role, "active": before.active, "external_id": before.external_id },
                        "after": { "display_name": body.display_name, "role": body.role, "active": body.active, "external_id": body.external_id },
                        "password_changed": hash.is_some(),
                    })),
                )
                .await?;
                user::find(conn, id).await?.ok_or(ApiError::NotFound)
            })
        .await?;
    Ok(HttpResponse::Ok().json(updated))
}

/// Replaces the wards a user is assigned to (admin). Takes effect on the
/// user's next request.
#[utoipa::path(
    tag = "users",
    params(("id" = Uuid, Path, description = "User id")),
    request_body = SetWards,
    responses(
        (status = 200, description = "Assignments replaced", body = User),
        (status = 403, description = "Not an admin", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such user", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unknown ward", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/users/{id}/wards")]
pub async fn set_user_wards(
    state: web::Data<AppState>,
    caller: CurrentUser,
    id: web::Path<Uuid>,
    body: Json<SetWards>,
) -> ApiResult<HttpResponse> {
    caller.require(policy::ADMINS)?;
    let id = id.into_inner();
    let mut ward_ids = body.0.ward_ids;
    if ward_ids.len() > 500 {
        return Err(ApiError::field("ward_ids", "too_many", "at most 500 wards"));
    }
    let actor = caller.audit_actor();
    let mut conn = caller.conn(&state.pool).await?;
    let updated: User = conn
        .transaction::<_, ApiError, _>(async move |conn| {
            let before = user::find(conn, id).await?.ok_or(ApiError::NotFound)?;
            check_wards_exist(conn, &ward_ids, "ward_ids").await?;
            ward_ids.sort();
            ward_ids.dedup();
            user::set_wards(conn, id, &ward_ids).await?;
            audit::record(
                conn,
                &actor,
                AuditEvent::new("assign_wards", "user", id).details(serde_json::json!({
                    "before": before.ward_ids, "after": ward_ids,
                })),
            )
            .await?;
            user::find(conn, id).await?.ok_or(ApiError::NotFound)
        })
        .await?;
    Ok(HttpResponse::Ok().json(updated))
}

#[cfg(test)]
mod tests {
    #[test]
    fn usernames() {
        assert!(crate::domain::users::valid_username("jsmith"));
        assert!(crate::domain::users::valid_username("j.smith-2"));
        assert!(!crate::domain::users::valid_username("JSmith"));
        assert!(!crate::domain::users::valid_username("j"));
        assert!(!crate::domain::users::valid_username(".js"));
    }
}
