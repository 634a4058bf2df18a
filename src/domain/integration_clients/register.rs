//! Registering and changing integration clients (admin), each with its
//! account, wards and audit row in one transaction.

use chrono::Utc;
use diesel_async::{AsyncConnection, AsyncPgConnection};
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::{check_keys, check_scopes, check_ward_limit};
use crate::access::{Actor, Role};
use crate::audit::{self, AuditActor, AuditEvent};
use crate::domain::users::check_wards_exist;
use crate::domain::{DomainError, DomainResult};
use crate::models::integration_client::{self, ClientChanges, IntegrationClient, NewClient};
use crate::models::user::{self, NewUser, UserChanges};
use crate::validate::Errors;

/// A new integration client.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterClient {
    /// The OAuth client id the system puts in `iss` and `sub` of its
    /// assertions: lower-case letters, digits, `.`, `_` or `-`; 2 to 56 long.
    #[schema(example = "trust-epr", pattern = "^[a-z0-9][a-z0-9._-]{1,55}$")]
    pub client_id: String,
    /// Who the system is, for the console and the audit log.
    #[schema(example = "RiO EPR", min_length = 1, max_length = 200)]
    pub display_name: String,
    /// Its public keys (a JWK Set: RSA, P-256 or P-384 signing keys, each
    /// with a `kid`). Give this or `jwks_url`.
    #[schema(value_type = Option<Object>)]
    #[serde(default)]
    pub jwks: Option<serde_json::Value>,
    /// Where its public keys are published (https), fetched at each token
    /// request. Give this or `jwks`.
    #[serde(default)]
    pub jwks_url: Option<String>,
    /// The SMART scopes it may ask for: `system/<type or *>.<rs|r|s|read>`.
    #[schema(example = json!(["system/Encounter.rs", "system/Patient.rs"]))]
    pub scopes: Vec<String>,
    /// True: every ward of the trust. False: only `ward_ids`.
    #[serde(default)]
    pub trust_wide: bool,
    /// The wards it may see when not trust-wide (at least one).
    #[serde(default)]
    pub ward_ids: Vec<Uuid>,
}

/// Changes to a client; a field left out stays as it is. Replacing the
/// key source replaces the other (`jwks` clears `jwks_url` and the
/// reverse).
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateClient {
    #[schema(value_type = Option<Object>)]
    pub jwks: Option<serde_json::Value>,
    pub jwks_url: Option<String>,
    pub scopes: Option<Vec<String>>,
    /// With `ward_ids`: the new ward limit (both or neither).
    pub trust_wide: Option<bool>,
    pub ward_ids: Option<Vec<Uuid>>,
    /// False disables the client: no more tokens, and its tokens stop
    /// working at their next request.
    pub active: Option<bool>,
}

/// The username of a client's account.
fn account_name(client_id: &str) -> String {
    format!("client.{client_id}")
}

/// Registers a client with its account (role `integration`, no password)
/// and wards; `plain_http_loopback` allows an http JWKS URL on loopback.
pub async fn register(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    input: RegisterClient,
    plain_http_loopback: bool,
) -> DomainResult<IntegrationClient> {
    let mut errors = Errors::new();
    let id_shape = valid_client_id(&input.client_id);
    if !id_shape {
        errors.add(
            "client_id",
            "invalid",
            "2 to 56 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit",
        );
    }
    errors.text("display_name", &input.display_name, 1, 200);
    check_keys(
        &mut errors,
        input.jwks.as_ref(),
        input.jwks_url.as_deref(),
        plain_http_loopback,
    );
    check_scopes(&mut errors, &input.scopes);
    check_ward_limit(&mut errors, input.trust_wide, &input.ward_ids);
    errors.finish()?;

    let audit_actor = AuditActor::user(actor.id, actor.role, &actor.meta);
    conn.transaction::<_, DomainError, _>(async move |conn| {
        check_wards_exist(conn, &input.ward_ids, "ward_ids").await?;
        let taken = || DomainError::Conflict {
            code: "client_id_taken",
            detail: format!("The client id {} is taken.", input.client_id),
            current: None,
        };
        let user_id = Uuid::now_v7();
        let username = account_name(&input.client_id);
        let account = NewUser {
            id: user_id,
            username: &username,
            display_name: input.display_name.trim(),
            password_hash: user::NO_PASSWORD,
            role: Role::Integration,
            active: true,
            external_id: None,
        };
        if !user::insert(conn, account).await? {
            return Err(taken());
        }
        user::set_wards(conn, user_id, &input.ward_ids).await?;
        let id = Uuid::now_v7();
        let new = NewClient {
            id,
            client_id: &input.client_id,
            user_id,
            jwks: input.jwks.as_ref(),
            jwks_url: input.jwks_url.as_deref(),
            scopes: &input.scopes,
            trust_wide: input.trust_wide,
        };
        if !integration_client::insert(conn, new).await? {
            return Err(taken());
        }
        audit::record(
            conn,
            &audit_actor,
            AuditEvent::new("create", "integration_client", id).details(serde_json::json!({
                "client_id": input.client_id, "user_id": user_id, "scopes": input.scopes,
                "trust_wide": input.trust_wide, "ward_ids": input.ward_ids,
                "jwks_url": input.jwks_url, "jwks_inline": input.jwks.is_some(),
            })),
        )
        .await?;
        integration_client::find(conn, id)
            .await?
            .ok_or(DomainError::NotFound)
    })
    .await
}

