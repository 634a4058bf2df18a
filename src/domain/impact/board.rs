//! The quarterly board report: for all wards and for each ward or service
//! line, the key figures of a quarter beside the quarter before, with a
//! few quotes the people agreed to share. Quarters are calendar quarters
//! (January, April, July, October), which are also the NHS financial
//! year's quarters (Q1 April to June).

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, Months, NaiveDate};
use diesel_async::AsyncPgConnection;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::count::share;
use super::ward_context::Sums;
use super::your_say::YOUR_SAY;
use super::{outcomes, Count, GroupBy, Groups, ImpactScope, ALL_WARDS};
use crate::domain::measures::definition::{MeasureDefinition, Scale};
use crate::domain::measures::stored_definition;
use crate::domain::{DomainError, DomainResult};
use crate::models::impact;

crate::text_enum! {
    /// How a figure moved from the quarter before.
    pub enum Trend {
        Up = "up",
        Down = "down",
        Same = "same",
    }
}

crate::text_enum! {
    /// What a figure counts, for showing it.
    pub enum Unit {
        Count = "count",
        Hours = "hours",
        Percent = "percent",
        HoursPerBedDay = "hours_per_bed_day",
    }
}

/// One figure of a section.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BoardFigure {
    pub key: String,
    pub label: String,
    pub unit: Unit,
    /// `null` when not known, or suppressed.
    pub value: Option<f64>,
    /// About 1 to 4 people: shown as "<5".
    pub suppressed: bool,
    pub previous: Option<f64>,
    pub previous_suppressed: bool,
    /// `null` when either quarter's figure is not shown.
    pub trend: Option<Trend>,
}

/// One page of the report: all wards, a ward or a service line.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BoardSection {
    pub group: String,
    pub figures: Vec<BoardFigure>,
    /// Up to three quotes the people agreed to share, newest first.
    pub quotes: Vec<String>,
}

/// The board report of a quarter.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BoardReport {
    #[schema(example = "October to December 2026 (Q3 2026/27)")]
    pub quarter: String,
    pub from: NaiveDate,
    /// First date not included.
    pub to: NaiveDate,
    pub previous_from: NaiveDate,
    pub group_by: GroupBy,
    /// "All wards" first, then each group.
    pub sections: Vec<BoardSection>,
}

/// The calendar quarter holding a date: its first day and the next's.
pub fn quarter_of(date: NaiveDate) -> (NaiveDate, NaiveDate) {
    let month0 = (date.month0() / 3) * 3;
    let from = NaiveDate::from_ymd_opt(date.year(), month0 + 1, 1).expect("a quarter's first day");
    (from, from + Months::new(3))
}

fn quarter_name(from: NaiveDate) -> String {
    let last = from + Months::new(2);
    // Financial quarters: April to June is Q1 of the year that starts in April.
    let fq = ((from.month0() / 3) + 3) % 4 + 1;
    let fy = if from.month() >= 4 {
        from.year()
    } else {
        from.year() - 1
    };
    format!(
        "{} to {} {} (Q{fq} {fy}/{:02})",
        from.format("%B"),
        last.format("%B"),
        last.year(),
        (fy + 1) % 100
    )
}

/// What one quarter's figures are made of, per group.
#[derive(Default)]
struct Quarter {
    sums: BTreeMap<String, Sums>,
    people: BTreeMap<String, i64>,
    /// Per group: responses, people, and per item (positive, scored, people).
    said: BTreeMap<String, Said>,
    outcomes: BTreeMap<String, Vec<super::OutcomeRow>>,
}

#[derive(Default)]
struct Said {
    responses: BTreeSet<Uuid>,
    people: BTreeSet<Uuid>,
    items: BTreeMap<String, (i64, i64, BTreeSet<Uuid>)>,
}

/// The top two scored values of an options scale: "good or very good".
fn positive_values(def: &MeasureDefinition, item: &str) -> Vec<i32> {
    let Some(Scale::Options(o)) = def.scale_of(item) else {
        return vec![];
    };
    let mut scored: Vec<i32> = o
        .options
        .iter()
        .filter(|x| !x.unscored)
        .map(|x| x.value)
        .collect();
    scored.sort_unstable_by(|a, b| b.cmp(a));
    scored.truncate(2);
    scored
}

