//! The trust's ward tablets as known devices (issue 22, item 7).
//!
//! Ward tablets share one address behind the trust's NAT, so throttling
//! sign-ins by address lets a guesser anywhere on that network lock the
//! ward out. An admin therefore enrols each tablet once:
//!
//! 1. [`create`]: the admin names the tablet (and its ward, as a label) and
//!    gets a one-time enrolment code, valid for [`CODE_TTL_MINUTES`];
//! 2. [`enrol`]: the code is typed on the tablet, which gets a random
//!    secret in an `HttpOnly` cookie; the code is used up;
//! 3. [`recognise`]: each password sign-in presenting the secret of an
//!    enrolled, unrevoked tablet is throttled per person on that tablet,
//!    never by the address (see [`crate::models::login_throttle`]);
//! 4. [`revoke`]: the tablet's secret is forgotten, and it signs in like
//!    any unknown device again.
//!
//! Codes and secrets are kept only as their SHA-256 and never logged or
//! audited; creating, enrolling, relabelling and revoking are audited.
//! A code is 10 characters from a 30-letter alphabet (about 49 bits),
//! single-use and short-lived, so guessing one is not a practical attack;
//! an enrolled tablet only changes which throttle counts its sign-ins, it
//! signs nobody in.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{Duration, Utc};
use diesel_async::{AsyncConnection, AsyncPgConnection};
use rand::{Rng, RngCore};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::access::{Actor, RequestMeta};
use crate::audit::{self, AuditActor, AuditEvent};
use crate::domain::{DomainError, DomainResult};
use crate::models::tablet::{self, NewTablet, Tablet, TabletChanges};
use crate::models::ward;
use crate::validate::Errors;

/// How long an enrolment code works.
pub const CODE_TTL_MINUTES: i64 = 15;
/// Letters of enrolment codes: no 0/O, 1/I/L or U, so a code read aloud or
/// off a screen is typed right.
const CODE_ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTVWXYZ";
const CODE_LEN: usize = 10;
/// The longest tablet secret read (they are 43 characters).
pub const MAX_SECRET: usize = 128;

/// A new tablet to enrol.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTabletInput {
    /// What the ward calls it.
    #[schema(example = "Ash ward tablet 2", min_length = 1, max_length = 100)]
    pub name: String,
    /// The ward it lives on (a label; anyone may sign in on it).
    #[serde(default)]
    pub ward_id: Option<Uuid>,
}

/// Changes to a tablet's label; a field left out stays as it is.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TabletUpdate {
    #[schema(min_length = 1, max_length = 100)]
    pub name: Option<String>,
    /// The ward it lives on; `null` for none.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<Uuid>)]
    pub ward_id: Option<Option<Uuid>>,
}

/// Tells a field sent as null (`Some(None)`) from one left out (`None`).
fn present<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}

/// A tablet just created, with its one-time enrolment code (shown once).
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedTablet {
    #[serde(flatten)]
    pub tablet: Tablet,
    /// Type this on the tablet (`Set up this tablet` on its sign-in
    /// screen) before `code_expires_at`. Shown once; only its digest is kept.
    #[schema(example = "K7QM4-XPDR9")]
    pub enrolment_code: String,
}

/// A code in the form it is shown: two groups of five.
fn new_code() -> String {
    let mut rng = rand::rngs::OsRng;
    let letters: String = (0..CODE_LEN)
        .map(|_| CODE_ALPHABET[rng.gen_range(0..CODE_ALPHABET.len())] as char)
        .collect();
    format!("{}-{}", &letters[..5], &letters[5..])
}

/// A code as typed, in the form its digest was taken: upper case, spaces
/// and dashes dropped. `None` when it cannot be a code.
fn normalise_code(typed: &str) -> Option<String> {
    let code: String = typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    (code.len() == CODE_LEN && code.bytes().all(|b| CODE_ALPHABET.contains(&b))).then_some(code)
}

/// Checks a tablet's name and that its ward exists.
async fn check_label(
    conn: &mut AsyncPgConnection,
    name: Option<&str>,
    ward_id: Option<Uuid>,
) -> DomainResult<()> {
    let mut errors = Errors::new();
    if let Some(name) = name {
        errors.text("name", name, 1, 100);
    }
    if let Some(w) = ward_id {
        if ward::existing_ids(conn, &[w]).await?.is_empty() {
            errors.add("ward_id", "unknown_ward", "no ward with this id");
        }
    }
    Ok(errors.finish()?)
}

/// Creates a tablet awaiting enrolment, with its code (admin).
pub async fn create(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    input: NewTabletInput,
) -> DomainResult<CreatedTablet> {
    check_label(conn, Some(&input.name), input.ward_id).await?;
    let code = new_code();
    let id = Uuid::now_v7();
    let expires = Utc::now() + Duration::minutes(CODE_TTL_MINUTES);
    let audit_actor = AuditActor::user(actor.id, actor.role, &actor.meta);
    let name = input.name.trim().to_string();
    let code_hash =
        tablet::digest(&normalise_code(&code).ok_or_else(|| DomainError::internal("code shape"))?);
    let row = conn
        .transaction::<_, DomainError, _>(async move |conn| {
            let new = NewTablet {
                id,
                name: &name,
                ward_id: input.ward_id,
                code_hash,
                code_expires_at: expires,
                created_by: actor.id,
            };
            tablet::insert(conn, new).await?;
            audit::record(
                conn,
                &audit_actor,
                AuditEvent::new("create", "tablet", id)
                    .ward(input.ward_id)
                    .details(serde_json::json!({
                        "name": name, "ward_id": input.ward_id, "code_expires_at": expires,
                    })),
            )
            .await?;
            tablet::find(conn, id).await?.ok_or(DomainError::NotFound)
        })
        .await?;
    Ok(CreatedTablet {
        tablet: Tablet::from_row(row, Utc::now()),
        enrolment_code: code,
    })
}

