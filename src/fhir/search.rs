//! The search parameters the FHIR API takes, read strictly: a parameter
//! it does not serve, a modifier, a malformed date or id, or a `_count`
//! out of range is refused with the parameter's name, never ignored (a
//! trust system that asked for a filter must not get everything instead).

use chrono::{DateTime, Datelike, Months, NaiveDate, TimeZone, Utc};
use uuid::Uuid;

use super::access::ResourceType;
use crate::pagination::{DEFAULT_LIMIT, MAX_LIMIT};

/// A search parameter that cannot be served: which, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchError {
    pub param: String,
    pub message: String,
}

fn err(param: &str, message: impl Into<String>) -> SearchError {
    SearchError {
        param: param.to_string(),
        message: message.into(),
    }
}

/// An instant range: at or after `from`, before `to`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Bounds {
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
}

impl Bounds {
    /// Narrows to what is also within `other`.
    fn intersect(&mut self, other: Bounds) {
        // `None` orders before any instant, so the later start wins.
        self.from = self.from.max(other.from);
        self.to = match (self.to, other.to) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
    }
}

/// The resources an `_include` adds to a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Include {
    /// The Patient (or Group) the resources are about.
    Subject,
    /// The ward's Location.
    Location,
}

/// A search, read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Search {
    pub ids: Vec<Uuid>,
    pub last_updated: Bounds,
    pub date: Bounds,
    pub patient: Option<Uuid>,
    pub location: Option<Uuid>,
    /// The FHIR status code asked for.
    pub status: Option<String>,
    /// NHS number or trust reference, for Patient.
    pub identifier: Option<String>,
    pub count: i64,
    pub include: Vec<Include>,
    /// The opaque keyset cursor of a `next` link.
    pub cursor: Option<String>,
}

/// The parameters each type serves (beside `_count`, `_cursor`, `_format`).
pub fn params_of(t: ResourceType) -> &'static [&'static str] {
    match t {
        ResourceType::Encounter | ResourceType::Procedure => &[
            "_id",
            "_lastUpdated",
            "patient",
            "subject",
            "date",
            "location",
            "status",
            "_include",
        ],
        ResourceType::Group => &["_id", "_lastUpdated", "member"],
        ResourceType::Patient => &["_id", "identifier"],
        ResourceType::QuestionnaireResponse => {
            &["_id", "_lastUpdated", "patient", "subject", "authored"]
        }
        ResourceType::Observation => &["_id", "_lastUpdated", "patient", "subject", "date"],
        _ => &["_id"],
    }
}

/// The `_include` values each type serves.
pub fn includes_of(t: ResourceType) -> &'static [&'static str] {
    match t {
        ResourceType::Encounter => &[
            "Encounter:patient",
            "Encounter:subject",
            "Encounter:location",
        ],
        ResourceType::Procedure => &[
            "Procedure:patient",
            "Procedure:subject",
            "Procedure:location",
        ],
        _ => &[],
    }
}

/// A reference parameter: `123`, `Patient/123` or a full URL ending so.
fn reference(param: &str, value: &str, target: &str) -> Result<Uuid, SearchError> {
    let id = match value.rsplit_once('/') {
        Some((prefix, id)) if prefix == target || prefix.ends_with(&format!("/{target}")) => id,
        Some(_) => return Err(err(param, format!("must refer to a {target}"))),
        None => value,
    };
    Uuid::parse_str(id).map_err(|_| err(param, format!("{value:?} is not a {target} id")))
}

/// A FHIR date or dateTime with its prefix, as the instants it covers.
pub fn date_bounds(param: &str, value: &str) -> Result<Bounds, SearchError> {
    let (prefix, v) = match value.get(..2) {
        Some(p @ ("eq" | "ge" | "gt" | "le" | "lt")) => (p, &value[2..]),
        Some("ne" | "sa" | "eb" | "ap") => {
            return Err(err(
                param,
                "only the eq, ge, gt, le and lt prefixes are served",
            ))
        }
        _ => ("eq", value),
    };
    let bad = || err(param, format!("{value:?} is not a FHIR date or dateTime"));
    let (start, end) = if v.len() > 10 {
        let at = DateTime::parse_from_rfc3339(v)
            .map_err(|_| bad())?
            .with_timezone(&Utc);
        (at, at + chrono::Duration::milliseconds(1))
    } else {
        let parts: Vec<&str> = v.split('-').collect();
        let num = |s: &str, len: usize| {
            (s.len() == len && s.bytes().all(|b| b.is_ascii_digit()))
                .then(|| s.parse::<u32>().ok())
                .flatten()
                .ok_or_else(bad)
        };
        let (day, months) = match parts.as_slice() {
            [y] => (NaiveDate::from_ymd_opt(num(y, 4)? as i32, 1, 1), Some(12)),
            [y, m] => (
                NaiveDate::from_ymd_opt(num(y, 4)? as i32, num(m, 2)?, 1),
                Some(1),
            ),
            [y, m, d] => (
                NaiveDate::from_ymd_opt(num(y, 4)? as i32, num(m, 2)?, num(d, 2)?),
                None,
            ),
            _ => return Err(bad()),
        };
        let day = day.ok_or_else(bad)?;
        let end = match months {
            Some(n) => day.checked_add_months(Months::new(n)),
            None => day.succ_opt(),
        }
        .ok_or_else(bad)?;
        let utc = |d: NaiveDate| {
            Utc.with_ymd_and_hms(d.year(), d.month(), d.day(), 0, 0, 0)
                .unwrap()
        };
        (utc(day), utc(end))
    };
    Ok(match prefix {
        "ge" => Bounds {
            from: Some(start),
            to: None,
        },
        "gt" => Bounds {
            from: Some(end),
            to: None,
        },
        "le" => Bounds {
            from: None,
            to: Some(end),
        },
        "lt" => Bounds {
            from: None,
            to: Some(start),
        },
        _ => Bounds {
            from: Some(start),
            to: Some(end),
        },
    })
}

