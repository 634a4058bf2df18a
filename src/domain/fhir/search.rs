//! Search (`GET [type]?…`): a searchset Bundle of one page, with a keyset
//! `next` link. Activities are read by the REST list's own query (one
//! ward's page on its index), newest start first; the page shown is
//! audited as the REST list is, and so are included Patients.

use diesel_async::AsyncPgConnection;
use uuid::Uuid;

use super::read::{activity_resource, read};
use super::{audit_patients, FhirError, FhirResult, Server};
use crate::access::WardScope;
use crate::domain::activities::audit_read;
use crate::fhir::access::{authorise, Caller, Interaction, ResourceType};
use crate::fhir::bundle::{self, Entry, RawMatch};
use crate::fhir::resources::{self, ActivityResource};
use crate::fhir::search::{parse, Include, Search, SearchError};
use crate::models::activity::{self, Activity, ActivityFilter, ActivityStatus, ListKey};
use crate::models::service_user::{self, ServiceUserFilter};
use crate::models::ward::{self, WardFilter};
use crate::pagination::{decode_cursor, encode_cursor};

/// A page's matches and includes, and the cursor of the next page.
struct Found {
    /// Matches already serialised (activities), shown first.
    raw: Vec<RawMatch>,
    entries: Vec<Entry>,
    next: Option<String>,
}

/// Answers a search of a type with the request's query pairs.
pub async fn search(
    conn: &mut AsyncPgConnection,
    caller: &Caller,
    server: &Server<'_>,
    t: ResourceType,
    pairs: &[(String, String)],
) -> FhirResult<String> {
    let scope = authorise(caller, t, Interaction::SearchType)?;
    let s = parse(t, pairs)?;
    let found = if t.is_personal_answer() {
        let (entries, next) = super::answers::search(conn, caller.actor(), &scope, t, &s).await?;
        Found {
            raw: vec![],
            entries,
            next,
        }
    } else if !s.ids.is_empty() {
        by_ids(conn, caller, server, t, &s.ids).await?
    } else if let Some(kind) = activity_resource(t) {
        activities(conn, caller, server, &scope, kind, &s).await?
    } else {
        match t {
            ResourceType::Patient => patients(conn, caller, server, &scope, &s).await?,
            ResourceType::Location => locations(conn, server, &scope, &s).await?,
            ResourceType::Organization => Found {
                raw: vec![],
                entries: vec![Entry {
                    resource: resources::organization(server.trust),
                    matched: true,
                }],
                next: None,
            },
            _ => {
                return Err(SearchError {
                    param: "_id".into(),
                    message: format!("{t} is searched by _id only"),
                }
                .into())
            }
        }
    };
    let query: Vec<String> = pairs
        .iter()
        .filter(|(k, _)| k != "_cursor")
        .map(|(k, v)| format!("{}={}", urlencode(k), urlencode(v)))
        .collect();
    let link = |extra: Option<&str>| {
        let mut q = query.clone();
        if let Some(c) = extra {
            q.push(format!("_cursor={c}"));
        }
        format!("{}/{t}?{}", server.base, q.join("&"))
    };
    let next = found.next.as_deref().map(|c| link(Some(c)));
    Ok(bundle::searchset(
        server.base,
        &found.raw,
        &found.entries,
        &link(None),
        next.as_deref(),
    ))
}

/// The keyset of a `next` link's `_cursor`, if the search has one.
fn cursor<K: serde::de::DeserializeOwned>(s: &Search) -> Result<Option<K>, SearchError> {
    s.cursor
        .as_deref()
        .map(|c| {
            decode_cursor(c).map_err(|_| SearchError {
                param: "_cursor".into(),
                message: "not a cursor this server gave".into(),
            })
        })
        .transpose()
}