/// The shape of a client id (the database checks it too).
fn valid_client_id(id: &str) -> bool {
    let bytes = id.as_bytes();
    (2..=56).contains(&bytes.len())
        && (bytes[0].is_ascii_lowercase() || bytes[0].is_ascii_digit())
        && bytes
            .iter()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(b))
}

/// Changes a client: keys, scopes, ward limit, active.
pub async fn update(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    id: Uuid,
    input: UpdateClient,
    plain_http_loopback: bool,
) -> DomainResult<IntegrationClient> {
    let mut errors = Errors::new();
    if input.jwks.is_some() || input.jwks_url.is_some() {
        check_keys(
            &mut errors,
            input.jwks.as_ref(),
            input.jwks_url.as_deref(),
            plain_http_loopback,
        );
    }
    if let Some(scopes) = &input.scopes {
        check_scopes(&mut errors, scopes);
    }
    match (input.trust_wide, &input.ward_ids) {
        (Some(trust_wide), Some(wards)) => check_ward_limit(&mut errors, trust_wide, wards),
        (None, None) => {}
        _ => errors.add(
            "ward_ids",
            "together",
            "change trust_wide and ward_ids together",
        ),
    }
    errors.finish()?;

    let audit_actor = AuditActor::user(actor.id, actor.role, &actor.meta);
    conn.transaction::<_, DomainError, _>(async move |conn| {
        let before = integration_client::find(conn, id)
            .await?
            .ok_or(DomainError::NotFound)?;
        if let Some(wards) = &input.ward_ids {
            check_wards_exist(conn, wards, "ward_ids").await?;
            user::set_wards(conn, before.user_id, wards).await?;
        }
        let keys_changed = input.jwks.is_some() || input.jwks_url.is_some();
        let changes = ClientChanges {
            jwks: keys_changed.then_some(input.jwks.as_ref()),
            jwks_url: keys_changed.then_some(input.jwks_url.as_deref()),
            scopes: input.scopes.as_deref(),
            trust_wide: input.trust_wide,
            active: input.active,
            updated_at: Some(Utc::now()),
        };
        integration_client::update(conn, id, &changes).await?;
        if let Some(active) = input.active {
            let account = UserChanges {
                active: Some(active),
                updated_at: Some(Utc::now()),
                ..Default::default()
            };
            user::update(conn, before.user_id, &account).await?;
        }
        audit::record(
            conn,
            &audit_actor,
            AuditEvent::new("update", "integration_client", id).details(serde_json::json!({
                "client_id": before.client_id, "scopes": input.scopes,
                "trust_wide": input.trust_wide, "ward_ids": input.ward_ids,
                "active": input.active, "keys_replaced": keys_changed,
                "jwks_url": input.jwks_url,
            })),
        )
        .await?;
        integration_client::find(conn, id)
            .await?
            .ok_or(DomainError::NotFound)
    })
    .await
}