/// Reads a search's parameters for a type.
pub fn parse(t: ResourceType, pairs: &[(String, String)]) -> Result<Search, SearchError> {
    let mut s = Search {
        count: DEFAULT_LIMIT,
        ..Default::default()
    };
    for (name, value) in pairs {
        let name = name.as_str();
        let served = params_of(t).contains(&name);
        match name {
            "_count" => {
                s.count = value
                    .parse::<i64>()
                    .ok()
                    .filter(|n| (1..=MAX_LIMIT).contains(n))
                    .ok_or_else(|| {
                        err(
                            name,
                            format!("must be a whole number from 1 to {MAX_LIMIT}"),
                        )
                    })?;
            }
            "_cursor" => s.cursor = Some(value.clone()),
            "_format"
                if matches!(
                    value.as_str(),
                    "json" | "application/fhir+json" | "application/json"
                ) => {}
            "_format" => return Err(err(name, "only JSON is served")),
            _ if !served => {
                return Err(err(
                    name,
                    format!("{name:?} is not a search parameter of {t} here"),
                ))
            }
            "_id" => {
                for id in value.split(',') {
                    s.ids.push(
                        Uuid::parse_str(id.trim())
                            .map_err(|_| err(name, format!("{id:?} is not an id")))?,
                    );
                }
            }
            "_lastUpdated" => s.last_updated.intersect(date_bounds(name, value)?),
            "date" | "authored" => s.date.intersect(date_bounds(name, value)?),
            "patient" | "member" => s.patient = Some(reference(name, value, "Patient")?),
            "subject" => s.patient = Some(reference(name, value, "Patient")?),
            "location" => s.location = Some(reference(name, value, "Location")?),
            "status" => s.status = Some(value.clone()),
            "identifier" => {
                let v = value.rsplit_once('|').map_or(value.as_str(), |(_, v)| v);
                s.identifier = Some(v.to_string());
            }
            "_include" => {
                let which = match value.split(':').nth(1) {
                    Some("patient" | "subject") => Include::Subject,
                    Some("location") => Include::Location,
                    _ => return Err(err(name, format!("{value:?} is not served"))),
                };
                if !includes_of(t).contains(&value.as_str()) {
                    return Err(err(name, format!("{value:?} is not served for {t}")));
                }
                s.include.push(which);
            }
            _ => return Err(err(name, "not served")),
        }
    }
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(p: &[(&str, &str)]) -> Vec<(String, String)> {
        p.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn dates_cover_their_precision_and_prefixes_bound_them() {
        let d = date_bounds("date", "2026-11-02").unwrap();
        assert_eq!(d.from.unwrap().to_rfc3339(), "2026-11-02T00:00:00+00:00");
        assert_eq!(d.to.unwrap().to_rfc3339(), "2026-11-03T00:00:00+00:00");
        let m = date_bounds("date", "ge2026-11").unwrap();
        assert_eq!(m.from.unwrap().to_rfc3339(), "2026-11-01T00:00:00+00:00");
        assert_eq!(m.to, None);
        let y = date_bounds("date", "lt2026").unwrap();
        assert_eq!(y.to.unwrap().to_rfc3339(), "2026-01-01T00:00:00+00:00");
        let gt = date_bounds("date", "gt2026-11-02T10:00:00Z").unwrap();
        assert!(gt.from.unwrap() > "2026-11-02T10:00:00Z".parse::<DateTime<Utc>>().unwrap());
        for bad in [
            "2026-13-01",
            "2026-02-30",
            "yesterday",
            "ne2026",
            "2026-1-1",
            "2026-11-02T10:00",
        ] {
            assert!(date_bounds("date", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn unknown_parameters_modifiers_and_counts_out_of_range_are_refused_by_name() {
        let e = parse(ResourceType::Encounter, &pairs(&[("colour", "red")])).unwrap_err();
        assert_eq!(e.param, "colour");
        let e = parse(
            ResourceType::Encounter,
            &pairs(&[("status:not", "finished")]),
        )
        .unwrap_err();
        assert_eq!(e.param, "status:not");
        for n in ["0", "201", "ten"] {
            assert_eq!(
                parse(ResourceType::Encounter, &pairs(&[("_count", n)]))
                    .unwrap_err()
                    .param,
                "_count"
            );
        }
        let e = parse(ResourceType::Location, &pairs(&[("patient", "x")])).unwrap_err();
        assert_eq!(e.param, "patient");
        let e = parse(
            ResourceType::Encounter,
            &pairs(&[("_include", "Encounter:participant")]),
        )
        .unwrap_err();
        assert_eq!(e.param, "_include");
    }

    #[test]
    fn an_encounter_search_reads_its_filters() {
        let id = Uuid::now_v7();
        let s = parse(
            ResourceType::Encounter,
            &pairs(&[
                ("subject", &format!("Patient/{id}")),
                ("date", "ge2026-11-01"),
                ("date", "lt2026-12-01"),
                ("_count", "10"),
                ("_include", "Encounter:location"),
            ]),
        )
        .unwrap();
        assert_eq!(s.patient, Some(id));
        assert!(s.date.from.is_some() && s.date.to.is_some());
        assert_eq!(s.count, 10);
        assert_eq!(s.include, vec![Include::Location]);
        assert!(parse(
            ResourceType::Encounter,
            &pairs(&[("patient", "Location/x")])
        )
        .is_err());
    }
}
