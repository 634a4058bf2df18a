//! Where the reports read their figures: the rollups the triggers and the
//! compactor keep (migrations `reports`, `rollup_deltas`, `report_spans`).
//!
//! A rollup source is a derived table of one period's rows, in one
//! snapshot: the compact rows plus the deltas not yet compacted, so the
//! figures are exact at every moment. The activity summary's sources read
//! whole weeks or months from the spans and only the days at either edge
//! of the period from the daily rollups; a year by month reads twelve
//! spans' rows per ward and kind instead of 365 days'.

use super::{Dimension, ROLLUP_FILTER};

/// Which spans can stand in for days when grouping by `dims`: weeks when
/// grouped by week (and not month, which weeks straddle), months
/// otherwise (a week or a day falls in one month); days only when
/// grouped by both.
pub(super) fn span_grain(dims: &[Dimension]) -> Option<&'static str> {
    match (
        dims.contains(&Dimension::Week),
        dims.contains(&Dimension::Month),
    ) {
        (true, true) => None,
        (true, false) => Some("week"),
        (false, _) => Some("month"),
    }
}

/// One period's rows of a rollup (`activities`, `workers`, `people` or
/// `worker_people`) as `(day, ward_id, kind, [worker_id,]
/// [service_user_id,] activities[, minutes])`, where `day` is the first
/// day of a span for the spans' rows. Parameters: `$1` from, `$2` to,
/// `$3` wards.
///
/// The period `[$1, $2)` splits into `[$1, lo)`, the whole spans
/// `[lo, hi)` and `[hi, $2)`: `lo` is the first span start on or after
/// `$1` and `hi` the last span start on or before `$2` (both `$2` when no
/// span fits), so every day is read once, from a span or from its own row.
/// Pending deltas are per day and read for the whole period.
pub(super) fn rollup_source(rollup: &str, grain: Option<&str>) -> String {
    let cols = match rollup {
        "activities" => "r.ward_id, r.kind, r.activities, r.minutes",
        "workers" => "r.ward_id, r.kind, r.worker_id, r.activities, r.minutes",
        "people" => "r.ward_id, r.kind, r.service_user_id, r.activities",
        "worker_people" => "r.ward_id, r.kind, r.worker_id, r.service_user_id, r.activities",
        other => unreachable!("no rollup {other}"),
    };
    let pending =
        format!("SELECT r.day, {cols} FROM report_delta_{rollup} r WHERE {ROLLUP_FILTER}");
    let Some(g) = grain else {
        return format!(
            "(SELECT r.day, {cols} FROM report_day_{rollup} r WHERE {ROLLUP_FILTER} \
             UNION ALL {pending})"
        );
    };
    let wards = "($3::uuid[] IS NULL OR r.ward_id = ANY($3))";
    let lo = format!(
        "least((date_trunc('{g}', $1::timestamp - interval '1 day') + interval '1 {g}')::date, $2::date)"
    );
    let hi = format!("greatest(date_trunc('{g}', $2::timestamp)::date, {lo})");
    format!(
        "(SELECT r.start AS day, {cols} FROM report_span_{rollup} r \
           WHERE r.grain = '{g}' AND r.start >= {lo} AND r.start < {hi} AND {wards} \
         UNION ALL SELECT r.day, {cols} FROM report_day_{rollup} r \
           WHERE r.day >= $1 AND r.day < {lo} AND {wards} \
         UNION ALL SELECT r.day, {cols} FROM report_day_{rollup} r \
           WHERE r.day >= {hi} AND r.day < $2 AND {wards} \
         UNION ALL {pending})"
    )
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
