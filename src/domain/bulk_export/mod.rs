//! FHIR Bulk Data export (Bulk Data Access IG v2): a kick-off records a
//! job ([`kick_off`]), a background runner writes its NDJSON files
//! ([`run`]), and only the account that asked may poll, download or
//! cancel it ([`own_job`], [`cancel`]).
//!
//! **Exactly once with `_since`.** A job fixes at kick-off its
//! `transactionTime` (the database's clock, to the millisecond) and the
//! outbox horizon then: every transaction below it had ended (see
//! `models::feed`). It exports the activities changed by transactions
//! below that horizon, each once, as it stood at the horizon. A later
//! export whose `_since` is that `transactionTime` starts at that horizon,
//! so a change lands in exactly one of the two, however the writes and
//! the exports interleave. A `_since` that no export reported is read as
//! a time (changes written after it). Patients, wards and the trust are
//! not in the outbox: with `_since` they are those updated after it.

pub mod run;

use chrono::{DateTime, Utc};
use diesel_async::{AsyncConnection, AsyncPgConnection};
use uuid::Uuid;

use crate::access::{Actor, WardScope};
use crate::audit::{self, AuditActor, AuditEvent};
use crate::domain::{DomainError, DomainResult};
use crate::fhir::access::{authorise, Caller, Interaction, ResourceType};
use crate::fhir::resources::ActivityResource;
use crate::models::activity;
use crate::models::bulk_export::{self as jobs, Job, JobStatus};

/// The resource types an export writes, in the order of its files.
pub const EXPORTED: [ResourceType; 6] = [
    ResourceType::Patient,
    ResourceType::Encounter,
    ResourceType::Procedure,
    ResourceType::Group,
    ResourceType::Location,
    ResourceType::Organization,
];

/// The `_outputFormat` values accepted (all meaning FHIR NDJSON).
const OUTPUT_FORMATS: [&str; 3] = ["application/fhir+ndjson", "application/ndjson", "ndjson"];

/// A kick-off request's parameters.
#[derive(Debug, Default)]
pub struct KickOff {
    pub types: Option<String>,
    pub since: Option<String>,
    pub output_format: Option<String>,
    /// `Group/{id}/$export`: the group session whose members to export.
    pub group_id: Option<Uuid>,
    /// The kick-off URL, for the manifest's `request`.
    pub request_url: String,
}

/// Records an export job for the actor; nothing runs until the runner
/// takes it. Refuses, naming the parameter: an unknown or unexported
/// `_type`, one the actor may not read (403), an `_outputFormat` other
/// than NDJSON, a `_since` that is not an instant or is in the future.
pub async fn kick_off(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    input: KickOff,
) -> DomainResult<Job> {
    if let Some(format) = input.output_format.as_deref() {
        if !OUTPUT_FORMATS.contains(&format) {
            return Err(DomainError::field(
                "_outputFormat",
                "unsupported",
                format!("{format:?} is not supported: use application/fhir+ndjson"),
            ));
        }
    }
    let caller = Caller::User(actor.clone());
    let types = resource_types(&caller, input.types.as_deref())?;
    let scope = actor.ward_scope();
    let since = input.since.as_deref().map(parse_since).transpose()?;
    if let Some(group) = input.group_id {
        let found = activity::find(conn, group, &scope).await?;
        if !found.is_some_and(|a| ActivityResource::Group.exists_for(&a)) {
            return Err(DomainError::NotFound);
        }
    }
    let audit_actor = AuditActor::user(actor.id, actor.role, &actor.meta);
    let requested_by = actor.id;
    conn.transaction::<_, DomainError, _>(async move |conn| {
        let (transaction_time, horizon) = now_and_horizon(conn).await?;
        if since.is_some_and(|s| s > transaction_time) {
            return Err(DomainError::field(
                "_since",
                "in_future",
                "_since is in the future",
            ));
        }
        let since_horizon = match since {
            Some(s) => jobs::horizon_at(conn, s).await?,
            None => None,
        };
        let job = Job {
            id: Uuid::now_v7(),
            requested_by,
            request_url: input.request_url,
            group_id: input.group_id,
            resource_types: types.iter().map(|t| t.as_str().to_string()).collect(),
            // A `_since` an export reported is its horizon, not a time.
            since: if since_horizon.is_some() { None } else { since },
            since_horizon: since_horizon.unwrap_or(0),
            ward_ids: match scope {
                WardScope::All => None,
                WardScope::Only(ids) => Some(ids),
            },
            transaction_time,
            horizon,
            status: JobStatus::Pending,
            progress: None,
            error: None,
            created_at: Utc::now(),
            completed_at: None,
            expires_at: None,
        };
        jobs::insert(conn, &job).await?;
        let event =
            AuditEvent::new("export", "fhir_bulk_export", job.id).details(serde_json::json!({
                "types": job.resource_types, "since": since, "group_id": job.group_id,
                "ward_ids": job.ward_ids,
            }));
        audit::record(conn, &audit_actor, event).await?;
        Ok(job)
    })
    .await
}

