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

/// The grain whose kept distinct counts (`report_span_counts`) answer a
/// grouping's people and workers: grouped by ward and by week or by month
/// (not both), by kind or not, and by nothing else. Its groups are then
/// either whole spans, read from the counts, or the days at either edge
/// of the period, counted from their rows.
pub(super) fn counted_grain(dims: &[Dimension]) -> Option<&'static str> {
    let only = dims.iter().all(|d| {
        matches!(
            d,
            Dimension::Ward | Dimension::Kind | Dimension::Week | Dimension::Month
        )
    });
    if !only || !dims.contains(&Dimension::Ward) {
        return None;
    }
    match (
        dims.contains(&Dimension::Week),
        dims.contains(&Dimension::Month),
    ) {
        (true, false) => Some("week"),
        (false, true) => Some("month"),
        _ => None,
    }
}

/// Distinct people (`who` = `people`) or workers (`workers`) per ward,
/// kind when `by_kind`, and span of `grain` (see [`counted_grain`]), as
/// rows `(ward_id, [kind,] <grain>, n)` to be summed per group.
/// Parameters: `$1` from, `$2` to, `$3` wards.
///
/// Three parts, each exact: the whole spans' kept counts; for the pending
/// deltas inside them, the moves they will make when compacted (a person
/// entering a span's set adds one, one leaving it takes one off, against
/// the sets as they stand); and the days at either edge, outside any
/// whole span, counted from their rows as other groupings are.
pub(super) fn counted_distinct(who: &str, grain: &str, by_kind: bool) -> String {
    let id = match who {
        "people" => "service_user_id",
        "workers" => "worker_id",
        other => unreachable!("no counts of {other}"),
    };
    let wards = "($3::uuid[] IS NULL OR r.ward_id = ANY($3))";
    let (lo, hi) = span_bounds(grain, "$1::date", "$2::date");
    let (kind_col, kind_of_counts, sets, set_kind) = if by_kind {
        (
            "r.kind, ",
            "r.kind <> ''",
            format!("report_span_{who}"),
            " AND s.kind = d.kind",
        )
    } else {
        ("", "r.kind = ''", format!("report_span_ward_{who}"), "")
    };
    let dkind = kind_col.replace("r.", "d.");
    let counts = format!(
        "SELECT r.ward_id, {kind_col}r.start AS {grain}, r.{who} AS n FROM report_span_counts r \
         WHERE r.grain = '{grain}' AND r.start >= {lo} AND r.start < {hi} AND {kind_of_counts} AND {wards}"
    );
    let moves = format!(
        "SELECT d.ward_id, {dkind}d.start AS {grain}, \
           (coalesce(s.activities, 0) + d.activities > 0)::integer \
           - (coalesce(s.activities, 0) > 0)::integer AS n \
         FROM (SELECT r.ward_id, {kind_col}report_span_start('{grain}', r.day) AS start, r.{id}, \
                 sum(r.activities)::integer AS activities \
               FROM report_delta_{who} r WHERE r.day >= {lo} AND r.day < {hi} AND {wards} \
               GROUP BY 1, 2, 3{more}) d \
         LEFT JOIN {sets} s ON s.grain = '{grain}' AND s.start = d.start AND s.ward_id = d.ward_id \
           {set_kind} AND s.{id} = d.{id}",
        more = if by_kind { ", 4" } else { "" },
    );
    let cols = format!("r.ward_id, r.kind, r.{id}, r.activities");
    let finer: &[&str] = if grain == "month" { &["week"] } else { &[] };
    let mut edges = compact_rows(who, &cols, finer, "$1::date", &lo);
    edges.extend(compact_rows(who, &cols, finer, &hi, "$2::date"));
    edges.push(format!(
        "SELECT r.day, {cols} FROM report_delta_{who} r \
         WHERE ((r.day >= $1 AND r.day < {lo}) OR (r.day >= {hi} AND r.day < $2)) AND {wards}"
    ));
    let edge = format!(
        "SELECT e.ward_id, {ekind}e.{grain}, count(*)::integer AS n FROM ( \
           SELECT r.ward_id, {kind_col}date_trunc('{grain}', r.day::timestamp)::date AS {grain}, r.{id} \
           FROM ({}) r GROUP BY 1, 2, 3{more} HAVING sum(r.activities) > 0) e \
         GROUP BY 1, 2{less}",
        edges.join(" UNION ALL "),
        ekind = kind_col.replace("r.", "e."),
        more = if by_kind { ", 4" } else { "" },
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
pub(super) fn rollup_source(rollup: &str, grains: &[&str]) -> String {
    let cols = match rollup {
        "activities" => "r.ward_id, r.kind, r.activities, r.minutes",
        "workers" => "r.ward_id, r.kind, r.worker_id, r.activities, r.minutes",
        "people" => "r.ward_id, r.kind, r.service_user_id, r.activities",
        "worker_people" => "r.ward_id, r.kind, r.worker_id, r.service_user_id, r.activities",
        other => unreachable!("no rollup {other}"),
    };
    let mut branches = compact_rows(rollup, cols, grains, "$1::date", "$2::date");
    branches.push(format!(
        "SELECT r.day, {cols} FROM report_delta_{rollup} r WHERE {ROLLUP_FILTER}"
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
fn compact_rows(rollup: &str, cols: &str, grains: &[&str], from: &str, to: &str) -> Vec<String> {
    let wards = "($3::uuid[] IS NULL OR r.ward_id = ANY($3))";
    let Some((g, finer)) = grains.split_first() else {
        return vec![format!(
            "SELECT r.day, {cols} FROM report_day_{rollup} r \
             WHERE r.day >= {from} AND r.day < {to} AND {wards}"
        )];
    };
    let (lo, hi) = span_bounds(g, from, to);
    let mut rows = vec![format!(
        "SELECT r.start AS day, {cols} FROM report_span_{rollup} r \
         WHERE r.grain = '{g}' AND r.start >= {lo} AND r.start < {hi} AND {wards}"
    )];
    rows.extend(compact_rows(rollup, cols, finer, from, &lo));
    rows.extend(compact_rows(rollup, cols, finer, &hi, to));
    rows
}

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
