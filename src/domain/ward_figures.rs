//! Loading ward-level figures per month (restraint incidents, occupied bed
//! days, discharges) from the trust's other systems, as JSON rows or a CSV
//! file. A load is all or nothing: every row is checked first, every fault
//! named by its row (or CSV line) and column, and only a clean load is
//! written, replacing the months it names (so loading the same file twice
//! changes nothing).

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, NaiveDate, Utc};
use diesel_async::{AsyncConnection, AsyncPgConnection};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::access::Actor;
use crate::audit::{self, AuditActor, AuditEvent};
use crate::domain::{DomainError, DomainResult};
use crate::models::ward;
use crate::models::ward_figures::{self, WardFigures};
use crate::validate::Errors;

/// The columns of a CSV load, in order.
pub const CSV_HEADER: [&str; 5] = [
    "ward_code",
    "month",
    "restraint_incidents",
    "occupied_bed_days",
    "discharges",
];

/// One ward's month, as loaded.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WardFiguresRow {
    /// The ward's peerlog code.
    #[schema(example = "ADULT-ASH")]
    pub ward_code: String,
    /// `YYYY-MM`; not after the current month.
    #[schema(example = "2026-10")]
    pub month: String,
    #[schema(minimum = 0, maximum = 100000)]
    pub restraint_incidents: i64,
    #[schema(minimum = 0, maximum = 100000)]
    pub occupied_bed_days: i64,
    #[schema(minimum = 0, maximum = 100000)]
    pub discharges: i64,
}

/// A JSON load.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WardFiguresLoad {
    /// 1 to 5,000 rows.
    pub rows: Vec<WardFiguresRow>,
}

/// What a load did.
#[derive(Debug, Serialize, ToSchema)]
pub struct WardFiguresLoaded {
    /// Rows written (new months and replaced ones).
    pub loaded: usize,
}

const MAX_ROWS: usize = 5000;

/// Where a row came from, to name its faults: `rows[i]` or `lines[n]`.
#[derive(Debug, Clone, Copy)]
enum Origin {
    Json(usize),
    Csv(usize),
}

impl Origin {
    fn at(self, column: &str) -> String {
        match self {
            Origin::Json(i) => format!("rows[{i}].{column}"),
            Origin::Csv(n) => format!("lines[{n}].{column}"),
        }
    }
}

/// Loads JSON rows.
pub async fn load_json(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    load: WardFiguresLoad,
) -> DomainResult<WardFiguresLoaded> {
    let rows = load
        .rows
        .into_iter()
        .enumerate()
        .map(|(i, r)| (Origin::Json(i), r))
        .collect();
    load_rows(conn, actor, rows, Errors::new(), "json").await
}

/// Loads a CSV file whose header is [`CSV_HEADER`]; faults are named by
/// line number (the header is line 1).
pub async fn load_csv(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    body: &[u8],
) -> DomainResult<WardFiguresLoaded> {
    let (rows, errors) = parse_csv(body)?;
    load_rows(conn, actor, rows, errors, "csv").await
}

/// A value that was not a number in the file (already reported).
const NOT_A_NUMBER: i64 = i64::MIN;

/// The rows of a CSV file, and the faults of its lines found so far.
fn parse_csv(body: &[u8]) -> DomainResult<(Vec<(Origin, WardFiguresRow)>, Errors)> {
    let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(body);
    let header = reader
        .headers()
        .map_err(|_| DomainError::field("lines[1]", "invalid_csv", "the file is not readable CSV"))?
        .clone();
    if header.iter().collect::<Vec<_>>() != CSV_HEADER {
        return Err(DomainError::field(
            "lines[1]",
            "wrong_header",
            format!("the first line must be: {}", CSV_HEADER.join(",")),
        ));
    }
    let mut rows = Vec::new();
    let mut errors = Errors::new();
    for (i, record) in reader.records().enumerate() {
        let line = i + 2;
        let record = match record {
            Ok(r) if r.len() == CSV_HEADER.len() => r,
            _ => {
                errors.add(
                    format!("lines[{line}]"),
                    "invalid_csv",
                    "needs exactly five comma-separated values",
                );
                continue;
            }
        };
        let mut number = |col: usize| -> i64 {
            record[col].parse::<i64>().unwrap_or_else(|_| {
                errors.add(
                    format!("lines[{line}].{}", CSV_HEADER[col]),
                    "not_a_number",
                    "must be a whole number",
                );
                NOT_A_NUMBER
            })
        };
        let row = WardFiguresRow {
            restraint_incidents: number(2),
            occupied_bed_days: number(3),
            discharges: number(4),
            ward_code: record[0].to_string(),
            month: record[1].to_string(),
        };
        rows.push((Origin::Csv(line), row));
    }
    Ok((rows, errors))
}

