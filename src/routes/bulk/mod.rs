//! FHIR Bulk Data export (Bulk Data Access IG v2) under `/fhir/R4`: the
//! kick-off (`$export`, `Group/{id}/$export`), the status URL a client
//! polls and may `DELETE`, and the NDJSON files. Every answer that is not
//! a success is a FHIR OperationOutcome ([`outcome`]). The rules, the job
//! and its runner are [`crate::domain::bulk_export`]'s.

pub mod files;
pub mod kick_off;
pub mod outcome;
pub mod status;

/// The path of an export's status URL, under the public base.
pub fn status_path(id: uuid::Uuid) -> String {
    format!("/fhir/R4/bulk-export/{id}")
}
