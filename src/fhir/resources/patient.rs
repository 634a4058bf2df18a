//! Patient (UK Core): a service user, by NHS number where the trust sent
//! one and by the trust's own pseudonymous reference always. No name, no
//! birth date: peerlog holds neither (it stores the least that serves), and
//! the display label (initials) is not a name.

use serde_json::{json, Value};

use super::meta;
use crate::fhir::{Trust, NHS_NUMBER_SYSTEM, SERVICE_USER_REFERENCE_SYSTEM};
use crate::models::service_user::ServiceUser;

/// The Patient of a service user. Their ward is not part of a Patient;
/// the Encounters say where they were seen.
pub fn patient(su: &ServiceUser, trust: &Trust) -> Value {
    let s = &su.summary;
    let mut identifiers = Vec::new();
    if let Some(nhs) = &su.nhs_number {
        identifiers.push(json!({ "system": NHS_NUMBER_SYSTEM, "value": nhs }));
    }
    identifiers.push(json!({
        "use": "secondary",
        "system": SERVICE_USER_REFERENCE_SYSTEM,
        "value": s.reference,
        "assigner": trust.reference(),
    }));
    json!({
        "resourceType": "Patient",
        "id": s.id.to_string(),
        "meta": meta(None, s.updated_at, Some("Patient")),
        "identifier": identifiers,
        "active": s.discharged_on.is_none(),
        "managingOrganization": trust.reference(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fhir::resources::examples;

    #[test]
    fn a_person_with_an_nhs_number_has_it_first_and_the_trust_reference_after() {
        let p = patient(&examples::person(Some("9434765919")), &examples::trust());
        assert_eq!(p["resourceType"], "Patient");
        assert_eq!(p["identifier"][0]["system"], NHS_NUMBER_SYSTEM);
        assert_eq!(p["identifier"][0]["value"], "9434765919");
        assert_eq!(p["identifier"][1]["value"], "RX4-000123");
        assert_eq!(p["managingOrganization"]["reference"], "Organization/RX4");
        assert_eq!(p["active"], true);
        assert!(p.get("name").is_none());
    }

    #[test]
    fn a_person_without_an_nhs_number_is_known_by_the_trust_reference() {
        let p = patient(&examples::person(None), &examples::trust());
        let ids = p["identifier"].as_array().unwrap();
        assert_eq!(ids.len(), 1);
        assert_eq!(ids[0]["system"], SERVICE_USER_REFERENCE_SYSTEM);
    }
}
