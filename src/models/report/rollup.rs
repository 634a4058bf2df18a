//! Where the reports read their figures: the rollups the triggers and the
//! compactor keep (migrations `reports`, `rollup_deltas`, `report_spans`).
//!
//! A rollup source is a derived table of one period's rows, in one
//! snapshot: the compact rows plus the deltas not yet compacted, so the
//! figures are exact at every moment. The activity summary's sources read
//! whole weeks or months from the spans and only the days at either edge
//! of the period from the daily rollups; a year by month reads twelve
//! spans' rows per ward and kind instead of 365 days', and the days at
//! the edges from whole weeks where they can.

use super::{Dimension, ROLLUP_FILTER};

/// Whose distinct counts are kept per span (migrations
/// `report_span_counts` and `report_line_worker_counts`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Unit {
    /// People and workers per ward (and kind).
    Ward,
    /// People and workers per service line (and kind), over all its wards.
    Line,
    /// People per worker, over every ward and kind.
    Worker,
}

impl Unit {
    fn dimension(self) -> Dimension {
        match self {
            Unit::Ward => Dimension::Ward,
            Unit::Line => Dimension::ServiceLine,
            Unit::Worker => Dimension::Worker,
        }
    }
}

/// Whose kept distinct counts answer a grouping's people and workers, and
/// of which grain: grouped by a unit (ward, service line or worker) and by
/// week or by month (not both), by kind or not (not for a worker), and by
/// nothing else. A service line's and a worker's counts are over every
/// ward, so they answer only a period over every ward (`all_wards`). The
/// groups are then either whole spans, read from the counts, or the days
/// at either edge of the period, counted from their rows.
pub(super) fn counted_grain(dims: &[Dimension], all_wards: bool) -> Option<(Unit, &'static str)> {
    let grain = match (
        dims.contains(&Dimension::Week),
        dims.contains(&Dimension::Month),
    ) {
        (true, false) => "week",
        (false, true) => "month",
        _ => return None,
    };
    let unit = if dims.contains(&Dimension::Ward) {
        Unit::Ward
    } else if !all_wards {
        return None;
    } else if dims.contains(&Dimension::ServiceLine) {
        Unit::Line
    } else if dims.contains(&Dimension::Worker) {
        Unit::Worker
    } else {
        return None;
    };
    let fits = |d: &Dimension| match d {
        Dimension::Week | Dimension::Month => true,
        Dimension::Kind => unit != Unit::Worker,
        other => *other == unit.dimension(),
    };
    dims.iter().all(fits).then_some((unit, grain))
}

