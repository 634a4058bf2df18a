//! Location (UK Core): a ward, with its ODS site code where the trust has
//! given one.

use serde_json::{json, Value};

use super::meta;
use crate::fhir::{Trust, ODS_SITE_SYSTEM};
use crate::models::ward::Ward;

/// The Location of a ward: a physical ward of the trust, active while the
/// ward takes records.
pub fn location(w: &Ward, trust: &Trust) -> Value {
    let mut r = json!({
        "resourceType": "Location",
        "id": w.id.to_string(),
        "meta": meta(None, w.updated_at, Some("Location")),
        "status": if w.active { "active" } else { "inactive" },
        "name": w.name,
        "alias": [w.code],
        "mode": "instance",
        "physicalType": { "coding": [{
            "system": "http://terminology.hl7.org/CodeSystem/location-physical-type",
            "code": "wa", "display": "Ward",
        }]},
        "managingOrganization": trust.reference(),
    });
    if let Some(site) = &w.ods_site_code {
        r["identifier"] = json!([{ "system": ODS_SITE_SYSTEM, "value": site }]);
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fhir::resources::examples;

    #[test]
    fn a_ward_is_a_location_with_its_ods_site_code() {
        let l = location(&examples::ward(Some("RX4E4")), &examples::trust());
        assert_eq!(l["resourceType"], "Location");
        assert_eq!(l["identifier"][0]["system"], ODS_SITE_SYSTEM);
        assert_eq!(l["identifier"][0]["value"], "RX4E4");
        assert_eq!(l["status"], "active");
        assert_eq!(l["physicalType"]["coding"][0]["code"], "wa");
        let without = location(&examples::ward(None), &examples::trust());
        assert!(without.get("identifier").is_none());
    }
}
