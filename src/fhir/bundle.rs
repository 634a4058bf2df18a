//! Bundles (searchset and history) and OperationOutcomes, as FHIR JSON.

use chrono::{DateTime, Utc};
use serde_json::{json, Value};

use super::instant;

/// One entry of a searchset: a match or an included resource.
pub struct Entry {
    pub resource: Value,
    /// `true` for a match, `false` for an `_include`d resource.
    pub matched: bool,
}

/// The absolute URL of a resource on a server base.
fn full_url(base: &str, resource: &Value) -> String {
    format!(
        "{base}/{}/{}",
        resource["resourceType"].as_str().unwrap_or_default(),
        resource["id"].as_str().unwrap_or_default()
    )
}

/// A searchset Bundle: `self` and, when more follow, `next` (a keyset
/// link, stable while records are written).
pub fn searchset(base: &str, entries: Vec<Entry>, self_link: &str, next: Option<String>) -> Value {
    let mut links = vec![json!({ "relation": "self", "url": self_link })];
    if let Some(n) = next {
        links.push(json!({ "relation": "next", "url": n }));
    }
    let entries: Vec<Value> = entries
        .into_iter()
        .map(|e| {
            json!({
                "fullUrl": full_url(base, &e.resource),
                "resource": e.resource,
                "search": { "mode": if e.matched { "match" } else { "include" } },
            })
        })
        .collect();
    json!({
        "resourceType": "Bundle",
        "type": "searchset",
        "meta": { "lastUpdated": instant(Utc::now()) },
        "link": links,
        "entry": entries,
    })
}

/// A history Bundle of one resource's versions, newest first, each with
/// the instant it was made and how (`POST` first, `PUT` after).
pub fn history(base: &str, versions: Vec<(Value, DateTime<Utc>)>) -> Value {
    let total = versions.len();
    let entries: Vec<Value> = versions
        .into_iter()
        .rev()
        .map(|(r, at)| {
            let method = if r["meta"]["versionId"] == "1" {
                "POST"
            } else {
                "PUT"
            };
            let url = format!(
                "{}/{}",
                r["resourceType"].as_str().unwrap_or_default(),
                r["id"].as_str().unwrap_or_default()
            );
            json!({
                "fullUrl": full_url(base, &r),
                "resource": r,
                "request": { "method": method, "url": url },
                "response": { "status": "200", "lastModified": instant(at) },
            })
        })
        .collect();
    json!({ "resourceType": "Bundle", "type": "history", "total": total, "entry": entries })
}

/// A collection of everything held about one person (`$everything`).
pub fn everything(base: &str, resources: Vec<Value>) -> Value {
    let entries: Vec<Value> = resources
        .into_iter()
        .map(|r| json!({ "fullUrl": full_url(base, &r), "resource": r }))
        .collect();
    json!({
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": instant(Utc::now()),
        "entry": entries,
    })
}

/// An OperationOutcome of one error: its FHIR issue type, what went wrong,
/// and (for a search parameter) which.
pub fn outcome(code: &str, diagnostics: &str, expression: Option<&str>) -> Value {
    let mut issue = json!({ "severity": "error", "code": code, "diagnostics": diagnostics });
    if let Some(e) = expression {
        issue["expression"] = json!([e]);
    }
    json!({ "resourceType": "OperationOutcome", "issue": [issue] })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_searchset_marks_matches_and_includes_and_links_next() {
        let r = json!({ "resourceType": "Location", "id": "a" });
        let b = searchset(
            "http://x/fhir/R4",
            vec![Entry {
                resource: r,
                matched: false,
            }],
            "http://x/fhir/R4/Location",
            Some("http://x/fhir/R4/Location?_cursor=c".into()),
        );
        assert_eq!(b["type"], "searchset");
        assert_eq!(b["entry"][0]["fullUrl"], "http://x/fhir/R4/Location/a");
        assert_eq!(b["entry"][0]["search"]["mode"], "include");
        assert_eq!(b["link"][1]["relation"], "next");
    }

    #[test]
    fn an_outcome_names_the_parameter() {
        let o = outcome("not-supported", "no", Some("colour"));
        assert_eq!(o["issue"][0]["expression"][0], "colour");
        assert_eq!(o["issue"][0]["severity"], "error");
    }
}
