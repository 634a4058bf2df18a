//! Bundles (searchset and history) and OperationOutcomes, as FHIR JSON.

use chrono::{DateTime, Utc};
use serde::ser::SerializeSeq;
use serde::Serialize;
use serde_json::value::RawValue;
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

/// A match already serialised (a search page's Encounters are written
/// straight from the records, with no JSON tree in between).
pub struct RawMatch {
    pub type_name: &'static str,
    pub id: uuid::Uuid,
    pub body: Box<RawValue>,
}

#[derive(Serialize)]
struct LinkOut<'a> {
    relation: &'static str,
    url: &'a str,
}

#[derive(Serialize)]
struct ModeOut {
    mode: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct EntryOut<'a, R: Serialize + ?Sized> {
    full_url: String,
    resource: &'a R,
    search: ModeOut,
}

/// The entries: the serialised matches first, then the others in order.
struct EntriesOut<'a> {
    base: &'a str,
    raw: &'a [RawMatch],
    entries: &'a [Entry],
}

impl Serialize for EntriesOut<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.raw.len() + self.entries.len()))?;
        for m in self.raw {
            seq.serialize_element(&EntryOut {
                full_url: format!("{}/{}/{}", self.base, m.type_name, m.id),
                resource: &*m.body,
                search: ModeOut { mode: "match" },
            })?;
        }
        for e in self.entries {
            seq.serialize_element(&EntryOut {
                full_url: full_url(self.base, &e.resource),
                resource: &e.resource,
                search: ModeOut {
                    mode: if e.matched { "match" } else { "include" },
                },
            })?;
        }
        seq.end()
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SearchsetOut<'a> {
    resource_type: &'static str,
    #[serde(rename = "type")]
    kind: &'static str,
    meta: LastUpdatedOut,
    link: Vec<LinkOut<'a>>,
    entry: EntriesOut<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LastUpdatedOut {
    last_updated: String,
}

/// A searchset Bundle, written as JSON: `self` and, when more follow,
/// `next` (a keyset link, stable while records are written); the
/// serialised matches, then the other entries (matches, then includes).
pub fn searchset(
    base: &str,
    raw: &[RawMatch],
    entries: &[Entry],
    self_link: &str,
    next: Option<&str>,
) -> String {
    let mut link = vec![LinkOut {
        relation: "self",
        url: self_link,
    }];
    if let Some(n) = next {
        link.push(LinkOut {
            relation: "next",
            url: n,
        });
    }
    let bundle = SearchsetOut {
        resource_type: "Bundle",
        kind: "searchset",
        meta: LastUpdatedOut {
            last_updated: instant(Utc::now()),
        },
        link,
        entry: EntriesOut { base, raw, entries },
    };
    serde_json::to_string(&bundle).expect("a Bundle serialises")
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
        let id = uuid::Uuid::now_v7();
        let raw = RawMatch {
            type_name: "Encounter",
            id,
            body: serde_json::value::to_raw_value(
                &json!({ "resourceType": "Encounter", "id": id }),
            )
            .unwrap(),
        };
        let r = json!({ "resourceType": "Location", "id": "a" });
        let text = searchset(
            "http://x/fhir/R4",
            &[raw],
            &[Entry {
                resource: r,
                matched: false,
            }],
            "http://x/fhir/R4/Location",
            Some("http://x/fhir/R4/Location?_cursor=c"),
        );
        let b: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(b["resourceType"], "Bundle");
        assert_eq!(b["type"], "searchset");
        assert_eq!(
            b["entry"][0]["fullUrl"],
            format!("http://x/fhir/R4/Encounter/{id}")
        );
        assert_eq!(b["entry"][0]["resource"]["id"], id.to_string());
        assert_eq!(b["entry"][0]["search"]["mode"], "match");
        assert_eq!(b["entry"][1]["fullUrl"], "http://x/fhir/R4/Location/a");
        assert_eq!(b["entry"][1]["search"]["mode"], "include");
        assert_eq!(b["link"][1]["relation"], "next");
    }

    #[test]
    fn an_outcome_names_the_parameter() {
        let o = outcome("not-supported", "no", Some("colour"));
        assert_eq!(o["issue"][0]["expression"][0], "colour");
        assert_eq!(o["issue"][0]["severity"], "error");
    }
}
