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
    let lo = format!(
        "least((date_trunc('{g}', ({from})::timestamp - interval '1 day') + interval '1 {g}')::date, {to})"
    );
    let hi = format!("greatest(date_trunc('{g}', ({to})::timestamp)::date, {lo})");
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