/// Distinct people (`who` = `people`) or workers (`workers`) per `unit`,
/// kind when `by_kind`, and span of `grain` (see [`counted_grain`]), as
/// rows `(<unit key>, [kind,] <grain>, n)` to be summed per group, where
/// the unit key is `ward_id`, `service_line` or `worker_id`. Parameters:
/// `$1` from, `$2` to, `$3` wards.
///
/// Three parts, each exact: the whole spans' kept counts; for the pending
/// deltas inside them, the moves they will make when compacted (a person
/// entering a span's set adds one, one leaving it takes one off, against
/// the sets as they stand: a line's set is the sum of its wards', a
/// worker's the sum over wards and kinds); and the days at either edge,
/// outside any whole span, counted from their rows as other groupings are.
pub(super) fn counted_distinct(who: &str, unit: Unit, grain: &str, by_kind: bool) -> String {
    let id = match who {
        "people" => "service_user_id",
        "workers" => "worker_id",
        other => unreachable!("no counts of {other}"),
    };
    let wards = "($3::uuid[] IS NULL OR r.ward_id = ANY($3))";
    let (lo, hi) = span_bounds(grain, "$1::date", "$2::date");
    // The unit's key column (in the counts and the summary's groups), its
    // key over a pending delta `r` (joined to its ward's service line
    // `sl`, as each branch of [`rollup_source`] is), the rollup its
    // pending deltas and edge days come from, and its kept counts.
    let (name, delta_key, line_join, rollup, counts) = match unit {
        Unit::Ward => ("ward_id", "r.ward_id", "", who, "report_span_counts"),
        Unit::Line => (
            "service_line",
            "sl.service_line",
            LINE_JOIN,
            who,
            "report_span_line_counts",
        ),
        Unit::Worker => (
            "worker_id",
            "r.worker_id",
            "",
            "worker_people",
            "report_span_worker_counts",
        ),
    };
    let (kind_col, kind_of_counts) = match (unit, by_kind) {
        (_, true) => ("r.kind, ", "AND r.kind <> ''"),
        (Unit::Worker, false) => ("", ""),
        (_, false) => ("", "AND r.kind = ''"),
    };
    let counts = format!(
        "SELECT r.{name}, {kind_col}r.start AS {grain}, r.{who} AS n FROM {counts} r \
         WHERE r.grain = '{grain}' AND r.start >= {lo} AND r.start < {hi} {kind_of_counts} AND {wards_of_counts}",
        wards_of_counts = if unit == Unit::Ward { wards } else { "true" },
    );
    // A person's (worker's) multiplicity in the unit's set as it stands.
    let set = match unit {
        Unit::Ward | Unit::Line => {
            let (sets, set_kind) = if by_kind {
                (format!("report_span_{who}"), " AND s.kind = d.kind")
            } else {
                (format!("report_span_ward_{who}"), "")
            };
            let in_unit = if unit == Unit::Ward {
                "s.ward_id = d.ward_id".to_string()
            } else {
                "s.ward_id IN (SELECT w.id FROM wards w WHERE w.service_line = d.service_line)"
                    .into()
            };
            format!(
                "SELECT coalesce(sum(s.activities), 0) AS activities FROM {sets} s \
                 WHERE s.grain = '{grain}' AND s.start = d.start AND {in_unit}{set_kind} AND s.{id} = d.{id}"
            )
        }
        Unit::Worker => format!(
            "SELECT coalesce(sum(s.activities), 0) AS activities FROM report_span_worker_people s \
             WHERE s.grain = '{grain}' AND s.start = d.start AND s.worker_id = d.worker_id \
               AND s.service_user_id = d.service_user_id"
        ),
    };
    let more = if by_kind { ", 4" } else { "" };
    let moves = format!(
        "SELECT d.{name}, {dkind}d.start AS {grain}, \
           (o.activities + d.activities > 0)::integer - (o.activities > 0)::integer AS n \
         FROM (SELECT {delta_key} AS {name}, {kind_col}report_span_start('{grain}', r.day) AS start, r.{id}, \
                 sum(r.activities) AS activities \
               FROM report_delta_{rollup} r{line_join} \
               WHERE r.day >= {lo} AND r.day < {hi} AND {wards} GROUP BY 1, 2, 3{more}) d \
         CROSS JOIN LATERAL ({set}) o",
        dkind = kind_col.replace("r.", "d."),
    );
    let cols = match unit {
        Unit::Ward => format!("r.ward_id, r.kind, r.{id}, r.activities"),
        Unit::Line => format!("r.ward_id, r.kind, r.{id}, r.activities, sl.service_line"),
        Unit::Worker => format!("r.ward_id, r.kind, r.worker_id, r.{id}, r.activities"),
    };
    let finer: &[&str] = if grain == "month" { &["week"] } else { &[] };
    let mut edges = compact_rows(rollup, &cols, line_join, finer, "$1::date", &lo);
    edges.extend(compact_rows(
        rollup, &cols, line_join, finer, &hi, "$2::date",
    ));
    edges.push(format!(
        "SELECT r.day, {cols} FROM report_delta_{rollup} r{line_join} \
         WHERE ((r.day >= $1 AND r.day < {lo}) OR (r.day >= {hi} AND r.day < $2)) AND {wards}"
    ));
    let edge = format!(
        "SELECT e.{name}, {ekind}e.{grain}, count(*)::integer AS n FROM ( \
           SELECT r.{name}, {kind_col}date_trunc('{grain}', r.day::timestamp)::date AS {grain}, r.{id} \
           FROM ({}) r GROUP BY 1, 2, 3{more} HAVING sum(r.activities) > 0) e \
         GROUP BY 1, 2{less}",
        edges.join(" UNION ALL "),
        ekind = kind_col.replace("r.", "e."),
        less = if by_kind { ", 3" } else { "" },
    );
    format!("{counts} UNION ALL {moves} UNION ALL {edge}")
}

/// The first and the last start of a whole span of `grain` inside the
/// days `[from, to)` (SQL date expressions): `lo` is the first span start
/// on or after `from`, `hi` the last on or before `to` (both `to` when no
/// span fits); the spans starting in `[lo, hi)` are the whole ones.
fn span_bounds(grain: &str, from: &str, to: &str) -> (String, String) {
    let lo = format!(
        "least((date_trunc('{grain}', ({from})::timestamp - interval '1 day') + interval '1 {grain}')::date, {to})"
    );
    let hi = format!("greatest(date_trunc('{grain}', ({to})::timestamp)::date, {lo})");
    (lo, hi)
}