/// The types asked for (all the caller may read when `_type` is absent),
/// each known, exported and readable.
fn resource_types(caller: &Caller, asked: Option<&str>) -> DomainResult<Vec<ResourceType>> {
    let readable = |t: ResourceType| authorise(caller, t, Interaction::Read).is_ok();
    let Some(asked) = asked else {
        let all: Vec<_> = EXPORTED.into_iter().filter(|t| readable(*t)).collect();
        return if all.is_empty() {
            Err(DomainError::Forbidden)
        } else {
            Ok(all)
        };
    };
    let mut types = Vec::new();
    for name in asked.split(',').map(str::trim) {
        let Some(t) = ResourceType::parse(name).filter(|t| EXPORTED.contains(t)) else {
            return Err(DomainError::field(
                "_type",
                "unsupported_type",
                format!("{name:?} is not a resource type this server exports (Patient, Encounter, Procedure, Group, Location, Organization)"),
            ));
        };
        if !readable(t) {
            return Err(DomainError::Forbidden);
        }
        if !types.contains(&t) {
            types.push(t);
        }
    }
    // Files in the server's order, whatever the order asked.
    types.sort_by_key(|t| EXPORTED.iter().position(|e| e == t));
    Ok(types)
}

/// A FHIR instant (RFC 3339 with a time zone).
fn parse_since(text: &str) -> DomainResult<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| {
            DomainError::field(
                "_since",
                "invalid_instant",
                "_since must be a FHIR instant, e.g. 2026-12-01T09:00:00.000Z",
            )
        })
}

/// The database's clock to the millisecond and the outbox horizon, read in
/// one statement so the two describe one moment.
async fn now_and_horizon(conn: &mut AsyncPgConnection) -> DomainResult<(DateTime<Utc>, i64)> {
    use diesel_async::RunQueryDsl;
    #[derive(diesel::QueryableByName)]
    struct Moment {
        #[diesel(sql_type = diesel::sql_types::Timestamptz)]
        at: DateTime<Utc>,
        #[diesel(sql_type = diesel::sql_types::Text)]
        horizon: String,
    }
    let m: Moment = diesel::sql_query(
        "SELECT date_trunc('milliseconds', clock_timestamp()) AS at, \
                pg_snapshot_xmin(pg_current_snapshot())::text AS horizon",
    )
    .get_result(conn)
    .await?;
    let horizon = m.horizon.parse().map_err(DomainError::internal)?;
    Ok((m.at, horizon))
}

/// The actor's own job: another's, or one never made, is not found.
pub async fn own_job(conn: &mut AsyncPgConnection, actor: &Actor, id: Uuid) -> DomainResult<Job> {
    jobs::find(conn, id)
        .await?
        .filter(|j| j.requested_by == actor.id)
        .ok_or(DomainError::NotFound)
}

/// Cancels the actor's export (running, waiting or completed) and deletes
/// its files; after this its status URL answers 404. Audited.
pub async fn cancel(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    id: Uuid,
    dir: &std::path::Path,
) -> DomainResult<()> {
    let job = own_job(conn, actor, id).await?;
    let audit_actor = AuditActor::user(actor.id, actor.role, &actor.meta);
    conn.transaction::<_, DomainError, _>(async move |conn| {
        if !jobs::cancel(conn, job.id).await? {
            return Err(DomainError::NotFound);
        }
        audit::record(
            conn,
            &audit_actor,
            AuditEvent::new("cancel", "fhir_bulk_export", job.id),
        )
        .await?;
        Ok(())
    })
    .await?;
    run::remove_files(dir, id);
    Ok(())
}
