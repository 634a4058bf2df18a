//! Wards: the rules of creating and changing one, and the transactions
//! that write them with their audit rows. A ward's code never changes:
//! other systems refer to it.

use chrono::Utc;
use diesel_async::{AsyncConnection, AsyncPgConnection};
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::{DomainError, DomainResult};
use crate::access::{Actor, WardScope};
use crate::audit::{self, AuditActor, AuditEvent};
use crate::models::ward::{self, NewWard, ServiceLine, Ward, WardChanges};
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
    /// The ward's ODS site code: 3 to 10 upper-case letters and digits.
    #[schema(example = "RX4E4", pattern = "^[A-Z0-9]{3,10}$")]
    pub ods_site_code: Option<String>,
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
    /// The ward's ODS site code: 3 to 10 upper-case letters and digits.
    #[schema(example = "RX4E4", pattern = "^[A-Z0-9]{3,10}$")]
    pub ods_site_code: Option<String>,
}

/// Adds an error unless an ODS site code given has the ODS shape.
fn check_site_code(errors: &mut Errors, code: Option<&str>) {
    if code.is_some_and(|c| !crate::fhir::is_ods_code(c)) {
        errors.add(
            "ods_site_code",
            "invalid",
            "3 to 10 upper-case letters and digits",
        );
    }
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

/// Creates a ward.
pub async fn create(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    input: CreateWard,
) -> DomainResult<Ward> {
    let mut errors = Errors::new();
    if !valid_code(&input.code) {
        errors.add(
            "code",
            "invalid",
            "2 to 32 upper-case letters, digits, '-' or '_'",
        );
    }
    errors.text("name", &input.name, 1, 200);
    check_site_code(&mut errors, input.ods_site_code.as_deref());
    errors.finish()?;

    let actor = AuditActor::user(actor.id, actor.role, &actor.meta);
    conn.transaction::<_, DomainError, _>(async move |conn| {
        let new = NewWard {
            id: Uuid::now_v7(),
            code: &input.code,
            name: input.name.trim(),
            service_line: input.service_line,
            active: input.active.unwrap_or(true),
            ods_site_code: input.ods_site_code.as_deref(),
        };
        let ward = ward::insert(conn, new)
            .await?
            .ok_or_else(|| DomainError::Conflict {
                code: "ward_code_taken",
                detail: format!("A ward with code {} already exists.", input.code),
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
    .await
}

/// Changes a ward's name, service line or active flag.
pub async fn update(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    id: Uuid,
    input: UpdateWard,
) -> DomainResult<Ward> {
    let mut errors = Errors::new();
    errors.opt_text("name", input.name.as_deref(), 1, 200);
    check_site_code(&mut errors, input.ods_site_code.as_deref());
    errors.finish()?;

    let actor = AuditActor::user(actor.id, actor.role, &actor.meta);
    conn.transaction::<_, DomainError, _>(async move |conn| {
        let before = ward::find(conn, id, &WardScope::All)
            .await?
            .ok_or(DomainError::NotFound)?;
        let changes = WardChanges {
            name: input.name.as_deref().map(str::trim),
            service_line: input.service_line,
            active: input.active,
            ods_site_code: input.ods_site_code.as_deref(),
            updated_at: Some(Utc::now()),
        };
        let after = ward::update(conn, id, &changes).await?;
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
    .await
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
