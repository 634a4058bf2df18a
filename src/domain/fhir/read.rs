//! Read, vread and instance history. Activities (Encounter, Procedure,
//! Group) are versioned: `meta.versionId` is the activity's version and
//! `_history/{vid}` is mapped from the stored version. The other types
//! are not versioned in peerlog and are read only as they are now.

use diesel_async::AsyncPgConnection;
use serde_json::Value;

use super::{audit_patients, not_found, uuid_of, FhirError, FhirResult, Server};
use crate::domain::activities::audit_read;
use crate::fhir::access::{authorise, Caller, Interaction, ResourceType};
use crate::fhir::bundle;
use crate::fhir::resources::{self, ActivityResource};
use crate::models::activity::{self, Activity};
use crate::models::{service_user, user, ward};

/// The activity resource type of a FHIR type, if it is one.
pub fn activity_resource(t: ResourceType) -> Option<ActivityResource> {
    match t {
        ResourceType::Encounter => Some(ActivityResource::Encounter),
        ResourceType::Procedure => Some(ActivityResource::Procedure),
        ResourceType::Group => Some(ActivityResource::Group),
        _ => None,
    }
}

/// One resource as it is now (`GET [type]/[id]`), audited when it is a
/// person's record.
pub async fn read(
    conn: &mut AsyncPgConnection,
    caller: &Caller,
    server: &Server<'_>,
    t: ResourceType,
    id: &str,
) -> FhirResult<Value> {
    let scope = authorise(caller, t, Interaction::Read)?;
    let actor = caller.actor();
    let trust = server.trust;
    if t.is_personal_answer() {
        return super::answers::read(conn, actor, &scope, t, id)
            .await?
            .ok_or_else(|| not_found(t, id));
    }
    if let Some(kind) = activity_resource(t) {
        let a = activity::find(conn, uuid_of(t, id)?, &scope)
            .await?
            .filter(|a| kind.exists_for(a))
            .ok_or_else(|| not_found(t, id))?;
        audit_read(conn, actor, "fhir_read", &[&a]).await?;
        return kind.map(&a, trust).ok_or_else(|| not_found(t, id));
    }
    let found = match t {
        ResourceType::Patient => {
            let su = service_user::find(conn, uuid_of(t, id)?, &scope).await?;
            if let Some(su) = &su {
                audit_patients(conn, actor, "fhir_read", std::slice::from_ref(su)).await?;
            }
            su.map(|su| resources::patient(&su, trust))
        }
        ResourceType::Location => ward::find(conn, uuid_of(t, id)?, &scope)
            .await?
            .map(|w| resources::location(&w, trust)),
        ResourceType::Organization => {
            (id == trust.ods_code).then(|| resources::organization(trust))
        }
        ResourceType::Practitioner | ResourceType::PractitionerRole => {
            let u = user::find(conn, uuid_of(t, id)?)
                .await?
                .filter(|u| match &scope {
                    crate::access::WardScope::All => true,
                    s => u.ward_ids.iter().any(|w| s.contains(*w)),
                });
            u.and_then(|u| match t {
                ResourceType::Practitioner => resources::practitioner(&u),
                _ => resources::practitioner_role(&u, trust),
            })
        }
        _ => None,
    };
    found.ok_or_else(|| not_found(t, id))
}

/// Every stored version of an activity within the scope, oldest first,
/// each as the activity read then and when it was made.
async fn versions(
    conn: &mut AsyncPgConnection,
    caller: &Caller,
    t: ResourceType,
    id: &str,
    interaction: Interaction<'_>,
) -> FhirResult<(
    ActivityResource,
    Vec<(Activity, chrono::DateTime<chrono::Utc>)>,
)> {
    let scope = authorise(caller, t, interaction)?;
    let kind = activity_resource(t).ok_or_else(|| {
        FhirError::NotFound(format!("{t}/{id}/_history: {t} is not versioned here"))
    })?;
    let current = activity::find(conn, uuid_of(t, id)?, &scope)
        .await?
        .ok_or_else(|| not_found(t, id))?;
    let stored = activity::history(conn, current.id).await?;
    audit_read(conn, caller.actor(), "fhir_history", &[&current]).await?;
    let mut out = Vec::with_capacity(stored.len());
    for v in stored {
        let a: Activity = serde_json::from_value(v.snapshot).map_err(|e| {
            crate::domain::DomainError::internal(format!("version {} of {id}: {e}", v.version))
        })?;
        out.push((a, v.changed_at));
    }
    Ok((kind, out))
}

/// One stored version (`GET [type]/[id]/_history/[vid]`).
pub async fn vread(
    conn: &mut AsyncPgConnection,
    caller: &Caller,
    server: &Server<'_>,
    t: ResourceType,
    id: &str,
    vid: &str,
) -> FhirResult<Value> {
    let (kind, all) = versions(conn, caller, t, id, Interaction::Vread).await?;
    all.iter()
        .find(|(a, _)| a.version.to_string() == vid)
        .and_then(|(a, _)| kind.map(a, server.trust))
        .ok_or_else(|| FhirError::NotFound(format!("{t}/{id}/_history/{vid}")))
}

/// Every version, newest first (`GET [type]/[id]/_history`).
pub async fn history(
    conn: &mut AsyncPgConnection,
    caller: &Caller,
    server: &Server<'_>,
    t: ResourceType,
    id: &str,
) -> FhirResult<Value> {
    let (kind, all) = versions(conn, caller, t, id, Interaction::HistoryInstance).await?;
    let mapped: Vec<(Value, _)> = all
        .iter()
        .filter_map(|(a, at)| kind.map(a, server.trust).map(|r| (r, *at)))
        .collect();
    if mapped.is_empty() {
        return Err(not_found(t, id));
    }
    Ok(bundle::history(server.base, mapped))
}