async fn quarter(
    conn: &mut AsyncPgConnection,
    scope: &ImpactScope,
    groups: &Groups,
    def: &MeasureDefinition,
) -> DomainResult<Quarter> {
    let mut q = Quarter::default();
    let wards = scope.wards.as_deref();
    for m in impact::ward_months(conn, scope.from, scope.to, wards).await? {
        for g in groups.both(m.ward_id) {
            q.sums.entry(g).or_default().add(&m);
        }
    }
    for p in impact::people_supported(conn, scope.from, scope.to, wards).await? {
        let group = match (p.ward_id, p.service_line, scope.group_by) {
            (Some(w), _, GroupBy::Ward) => groups.of(w),
            (None, Some(line), GroupBy::ServiceLine) => line,
            (None, None, _) => ALL_WARDS.to_string(),
            _ => continue,
        };
        q.people.insert(group, p.people);
    }
    for r in impact::answered_items(conn, scope.from, scope.to, wards, YOUR_SAY).await? {
        for g in groups.both(r.ward_id) {
            let said = q.said.entry(g).or_default();
            said.responses.insert(r.response_id);
            said.people.insert(r.service_user_id);
            let (Some(item), Some(value)) = (&r.item, r.value) else {
                continue;
            };
            let scale = def.scale_of(item);
            if !scale.is_some_and(|s| s.scored(value)) {
                continue;
            }
            let e = said.items.entry(item.clone()).or_default();
            e.0 += i64::from(positive_values(def, item).contains(&value));
            e.1 += 1;
            e.2.insert(r.service_user_id);
        }
    }
    for row in outcomes(conn, scope).await? {
        q.outcomes.entry(row.group.clone()).or_default().push(row);
    }
    Ok(q)
}

/// A figure that is shown, suppressed, or not known.
#[derive(Clone, Copy, Default)]
struct Shown {
    value: Option<f64>,
    suppressed: bool,
}

fn plain(v: Option<f64>) -> Shown {
    Shown {
        value: v,
        suppressed: false,
    }
}

fn people(n: Option<i64>) -> Shown {
    let c = Count(n.unwrap_or(0));
    Shown {
        value: (!c.suppressed()).then_some(c.0 as f64),
        suppressed: c.suppressed(),
    }
}

fn figure(key: &str, label: &str, unit: Unit, now: Shown, before: Shown) -> BoardFigure {
    let trend = match (now.value, before.value) {
        (Some(a), Some(b)) if (a - b).abs() < 1e-9 => Some(Trend::Same),
        (Some(a), Some(b)) if a > b => Some(Trend::Up),
        (Some(_), Some(_)) => Some(Trend::Down),
        _ => None,
    };
    BoardFigure {
        key: key.to_string(),
        label: label.to_string(),
        unit,
        value: now.value,
        suppressed: now.suppressed,
        previous: before.value,
        previous_suppressed: before.suppressed,
        trend,
    }
}