async fn load_rows(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    rows: Vec<(Origin, WardFiguresRow)>,
    mut errors: Errors,
    format: &'static str,
) -> DomainResult<WardFiguresLoaded> {
    if rows.is_empty() && errors.is_empty() || rows.len() > MAX_ROWS {
        return Err(DomainError::field(
            "rows",
            "out_of_range",
            format!("a load has 1 to {MAX_ROWS} rows"),
        ));
    }
    let codes: BTreeSet<String> = rows.iter().map(|(_, r)| r.ward_code.clone()).collect();
    let known: BTreeMap<String, Uuid> = ward::ids_by_code(conn, codes).await?.into_iter().collect();
    let now = Utc::now();
    let this_month =
        NaiveDate::from_ymd_opt(now.year(), now.month(), 1).expect("a month's first day");
    let mut seen = BTreeSet::new();
    let mut out = Vec::with_capacity(rows.len());
    for (origin, r) in rows {
        let ward_id = known.get(&r.ward_code).copied();
        if ward_id.is_none() {
            errors.add(
                origin.at("ward_code"),
                "unknown_ward",
                "no ward has this code",
            );
        }
        let month = NaiveDate::parse_from_str(&format!("{}-01", r.month), "%Y-%m-%d").ok();
        match month {
            None => errors.add(
                origin.at("month"),
                "invalid",
                "a month as YYYY-MM, e.g. 2026-10",
            ),
            Some(m) if m > this_month => errors.add(
                origin.at("month"),
                "in_the_future",
                "a month that has begun",
            ),
            Some(m) if m.year() < 2000 => {
                errors.add(origin.at("month"), "out_of_range", "from 2000 on")
            }
            Some(m) => {
                if let Some(w) = ward_id {
                    if !seen.insert((w, m)) {
                        errors.add(
                            origin.at("month"),
                            "duplicate",
                            "this ward and month are already in the load",
                        );
                    }
                }
            }
        }
        let mut count = |column: &str, v: i64| -> i32 {
            if !(0..=100_000).contains(&v) {
                if v != NOT_A_NUMBER {
                    errors.add(
                        origin.at(column),
                        "out_of_range",
                        "a whole number from 0 to 100000",
                    );
                }
                return 0;
            }
            v as i32
        };
        let restraint_incidents = count("restraint_incidents", r.restraint_incidents);
        let occupied_bed_days = count("occupied_bed_days", r.occupied_bed_days);
        let discharges = count("discharges", r.discharges);
        if let (Some(ward_id), Some(month)) = (ward_id, month) {
            out.push(WardFigures {
                ward_id,
                month,
                restraint_incidents,
                occupied_bed_days,
                discharges,
                loaded_by: actor.id,
                loaded_at: now,
            });
        }
    }
    errors.finish()?;
    let by = AuditActor::user(actor.id, actor.role, &actor.meta);
    conn.transaction::<_, DomainError, _>(async move |conn| {
        let loaded = ward_figures::upsert(conn, &out).await?;
        let months: BTreeSet<NaiveDate> = out.iter().map(|r| r.month).collect();
        audit::record(
            conn,
            &by,
            AuditEvent::new("load", "ward_figures", format!("{} rows", out.len())).details(
                serde_json::json!({
                    "format": format,
                    "rows": out.len(),
                    "wards": out.iter().map(|r| r.ward_id).collect::<BTreeSet<_>>(),
                    "first_month": months.first(),
                    "last_month": months.last(),
                }),
            ),
        )
        .await?;
        Ok(WardFiguresLoaded { loaded })
    })
    .await
}

/// Ward figures of a period's months, within a ward scope.
pub async fn list(
    conn: &mut AsyncPgConnection,
    from: NaiveDate,
    to: NaiveDate,
    wards: Option<Vec<Uuid>>,
) -> DomainResult<Vec<WardFigures>> {
    let from = NaiveDate::from_ymd_opt(from.year(), from.month(), 1).expect("first of month");
    Ok(ward_figures::list(conn, from, to, wards.as_deref()).await?)
}