/// Percent-encodes a query component.
fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b':' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// `_id=…`: each id read as a read would (scoped, audited); ids that do
/// not exist for the caller are simply not matched.
async fn by_ids(
    conn: &mut AsyncPgConnection,
    caller: &Caller,
    server: &Server<'_>,
    t: ResourceType,
    ids: &[Uuid],
) -> FhirResult<Found> {
    let mut entries = Vec::new();
    for id in ids {
        match read(conn, caller, server, t, &id.to_string()).await {
            Ok(resource) => entries.push(Entry {
                resource,
                matched: true,
            }),
            Err(FhirError::NotFound(_)) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(Found {
        raw: vec![],
        entries,
        next: None,
    })
}

/// The activity status a FHIR status asks for: `Some(None)` for the
/// records that happened, `Some(Some(EIE))` for those entered in error,
/// `None` for a valid status no record has.
fn status_filter(
    kind: ActivityResource,
    status: &str,
) -> Result<Option<Option<ActivityStatus>>, SearchError> {
    let (done, others): (&str, &[&str]) = match kind {
        ActivityResource::Encounter => (
            "finished",
            &[
                "planned",
                "arrived",
                "triaged",
                "in-progress",
                "onleave",
                "cancelled",
                "unknown",
            ],
        ),
        _ => (
            "completed",
            &[
                "preparation",
                "in-progress",
                "not-done",
                "on-hold",
                "stopped",
                "unknown",
            ],
        ),
    };
    match status {
        s if s == done => Ok(Some(None)),
        "entered-in-error" => Ok(Some(Some(ActivityStatus::EnteredInError))),
        s if others.contains(&s) => Ok(None),
        s => Err(SearchError {
            param: "status".into(),
            message: format!("{s:?} is not a {} status", kind.type_name()),
        }),
    }
}

async fn activities(
    conn: &mut AsyncPgConnection,
    caller: &Caller,
    server: &Server<'_>,
    scope: &WardScope,
    kind: ActivityResource,
    s: &Search,
) -> FhirResult<Found> {
    let status = match &s.status {
        None => None,
        Some(code) => match status_filter(kind, code)? {
            Some(status) => status,
            None => {
                return Ok(Found {
                    raw: vec![],
                    entries: vec![],
                    next: None,
                })
            }
        },
    };
    let filter = ActivityFilter {
        ward_id: s.location,
        service_user_id: s.patient,
        from: s.date.from,
        to: s.date.to,
        updated_from: s.last_updated.from,
        updated_to: s.last_updated.to,
        status,
        ..Default::default()
    };
    let after: Option<ListKey> = cursor(s)?;
    let mut rows = activity::list(conn, scope, &filter, after, s.count).await?;
    let more = rows.len() as i64 > s.count;
    rows.truncate(s.count as usize);
    let next = more
        .then(|| rows.last().map(|a| encode_cursor(&(a.started_at, a.id))))
        .flatten();
    let shown: Vec<&Activity> = rows.iter().filter(|a| kind.exists_for(a)).collect();
    audit_read(conn, caller.actor(), "fhir_search", &shown).await?;
    let raw: Vec<RawMatch> = shown
        .iter()
        .filter_map(|a| kind.raw(a, server.trust))
        .collect();
    let mut entries: Vec<Entry> = Vec::new();
    if s.include.contains(&Include::Subject) {
        let groups = shown
            .iter()
            .filter_map(|a| ActivityResource::Group.map(a, server.trust));
        entries.extend(groups.map(|resource| Entry {
            resource,
            matched: false,
        }));
        let mut people: Vec<Uuid> = shown
            .iter()
            .filter(|a| !ActivityResource::Group.exists_for(a))
            .flat_map(|a| a.service_user_ids.iter().copied())
            .collect();
        people.sort();
        people.dedup();
        let found = service_user::records_by_ids(conn, &people, scope).await?;
        audit_patients(conn, caller.actor(), "fhir_include", &found).await?;
        entries.extend(found.iter().map(|p| Entry {
            resource: resources::patient(p, server.trust),
            matched: false,
        }));
    }
    if s.include.contains(&Include::Location) {
        let mut wards: Vec<Uuid> = shown.iter().map(|a| a.ward_id).collect();
        wards.sort();
        wards.dedup();
        let found = ward::by_ids(conn, &wards).await?;
        entries.extend(
            found
                .iter()
                .filter(|w| scope.contains(w.id))
                .map(|w| Entry {
                    resource: resources::location(w, server.trust),
                    matched: false,
                }),
        );
    }
    Ok(Found { raw, entries, next })
}

async fn patients(
    conn: &mut AsyncPgConnection,
    caller: &Caller,
    server: &Server<'_>,
    scope: &WardScope,
    s: &Search,
) -> FhirResult<Found> {
    let (people, next) = if let Some(v) = &s.identifier {
        (service_user::by_identifier(conn, v, scope).await?, None)
    } else {
        let after: Option<(String, Uuid)> = cursor(s)?;
        let mut page =
            service_user::list(conn, scope, &ServiceUserFilter::default(), after, s.count).await?;
        let more = page.len() as i64 > s.count;
        page.truncate(s.count as usize);
        let next = more
            .then(|| {
                page.last()
                    .map(|p| encode_cursor(&(p.display_label.clone(), p.id)))
            })
            .flatten();
        let ids: Vec<Uuid> = page.iter().map(|p| p.id).collect();
        let mut full = service_user::records_by_ids(conn, &ids, scope).await?;
        full.sort_by_key(|p| ids.iter().position(|i| *i == p.summary.id));
        (full, next)
    };
    audit_patients(conn, caller.actor(), "fhir_search", &people).await?;
    let entries = people
        .iter()
        .map(|p| Entry {
            resource: resources::patient(p, server.trust),
            matched: true,
        })
        .collect();
    Ok(Found {
        raw: vec![],
        entries,
        next,
    })
}

async fn locations(
    conn: &mut AsyncPgConnection,
    server: &Server<'_>,
    scope: &WardScope,
    s: &Search,
) -> FhirResult<Found> {
    let after: Option<String> = cursor(s)?;
    let mut wards = ward::list(
        conn,
        scope,
        &WardFilter::default(),
        after.as_deref(),
        s.count,
    )
    .await?;
    let more = wards.len() as i64 > s.count;
    wards.truncate(s.count as usize);
    let next = more
        .then(|| wards.last().map(|w| encode_cursor(&w.code)))
        .flatten();
    let entries = wards
        .iter()
        .map(|w| Entry {
            resource: resources::location(w, server.trust),
            matched: true,
        })
        .collect();
    Ok(Found {
        raw: vec![],
        entries,
        next,
    })
}
