//! The FHIR read API's rules: which records a request reaches (through
//! `fhir::access::authorise`, the REST API's roles and ward scope), reading
//! them through the same queries as the REST API, mapping them with
//! `crate::fhir`, and auditing every read of a person's record as the REST
//! API does (actions `fhir_read`, `fhir_search`, `fhir_history`,
//! `fhir_include`, `fhir_everything`).

pub mod answers;
pub mod everything;
pub mod read;
pub mod search;

use diesel_async::AsyncPgConnection;
use uuid::Uuid;

use super::DomainError;
use crate::access::Actor;
use crate::audit::{self, AuditActor, AuditEvent};
use crate::fhir::access::{Denied, ResourceType};
use crate::fhir::search::SearchError;
use crate::fhir::Trust;
use crate::models::service_user::ServiceUser;

/// Why a FHIR request is not answered with what it asked for.
#[derive(Debug, thiserror::Error)]
pub enum FhirError {
    /// No such resource within the caller's scope (or at all).
    #[error("{0} not found")]
    NotFound(String),
    /// The caller's role may not do this.
    #[error("forbidden")]
    Denied,
    /// A search parameter that cannot be served.
    #[error("bad search parameter {}", .0.param)]
    Search(SearchError),
    /// The records could not be read.
    #[error(transparent)]
    Domain(#[from] DomainError),
}

impl From<diesel::result::Error> for FhirError {
    fn from(e: diesel::result::Error) -> Self {
        FhirError::Domain(e.into())
    }
}

impl From<Denied> for FhirError {
    fn from(_: Denied) -> Self {
        FhirError::Denied
    }
}

impl From<SearchError> for FhirError {
    fn from(e: SearchError) -> Self {
        FhirError::Search(e)
    }
}

/// The result of a FHIR operation.
pub type FhirResult<T> = Result<T, FhirError>;

/// What every FHIR operation needs beside the connection: the trust the
/// resources name and the server's base URL (for `fullUrl` and links).
pub struct Server<'a> {
    pub trust: &'a Trust,
    pub base: &'a str,
}

/// A resource id that is not one of ours (not a UUID) names nothing.
fn uuid_of(t: ResourceType, id: &str) -> FhirResult<Uuid> {
    Uuid::parse_str(id).map_err(|_| not_found(t, id))
}

fn not_found(t: ResourceType, id: &str) -> FhirError {
    FhirError::NotFound(format!("{t}/{id}"))
}

/// Audits reads of service users' records as Patients: one row for one,
/// one listing the ids for several, none for none.
async fn audit_patients(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    action: &str,
    people: &[ServiceUser],
) -> FhirResult<()> {
    let who = AuditActor::user(actor.id, actor.role, &actor.meta);
    let event = match people {
        [] => return Ok(()),
        [one] => {
            AuditEvent::new(action, "service_user", one.summary.id).ward(Some(one.summary.ward_id))
        }
        many => {
            let ids: Vec<Uuid> = many.iter().map(|p| p.summary.id).collect();
            let mut e = AuditEvent::new(action, "service_user", "")
                .details(serde_json::json!({ "service_user_ids": ids }));
            e.entity_id = None;
            e
        }
    };
    audit::record_read(conn, &who, event).await?;
    Ok(())
}
