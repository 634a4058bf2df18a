//! Accounts and their ward assignments: the rules an admin's changes
//! must keep, and the transactions that write them with their audit rows.
//!
//! Disabling an account, changing its role, password or provider link
//! revokes its refresh tokens at once; its access tokens stop working at
//! its next request (the current-user extractor re-reads the account every
//! time). An admin cannot disable their own account or take away their own
//! admin role, so the trust is never locked out.

use chrono::Utc;
use diesel_async::{AsyncConnection, AsyncPgConnection};
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::{DomainError, DomainResult};
use crate::access::{Actor, Role};
use crate::audit::{self, AuditActor, AuditEvent};
use crate::identity::password;
use crate::models::user::{self, NewUser, User, UserChanges};
use crate::models::{refresh_token, ward};
use crate::validate::Errors;

/// The most wards one account may be assigned to.
const MAX_WARDS: usize = 500;

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

/// The complete set of wards a user is assigned to.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SetWards {
    pub ward_ids: Vec<Uuid>,
}

/// Tells a field sent as null (`Some(None)`) from one left out (`None`).
fn present<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}

/// Whether a username has the stored form.
pub fn valid_username(name: &str) -> bool {
    let b = name.as_bytes();
    (2..=64).contains(&b.len())
        && (b[0].is_ascii_lowercase() || b[0].is_ascii_digit())
        && b.iter().all(|c| {
            c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, b'.' | b'_' | b'-')
        })
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

/// A conflict when another account is already linked to this provider
/// identity.
async fn check_external_id_free(
    conn: &mut AsyncPgConnection,
    external_id: Option<&str>,
    this: Uuid,
) -> DomainResult<()> {
    let Some(external_id) = external_id else {
        return Ok(());
    };
    match user::by_external_id(conn, external_id).await? {
        Some(other) if other != this => Err(DomainError::Conflict {
            code: "external_id_taken",
            detail: "Another account is linked to this identity.".into(),
            current: None,
        }),
        _ => Ok(()),
    }
}

