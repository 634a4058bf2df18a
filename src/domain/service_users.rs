//! Service users: the trust's system registers and updates them by
//! reference; peer workers and ward staff read those on their wards, and
//! every read of one person's record is audited.

use chrono::Utc;
use diesel_async::{AsyncConnection, AsyncPgConnection};
use uuid::Uuid;

use super::{DomainError, DomainResult};
use crate::access::Actor;
use crate::audit::{self, AuditActor, AuditEvent};
use crate::models::service_user::{
    self, ServiceUser, ServiceUserFields, ServiceUserFilter, ServiceUserSummary, ServiceUserUpsert,
};
use crate::models::ward;
use crate::pagination::Page;
use crate::validate::Errors;

/// Who to name in the audit rows an actor's request writes.
fn audit_actor(actor: &Actor) -> AuditActor {
    AuditActor::user(actor.id, actor.role, &actor.meta)
}

/// Whether a reference has the stored form.
pub fn valid_reference(reference: &str) -> bool {
    let b = reference.as_bytes();
    (1..=64).contains(&b.len())
        && b[0].is_ascii_alphanumeric()
        && b.iter()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'-'))
}

/// Creates or updates the service user with this reference, with its
/// audit row; answers the record and whether it was new. Sending the same
/// body twice changes nothing the second time.
pub async fn upsert(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    reference: String,
    body: ServiceUserUpsert,
) -> DomainResult<(ServiceUser, bool)> {
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
    let bed_or_bay = body.bed_or_bay.as_deref().map(str::trim);
    if let Some(place) = bed_or_bay {
        errors.text("bed_or_bay", place, 1, 16);
        // Shown on the ward's tablets: never a number that could be an
        // NHS number, or anything like one.
        if place.chars().filter(char::is_ascii_digit).count() > 4 {
            errors.add(
                "bed_or_bay",
                "too_many_digits",
                "a bed or bay such as \"Bay 2\" or \"Bed 14\": at most 4 digits",
            );
        }
    }
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
    if ward::find(conn, body.ward_id, &actor.ward_scope())
        .await?
        .is_none()
    {
        errors.add("ward_id", "not_found", "no such ward");
    }
    errors.finish()?;

    let actor = audit_actor(actor);
    conn.transaction::<_, DomainError, _>(async move |conn| {
        let fields = ServiceUserFields {
            display_label: body.display_label.trim(),
            ward_id: body.ward_id,
            admitted_on: body.admitted_on,
            discharged_on: body.discharged_on,
            nhs_number: nhs.as_deref(),
            updated_at: Utc::now(),
            bed_or_bay,
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
    .await
}

/// A page of service users on the actor's wards, by display label; the
/// page shown is audited as one `list` row.
pub async fn list(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    filter: &ServiceUserFilter,
    after: Option<(String, Uuid)>,
    limit: i64,
) -> DomainResult<Page<ServiceUserSummary>> {
    let rows = service_user::list(conn, &actor.ward_scope(), filter, after, limit).await?;
    let page = Page::from_rows(rows, limit, |s| (s.display_label.clone(), s.id));
    if !page.items.is_empty() {
        let ids: Vec<Uuid> = page.items.iter().map(|s| s.id).collect();
        let mut event = AuditEvent::new("list", "service_user", "")
            .ward(filter.ward_id)
            .details(serde_json::json!({ "service_user_ids": ids }));
        event.entity_id = None;
        audit::record_read(conn, &audit_actor(actor), event).await?;
    }
    Ok(page)
}

/// One service user's record on the actor's wards, NHS number included;
/// audited as `read`.
pub async fn get(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    id: Uuid,
) -> DomainResult<ServiceUser> {
    let found = service_user::find(conn, id, &actor.ward_scope())
        .await?
        .ok_or(DomainError::NotFound)?;
    audit::record_read(
        conn,
        &audit_actor(actor),
        AuditEvent::new("read", "service_user", found.summary.id).ward(Some(found.summary.ward_id)),
    )
    .await?;
    Ok(found)
}