/// Which spans can stand in for days when grouping by `dims`, largest
/// first: months, then weeks for the days at either edge of the period,
/// unless grouped by week (a month straddles weeks): then weeks alone; and
/// days only when grouped by both. A week read at an edge lies in one
/// month: each edge lies in one month (see [`compact_rows`]).
pub(super) fn span_grains(dims: &[Dimension]) -> &'static [&'static str] {
    match (
        dims.contains(&Dimension::Week),
        dims.contains(&Dimension::Month),
    ) {
        (true, true) => &[],
        (true, false) => &["week"],
        (false, _) => &["month", "week"],
    }
}

/// One period's rows of a rollup (`activities`, `workers`, `people` or
/// `worker_people`) as `(day, ward_id, kind, [worker_id,]
/// [service_user_id,] activities[, minutes])`, where `day` is the first
/// day of a span for the spans' rows. Parameters: `$1` from, `$2` to,
/// `$3` wards.
///
/// Pending deltas are per day and read for the whole period. The compact
/// rows are read by [`compact_rows`]: every day of the period once, from
/// the largest span that holds it whole, or from its own row.
///
/// With `line`, each row also carries its ward's `service_line`, joined in
/// each branch rather than once over their union, so that the planner
/// sees each branch's size and hashes the wards once per branch.
pub(super) fn rollup_source(rollup: &str, grains: &[&str], line: bool) -> String {
    let cols = match rollup {
        "activities" => "r.ward_id, r.kind, r.activities, r.minutes",
        "workers" => "r.ward_id, r.kind, r.worker_id, r.activities, r.minutes",
        "people" => "r.ward_id, r.kind, r.service_user_id, r.activities",
        "worker_people" => "r.ward_id, r.kind, r.worker_id, r.service_user_id, r.activities",
        other => unreachable!("no rollup {other}"),
    };
    let (cols, join) = if line {
        (format!("{cols}, sl.service_line"), LINE_JOIN)
    } else {
        (cols.to_string(), "")
    };
    let mut branches = compact_rows(rollup, &cols, join, grains, "$1::date", "$2::date");
    branches.push(format!(
        "SELECT r.day, {cols} FROM report_delta_{rollup} r{join} WHERE {ROLLUP_FILTER}"
    ));
    format!("({})", branches.join(" UNION ALL "))
}

/// The compact rows of the days `[from, to)` (SQL date expressions): the
/// whole spans of the first grain inside it, `[lo, hi)`, where `lo` is
/// the first span start on or after `from` and `hi` the last on or before
/// `to` (both `to` when no span fits), and the days of `[from, lo)` and
/// `[hi, to)` likewise from the next grain, or from the daily rows.
/// `[from, lo)` ends at the first span start after `from`, and `[hi, to)`
/// starts at the last before `to` (or is empty), so neither straddles a
/// span of this grain.
fn compact_rows(
    rollup: &str,
    cols: &str,
    join: &str,
    grains: &[&str],
    from: &str,
    to: &str,
) -> Vec<String> {
    let wards = "($3::uuid[] IS NULL OR r.ward_id = ANY($3))";
    let Some((g, finer)) = grains.split_first() else {
        return vec![format!(
            "SELECT r.day, {cols} FROM report_day_{rollup} r{join} \
             WHERE r.day >= {from} AND r.day < {to} AND {wards}"
        )];
    };
    let (lo, hi) = span_bounds(g, from, to);
    let mut rows = vec![format!(
        "SELECT r.start AS day, {cols} FROM report_span_{rollup} r{join} \
         WHERE r.grain = '{g}' AND r.start >= {lo} AND r.start < {hi} AND {wards}"
    )];
    rows.extend(compact_rows(rollup, cols, join, finer, from, &lo));
    rows.extend(compact_rows(rollup, cols, join, finer, &hi, to));
    rows
}

/// Joins a rollup row `r` to its ward's service line (`sl.service_line`).
const LINE_JOIN: &str = " JOIN wards sl ON sl.id = r.ward_id";

/// One period's rows of the kind reports' daily rollup for `kind`, compact
/// and pending: `(day, ward_id, kind, detail, activities, leave_minutes,
/// returned_as_planned, not_returned_as_planned, restraint_avoided,
/// staff_called, attendees_named, attendees_unnamed)`.
pub(super) fn kind_source(kind: &str) -> String {
    format!(
        "(SELECT * FROM report_day_kinds r WHERE r.kind = '{kind}' AND {ROLLUP_FILTER} \
         UNION ALL SELECT * FROM report_delta_kinds r WHERE r.kind = '{kind}' AND {ROLLUP_FILTER})"
    )
}