/// Every id names a ward; each that does not is a field error
/// (`<field>[<i>]`).
pub(super) async fn check_wards_exist(
    conn: &mut AsyncPgConnection,
    ids: &[Uuid],
    field: &str,
) -> DomainResult<()> {
    let found = ward::existing_ids(conn, ids).await?;
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

/// Hashes a password off the async threads (it is slow on purpose).
async fn hash_password(password: String) -> DomainResult<String> {
    tokio::task::spawn_blocking(move || password::hash(&password))
        .await
        .map_err(DomainError::internal)?
        .map_err(DomainError::internal)
}

/// Creates an account with its wards.
pub async fn create(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    input: CreateUser,
) -> DomainResult<User> {
    let mut errors = Errors::new();
    if !valid_username(&input.username) {
        errors.add(
            "username",
            "invalid",
            "2 to 64 lower-case letters, digits, '.', '_' or '-'",
        );
    }
    errors.text("display_name", &input.display_name, 1, 200);
    match input.password.as_deref().map(password::check_strength) {
        Some(Err(reason)) => errors.add("password", "weak_password", reason),
        None if input.external_id.is_none() => errors.add(
            "password",
            "required",
            "a password, or an external_id to sign in through the identity provider",
        ),
        _ => {}
    }
    check_external_id(&mut errors, input.external_id.as_deref());
    errors.finish()?;
    let hash = match input.password.clone() {
        Some(p) => hash_password(p).await?,
        None => user::NO_PASSWORD.to_string(),
    };

    let actor = AuditActor::user(actor.id, actor.role, &actor.meta);
    conn.transaction::<_, DomainError, _>(async move |conn| {
        check_wards_exist(conn, &input.ward_ids, "ward_ids").await?;
        let id = Uuid::now_v7();
        check_external_id_free(conn, input.external_id.as_deref(), id).await?;
        let new = NewUser {
            id,
            username: &input.username,
            display_name: input.display_name.trim(),
            password_hash: &hash,
            role: input.role,
            active: true,
            external_id: input.external_id.as_deref(),
        };
        if !user::insert(conn, new).await? {
            return Err(DomainError::Conflict {
                code: "username_taken",
                detail: format!("The username {} is taken.", input.username),
                current: None,
            });
        }
        user::set_wards(conn, id, &input.ward_ids).await?;
        audit::record(
            conn,
            &actor,
            AuditEvent::new("create", "user", id).details(serde_json::json!({
                "username": input.username, "role": input.role, "ward_ids": input.ward_ids,
                "external_id": input.external_id,
            })),
        )
        .await?;
        user::find(conn, id).await?.ok_or(DomainError::NotFound)
    })
    .await
}

/// Changes an account; revokes its refresh tokens when it is disabled or
/// its role, password or provider link changes.
pub async fn update(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    id: Uuid,
    input: UpdateUser,
) -> DomainResult<User> {
    let mut errors = Errors::new();
    errors.opt_text("display_name", input.display_name.as_deref(), 1, 200);
    if let Some(Err(reason)) = input.password.as_deref().map(password::check_strength) {
        errors.add("password", "weak_password", reason);
    }
    check_external_id(
        &mut errors,
        input.external_id.as_ref().and_then(|e| e.as_deref()),
    );
    if id == actor.id && input.active == Some(false) {
        errors.add(
            "active",
            "cannot_disable_self",
            "you cannot disable your own account",
        );
    }
    if id == actor.id && input.role.is_some_and(|r| r != Role::Admin) {
        errors.add(
            "role",
            "cannot_demote_self",
            "you cannot remove your own admin role",
        );
    }
    errors.finish()?;
    let hash = match input.password.clone() {
        Some(p) => Some(hash_password(p).await?),
        None => None,
    };

    let actor = AuditActor::user(actor.id, actor.role, &actor.meta);
    conn.transaction::<_, DomainError, _>(async move |conn| {
        let before = user::find(conn, id).await?.ok_or(DomainError::NotFound)?;
        let new_external_id = input.external_id.as_ref().map(|e| e.as_deref());
        check_external_id_free(conn, new_external_id.flatten(), id).await?;
        let relinked = new_external_id.is_some_and(|e| e != before.external_id.as_deref());
        let changes = UserChanges {
            display_name: input.display_name.as_deref().map(str::trim),
            password_hash: hash.as_deref(),
            role: input.role,
            active: input.active,
            external_id: new_external_id,
            updated_at: Some(Utc::now()),
        };
        user::update(conn, id, &changes).await?;
        let revoke = input.active == Some(false)
            || hash.is_some()
            || relinked
            || input.role.is_some_and(|r| r != before.role);
        if revoke {
            refresh_token::revoke_user(conn, id).await?;
        }
        audit::record(
            conn,
            &actor,
            AuditEvent::new("update", "user", id).details(serde_json::json!({
                "before": { "display_name": before.display_name, "role": before.role, "active": before.active, "external_id": before.external_id },
                "after": { "display_name": input.display_name, "role": input.role, "active": input.active, "external_id": input.external_id },
                "password_changed": hash.is_some(),
            })),
        )
        .await?;
        user::find(conn, id).await?.ok_or(DomainError::NotFound)
    })
    .await
}

/// Replaces the wards a user is assigned to; takes effect on the user's
/// next request.
pub async fn set_wards(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    id: Uuid,
    mut ward_ids: Vec<Uuid>,
) -> DomainResult<User> {
    if ward_ids.len() > MAX_WARDS {
        return Err(DomainError::field(
            "ward_ids",
            "too_many",
            "at most 500 wards",
        ));
    }
    let actor = AuditActor::user(actor.id, actor.role, &actor.meta);
    conn.transaction::<_, DomainError, _>(async move |conn| {
        let before = user::find(conn, id).await?.ok_or(DomainError::NotFound)?;
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
        user::find(conn, id).await?.ok_or(DomainError::NotFound)
    })
    .await
}

#[cfg(test)]
mod tests {
    #[test]
    fn usernames() {
        assert!(super::valid_username("jsmith"));
        assert!(super::valid_username("j.smith-2"));
        assert!(!super::valid_username("JSmith"));
        assert!(!super::valid_username("j"));
        assert!(!super::valid_username(".js"));
    }
}
