//! `Patient/{id}/$everything`: everything peerlog holds about one person,
//! for a subject access request. The Patient, then for every activity
//! naming them (entered in error included) each stored version of its
//! Encounter, Procedure and Group, as a collection Bundle (versions of one
//! resource share a `fullUrl` and differ by `meta.versionId`), then their
//! answers to measures as QuestionnaireResponses and Observations. Only the
//! roles the trust approved may call it, within their ward scope, and the
//! call is audited with the activities it returned.

use diesel_async::AsyncPgConnection;
use serde_json::Value;
use uuid::Uuid;

use super::{not_found, uuid_of, FhirResult, Server};
use crate::access::Role;
use crate::audit::{self, AuditActor, AuditEvent};
use crate::fhir::access::{authorise, Caller, Interaction, ResourceType};
use crate::fhir::bundle;
use crate::fhir::resources::{self, ActivityResource};
use crate::models::activity::{self, Activity, ActivityFilter, ActivityStatus};
use crate::models::service_user;
use crate::pagination::MAX_LIMIT;

/// Every activity naming the person within the scope, every status.
async fn activities_of(
    conn: &mut AsyncPgConnection,
    scope: &crate::access::WardScope,
    person: Uuid,
) -> FhirResult<Vec<Activity>> {
    let mut all = Vec::new();
    for status in [None, Some(ActivityStatus::EnteredInError)] {
        let filter = ActivityFilter {
            service_user_id: Some(person),
            status,
            ..Default::default()
        };
        let mut after = None;
        loop {
            let mut page = activity::list(conn, scope, &filter, after, MAX_LIMIT).await?;
            let more = page.len() as i64 > MAX_LIMIT;
            page.truncate(MAX_LIMIT as usize);
            after = page.last().map(|a| (a.started_at, a.id));
            all.extend(page);
            if !more {
                break;
            }
        }
    }
    Ok(all)
}

/// The person's record as a collection Bundle.
pub async fn everything(
    conn: &mut AsyncPgConnection,
    caller: &Caller,
    server: &Server<'_>,
    approved: &[Role],
    id: &str,
) -> FhirResult<Value> {
    let t = ResourceType::Patient;
    let scope = authorise(caller, t, Interaction::Everything { approved })?;
    let person = service_user::find(conn, uuid_of(t, id)?, &scope)
        .await?
        .ok_or_else(|| not_found(t, id))?;
    let found = activities_of(conn, &scope, person.summary.id).await?;
    let (answers, answer_ids) = super::answers::of_person(conn, &scope, person.summary.id).await?;
    let actor = caller.actor();
    let ids: Vec<Uuid> = found.iter().map(|a| a.id).collect();
    audit::record_read(
        conn,
        &AuditActor::user(actor.id, actor.role, &actor.meta),
        AuditEvent::new("fhir_everything", "service_user", person.summary.id)
            .ward(Some(person.summary.ward_id))
            .details(serde_json::json!({
                "activity_ids": ids,
                "measure_response_ids": answer_ids,
            })),
    )
    .await?;
    let mut out = vec![resources::patient(&person, server.trust)];
    let kinds = [
        ActivityResource::Encounter,
        ActivityResource::Procedure,
        ActivityResource::Group,
    ];
    for current in &found {
        for v in activity::history(conn, current.id).await? {
            // A version that does not read back is left out, not guessed.
            let Ok(a) = serde_json::from_value::<Activity>(v.snapshot) else {
                log::warn!(
                    "stored version {} of activity {} does not parse",
                    v.version,
                    current.id
                );
                continue;
            };
            out.extend(kinds.iter().filter_map(|k| k.map(&a, server.trust)));
        }
    }
    out.extend(answers);
    Ok(bundle::everything(server.base, out))
}
