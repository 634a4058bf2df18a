//! peerlog's records as HL7 FHIR R4 resources, conforming to the UK Core
//! profiles (Group, which UK Core does not profile, to base R4).
//!
//! Everything here is pure: a domain record in, FHIR JSON out, no database
//! and no HTTP. The read API (`crate::domain::fhir`, `routes::fhir`) and
//! the bulk export both build their resources with these functions, so a
//! record reads the same whichever way a trust pulls it.
//!
//! - [`coding`]: the codings of the controlled vocabulary.
//! - [`resources`]: one function per resource type, and
//!   [`resources::activity_resources`] for a batch of activity rows.

pub mod access;
pub mod bundle;
pub mod capability;
pub mod coding;
pub mod resources;
pub mod search;

use chrono::{DateTime, Utc};

/// The media type of FHIR JSON.
pub const FHIR_JSON: &str = "application/fhir+json";

/// The FHIR version served.
pub const FHIR_VERSION: &str = "4.0.1";

/// The NHS number identifier system.
pub const NHS_NUMBER_SYSTEM: &str = "https://fhir.nhs.uk/Id/nhs-number";
/// The ODS organisation code identifier system.
pub const ODS_ORGANISATION_SYSTEM: &str = "https://fhir.nhs.uk/Id/ods-organization-code";
/// The ODS site code identifier system.
pub const ODS_SITE_SYSTEM: &str = "https://fhir.nhs.uk/Id/ods-site-code";
/// The system of the trust's own pseudonymous service-user references.
pub const SERVICE_USER_REFERENCE_SYSTEM: &str =
    "https://fhir.peerlog.org.uk/Id/service-user-reference";
/// The system of peerlog's account ids, for Practitioner identifiers.
pub const USER_ID_SYSTEM: &str = "https://fhir.peerlog.org.uk/Id/user";
/// The extension holding how many attended a group without being named.
pub const UNNAMED_ATTENDEES_EXTENSION: &str =
    "https://fhir.peerlog.org.uk/StructureDefinition/unnamed-attendees";

/// The UK Core profile URL of a resource type.
pub fn uk_core_profile(resource_type: &str) -> String {
    format!("https://fhir.hl7.org.uk/StructureDefinition/UKCore-{resource_type}")
}

pub use crate::ods::{is_ods_code, Trust};

/// A FHIR instant: RFC 3339 in UTC with seconds, written as the REST API
/// writes instants (fast: a page holds hundreds).
pub fn instant(at: DateTime<Utc>) -> String {
    crate::rfc3339::to_string(&at)
}