/// A tablet just enrolled, and the secret it keeps (shown once).
#[derive(Debug)]
pub struct Enrolled {
    pub tablet: Tablet,
    pub secret: String,
}

/// Enrols the tablet awaiting this code: it gets a new random secret. A
/// wrong, used or expired code is `code_not_valid` on the field `code`.
pub async fn enrol(
    conn: &mut AsyncPgConnection,
    typed_code: &str,
    meta: &RequestMeta,
) -> DomainResult<Enrolled> {
    let not_valid = || {
        DomainError::field(
            "code",
            "code_not_valid",
            "not a current enrolment code: it may be mistyped, used already or expired",
        )
    };
    let code = normalise_code(typed_code).ok_or_else(not_valid)?;
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let secret = URL_SAFE_NO_PAD.encode(bytes);
    let secret_hash = tablet::digest(&secret);
    let audit_actor = AuditActor::anonymous(meta);
    let row = conn
        .transaction::<_, DomainError, _>(async move |conn| {
            let Some(row) = tablet::redeem_code(conn, &tablet::digest(&code), &secret_hash).await?
            else {
                return Err(not_valid());
            };
            audit::record(
                conn,
                &audit_actor,
                AuditEvent::new("enrol", "tablet", row.id)
                    .ward(row.ward_id)
                    .details(serde_json::json!({ "name": row.name })),
            )
            .await?;
            Ok(row)
        })
        .await?;
    Ok(Enrolled {
        tablet: Tablet::from_row(row, Utc::now()),
        secret,
    })
}

/// The enrolled, unrevoked tablet holding this secret, if any.
pub async fn recognise(
    conn: &mut AsyncPgConnection,
    secret: Option<&str>,
) -> DomainResult<Option<Tablet>> {
    let Some(secret) = secret.filter(|s| !s.is_empty() && s.len() <= MAX_SECRET) else {
        return Ok(None);
    };
    let row = tablet::by_secret(conn, &tablet::digest(secret)).await?;
    Ok(row.map(|r| Tablet::from_row(r, Utc::now())))
}

/// Relabels a tablet: its name or ward (admin).
pub async fn update(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    id: Uuid,
    input: TabletUpdate,
) -> DomainResult<Tablet> {
    check_label(conn, input.name.as_deref(), input.ward_id.flatten()).await?;
    let audit_actor = AuditActor::user(actor.id, actor.role, &actor.meta);
    let row = conn
        .transaction::<_, DomainError, _>(async move |conn| {
            let name = input.name.as_deref().map(str::trim);
            let changes = TabletChanges {
                name,
                ward_id: input.ward_id,
                updated_at: Some(Utc::now()),
            };
            if tablet::update(conn, id, &changes).await? == 0 {
                return Err(DomainError::NotFound);
            }
            let row = tablet::find(conn, id).await?.ok_or(DomainError::NotFound)?;
            audit::record(
                conn,
                &audit_actor,
                AuditEvent::new("update", "tablet", id)
                    .ward(row.ward_id)
                    .details(serde_json::json!({ "name": name, "ward_id": input.ward_id })),
            )
            .await?;
            Ok(row)
        })
        .await?;
    Ok(Tablet::from_row(row, Utc::now()))
}

/// Revokes a tablet (admin): from its next sign-in it is an unknown
/// device, throttled with its address. Revoking twice is `already_revoked`.
pub async fn revoke(conn: &mut AsyncPgConnection, actor: &Actor, id: Uuid) -> DomainResult<Tablet> {
    let audit_actor = AuditActor::user(actor.id, actor.role, &actor.meta);
    let row = conn
        .transaction::<_, DomainError, _>(async move |conn| {
            let before = tablet::find(conn, id).await?.ok_or(DomainError::NotFound)?;
            if !tablet::revoke(conn, id).await? {
                return Err(DomainError::Conflict {
                    code: "already_revoked",
                    detail: format!("The tablet {} is revoked already.", before.name),
                    current: None,
                });
            }
            audit::record(
                conn,
                &audit_actor,
                AuditEvent::new("revoke", "tablet", id)
                    .ward(before.ward_id)
                    .details(serde_json::json!({ "name": before.name })),
            )
            .await?;
            tablet::find(conn, id).await?.ok_or(DomainError::NotFound)
        })
        .await?;
    Ok(Tablet::from_row(row, Utc::now()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_read_back_however_they_are_typed() {
        let code = new_code();
        assert_eq!(code.len(), 11);
        let plain = normalise_code(&code).unwrap();
        assert_eq!(
            normalise_code(&code.to_lowercase()).as_deref(),
            Some(plain.as_str())
        );
        assert_eq!(
            normalise_code(&format!(" {} {} ", &plain[..5], &plain[5..])).as_deref(),
            Some(plain.as_str())
        );
        assert_eq!(normalise_code("OOOOO-11111"), None);
        assert_eq!(normalise_code("ABC"), None);
    }
}
