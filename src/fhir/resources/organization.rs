//! Organization (UK Core): the trust the deployment serves, by its ODS
//! organisation code (which is also its id).

use serde_json::{json, Value};

use crate::fhir::{uk_core_profile, Trust, ODS_ORGANISATION_SYSTEM};

/// The trust's Organization.
pub fn organization(trust: &Trust) -> Value {
    json!({
        "resourceType": "Organization",
        "id": trust.ods_code,
        "meta": { "profile": [uk_core_profile("Organization")] },
        "identifier": [{ "system": ODS_ORGANISATION_SYSTEM, "value": trust.ods_code }],
        "active": true,
        "type": [{ "coding": [{
            "system": "http://terminology.hl7.org/CodeSystem/organization-type",
            "code": "prov", "display": "Healthcare Provider",
        }]}],
        "name": trust.name,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fhir::resources::examples;

    #[test]
    fn the_trust_is_an_organization_with_its_ods_code() {
        let o = organization(&examples::trust());
        assert_eq!(o["id"], "RX4");
        assert_eq!(o["identifier"][0]["system"], ODS_ORGANISATION_SYSTEM);
        assert_eq!(o["name"], "Example Mental Health NHS Trust");
    }
}