fn figures(
    group: &str,
    now: &Quarter,
    before: &Quarter,
    def: &MeasureDefinition,
) -> Vec<BoardFigure> {
    let empty = Sums::default();
    let (s, p) = (
        now.sums.get(group).unwrap_or(&empty),
        before.sums.get(group).unwrap_or(&empty),
    );
    let n = |v: i64| plain(Some(v as f64));
    let on = |v: Option<i64>| plain(v.map(|x| x as f64));
    let mut out = vec![
        figure(
            "contacts",
            "Contacts recorded",
            Unit::Count,
            n(s.contacts),
            n(p.contacts),
        ),
        figure(
            "peer_support_hours",
            "Hours of peer support",
            Unit::Hours,
            plain(Some(s.hours())),
            plain(Some(p.hours())),
        ),
        figure(
            "people_supported",
            "People supported",
            Unit::Count,
            people(now.people.get(group).copied()),
            people(before.people.get(group).copied()),
        ),
        figure(
            "de_escalations",
            "De-escalations",
            Unit::Count,
            n(s.de_escalations),
            n(p.de_escalations),
        ),
        figure(
            "restraint_avoided",
            "De-escalations where restraint was avoided",
            Unit::Count,
            n(s.restraint_avoided),
            n(p.restraint_avoided),
        ),
        figure(
            "restraint_incidents",
            "Restraint incidents (trust incident system)",
            Unit::Count,
            on(s.restraint_incidents),
            on(p.restraint_incidents),
        ),
        figure(
            "escorted_leave",
            "Escorted leave",
            Unit::Count,
            n(s.escorted_leave),
            n(p.escorted_leave),
        ),
        figure(
            "leave_enabled",
            "Leave that would otherwise have been cancelled",
            Unit::Count,
            n(s.leave_enabled),
            n(p.leave_enabled),
        ),
        figure(
            "hours_per_occupied_bed_day",
            "Hours of peer support per occupied bed day",
            Unit::HoursPerBedDay,
            plain(s.hours_per_bed_day()),
            plain(p.hours_per_bed_day()),
        ),
    ];
    let said = |q: &Quarter| q.said.get(group).map(|s| s.people.len() as i64);
    out.push(figure(
        "your_say_people",
        "People who gave their say",
        Unit::Count,
        people(said(now)),
        people(said(before)),
    ));
    for item in &def.items {
        let pct = |q: &Quarter| {
            let (pos, all, ppl) = q
                .said
                .get(group)
                .and_then(|s| s.items.get(&item.id))
                .map_or((0, 0, 0), |(a, b, c)| (*a, *b, c.len() as i64));
            plain(share(pos, all, ppl))
        };
        let labels: Vec<String> = match def.scale_of(&item.id) {
            Some(Scale::Options(o)) => positive_values(def, &item.id)
                .iter()
                .filter_map(|v| {
                    o.options
                        .iter()
                        .find(|x| x.value == *v)
                        .map(|x| x.label.to_lowercase())
                })
                .collect(),
            _ => vec![],
        };
        let label = format!("“{}”: {}", item.text, labels.join(" or "));
        out.push(figure(
            &format!("your_say_{}", item.id),
            &label,
            Unit::Percent,
            pct(now),
            pct(before),
        ));
    }
    for row in now.outcomes.get(group).into_iter().flatten() {
        let prev = before.outcomes.get(group).and_then(|rows| {
            rows.iter()
                .find(|r| r.measure == row.measure && r.score == row.score)
        });
        let improved = |c: Count| people(Some(c.0));
        out.push(figure(
            &format!("improved_{}_{}", row.measure, row.score),
            &format!(
                "People improved: {} ({})",
                row.label,
                row.measure.to_uppercase()
            ),
            Unit::Count,
            improved(row.improved),
            prev.map_or(Shown::default(), |r| improved(r.improved)),
        ));
    }
    out
}

/// The board report of the quarter holding `date`.
pub async fn board(
    conn: &mut AsyncPgConnection,
    date: NaiveDate,
    wards: Option<Vec<Uuid>>,
    group_by: GroupBy,
) -> DomainResult<BoardReport> {
    let (from, to) = quarter_of(date);
    let previous_from = from - Months::new(3);
    let (_, def) = stored_definition(conn, YOUR_SAY, None)
        .await?
        .ok_or_else(|| DomainError::internal("the your_say measure is not installed"))?;
    let scope = ImpactScope {
        from,
        to,
        wards: wards.clone(),
        group_by,
    };
    let before_scope = ImpactScope {
        from: previous_from,
        to: from,
        wards,
        group_by,
    };
    let groups = Groups::load(conn, &scope).await?;
    let now = quarter(conn, &scope, &groups, &def).await?;
    let before = quarter(conn, &before_scope, &groups, &def).await?;
    let quotes = super::quotes(conn, &scope).await?;
    let all_quotes = super::quotes(
        conn,
        &ImpactScope {
            group_by: GroupBy::Ward,
            ..scope.clone()
        },
    )
    .await?;
    let mut names: BTreeSet<String> = now.sums.keys().chain(now.people.keys()).cloned().collect();
    names.remove(ALL_WARDS);
    let sections = std::iter::once(ALL_WARDS.to_string())
        .chain(names)
        .map(|group| {
            let pick: Vec<String> = if group == ALL_WARDS {
                all_quotes.iter().take(3).map(|q| q.quote.clone()).collect()
            } else {
                quotes
                    .iter()
                    .filter(|q| q.group == group)
                    .take(3)
                    .map(|q| q.quote.clone())
                    .collect()
            };
            BoardSection {
                figures: figures(&group, &now, &before, &def),
                quotes: pick,
                group,
            }
        })
        .collect();
    Ok(BoardReport {
        quarter: quarter_name(from),
        from,
        to,
        previous_from,
        group_by,
        sections,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quarters_are_named_as_the_nhs_financial_year_names_them() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        assert_eq!(quarter_of(d(2026, 11, 17)), (d(2026, 10, 1), d(2027, 1, 1)));
        assert_eq!(
            quarter_name(d(2026, 10, 1)),
            "October to December 2026 (Q3 2026/27)"
        );
        assert_eq!(
            quarter_name(d(2027, 1, 1)),
            "January to March 2027 (Q4 2026/27)"
        );
        assert_eq!(
            quarter_name(d(2026, 4, 1)),
            "April to June 2026 (Q1 2026/27)"
        );
    }
}
