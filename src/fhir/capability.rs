//! The CapabilityStatement served at `metadata`, made from the same lists
//! the API serves by ([`ResourceType::ALL`], [`params_of`], [`includes_of`]),
//! so it cannot claim what is not served.

use serde_json::{json, Value};

use super::access::ResourceType;
use super::search::{includes_of, params_of};
use super::{uk_core_profile, FHIR_VERSION};

/// The FHIR type of a search parameter.
fn param_type(name: &str) -> &'static str {
    match name {
        "_lastUpdated" | "date" | "authored" => "date",
        "patient" | "subject" | "location" | "member" => "reference",
        _ => "token",
    }
}

/// Whether a type is versioned here (mapped from activities).
fn versioned(t: ResourceType) -> bool {
    matches!(
        t,
        ResourceType::Encounter | ResourceType::Procedure | ResourceType::Group
    )
}

/// The server's CapabilityStatement, for a server at `base`.
pub fn capability_statement(base: &str, published: &str) -> Value {
    let resources: Vec<Value> = ResourceType::ALL
        .iter()
        .map(|t| {
            let mut interactions = vec![json!({ "code": "read" })];
            if versioned(*t) {
                interactions.push(json!({ "code": "vread" }));
                interactions.push(json!({ "code": "history-instance" }));
            }
            interactions.push(json!({ "code": "search-type" }));
            let params: Vec<Value> = params_of(*t)
                .iter()
                .filter(|p| **p != "_include")
                .map(|p| json!({ "name": p, "type": param_type(p) }))
                .collect();
            let mut r = json!({
                "type": t.as_str(),
                "interaction": interactions,
                "versioning": if versioned(*t) { "versioned" } else { "no-version" },
                "readHistory": versioned(*t),
                "searchParam": params,
            });
            if *t != ResourceType::Group {
                r["supportedProfile"] = json!([uk_core_profile(t.as_str())]);
            }
            if !includes_of(*t).is_empty() {
                r["searchInclude"] = json!(includes_of(*t));
            }
            if *t == ResourceType::Group {
                r["operation"] = json!([{
                    "name": "export",
                    "definition": "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/group-export",
                }]);
            }
            if *t == ResourceType::Patient {
                r["operation"] = json!([{
                    "name": "everything",
                    "definition": "http://hl7.org/fhir/OperationDefinition/Patient-everything",
                }]);
            }
            r
        })
        .collect();
    json!({
        "resourceType": "CapabilityStatement",
        "status": "active",
        "date": published,
        "publisher": "peerlog",
        "kind": "instance",
        "instantiates": ["http://hl7.org/fhir/uv/bulkdata/CapabilityStatement/bulk-data"],
        "software": { "name": "peerlog", "version": env!("CARGO_PKG_VERSION") },
        "implementation": { "description": "peerlog FHIR R4 read API (UK Core)", "url": base },
        "fhirVersion": FHIR_VERSION,
        "format": ["json"],
        "rest": [{
            "mode": "server",
            "security": {
                "service": [{ "coding": [{
                    "system": "http://terminology.hl7.org/CodeSystem/restful-security-service",
                    "code": "SMART-on-FHIR",
                }] }],
                "description": "A bearer token the REST API accepts (peerlog's own or the trust's OpenID Connect provider's), with the same roles and ward scope; or a SMART Backend Services token (client_credentials with a private_key_jwt assertion; see .well-known/smart-configuration), limited to its client's wards and scopes."
            },
            "resource": resources,
            "operation": [{
                "name": "export",
                "definition": "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/export",
            }],
        }],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn it_lists_every_served_type_with_its_interactions_and_parameters() {
        let c = capability_statement("http://x/fhir/R4", "2026-12-04");
        let rs = c["rest"][0]["resource"].as_array().unwrap();
        assert_eq!(rs.len(), ResourceType::ALL.len());
        let enc = rs.iter().find(|r| r["type"] == "Encounter").unwrap();
        assert_eq!(enc["versioning"], "versioned");
        assert!(enc["searchParam"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["name"] == "date" && p["type"] == "date"));
        assert_eq!(enc["searchInclude"][0], "Encounter:patient");
        let pat = rs.iter().find(|r| r["type"] == "Patient").unwrap();
        assert_eq!(pat["operation"][0]["name"], "everything");
        assert_eq!(pat["versioning"], "no-version");
        // Bulk Data export, at the system level and for Groups.
        assert_eq!(c["rest"][0]["operation"][0]["name"], "export");
        let group = rs.iter().find(|r| r["type"] == "Group").unwrap();
        assert_eq!(group["operation"][0]["name"], "export");
    }
}
