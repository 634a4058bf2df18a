//! The rules every activity obeys, whatever its kind: times, ward, the
//! people named, the note. The kind's own rules are beside them
//! ([`super::kinds`]). Every failing field is reported at
//! once, by its JSON path.

use std::collections::HashSet;

use chrono::{DateTime, Datelike, Duration, Utc};
use diesel_async::AsyncPgConnection;
use uuid::Uuid;

use super::kinds::{Involvement, Span};
use super::rules;
use crate::access::Actor;
use crate::domain::DomainResult;
use crate::models::activity::kinds::{ActivityDetails, ReportColumns};
use crate::models::activity::store::ActivityColumns;
use crate::models::activity::{refs, Activity};
use crate::models::service_user;
use crate::validate::Errors;

/// How far ahead of the server's clock a tablet's times may be.
pub const CLOCK_SKEW_MINUTES: i64 = 5;
/// How long after discharge a service user may still be named in a record.
pub const DISCHARGE_GRACE_DAYS: i64 = 14;
/// The longest note, in characters.
pub const NOTE_MAX: usize = 2000;
/// The longest activity, in minutes.
pub const DURATION_MAX: i32 = 1440;
/// The most service users one activity may name.
pub const SERVICE_USERS_MAX: usize = 100;
/// The most co-workers one activity may name.
pub const CO_WORKERS_MAX: usize = 10;

/// Minutes from `start` to `end`, rounded to the nearest minute (at least 1):
/// the `duration_minutes` stored beside an `ended_at`.
pub fn minutes_between(start: DateTime<Utc>, end: DateTime<Utc>) -> i32 {
    let secs = (end - start).num_seconds();
    ((secs + 30) / 60).clamp(1, i64::from(i32::MAX)) as i32
}

/// An activity's fields as they will be stored, ready to check.
#[derive(Debug, Clone)]
pub struct Draft {
    pub ward_id: Uuid,
    pub started_at: DateTime<Utc>,
    pub ended_at: DateTime<Utc>,
    pub co_worker_ids: Vec<Uuid>,
    pub service_user_ids: Vec<Uuid>,
    pub note: Option<String>,
    pub details: ActivityDetails,
}

impl Draft {
    /// Minutes between start and end, rounded to the nearest minute (at least 1).
    pub fn duration_minutes(&self) -> i32 {
        minutes_between(self.started_at, self.ended_at)
    }

    /// The end time from `ended_at` or `duration_minutes`.
    pub fn end_of(
        started_at: DateTime<Utc>,
        ended_at: Option<DateTime<Utc>>,
        duration_minutes: Option<i32>,
        errors: &mut Errors,
    ) -> DateTime<Utc> {
        // No arithmetic on instants far outside any real record: chrono
        // would overflow, PostgreSQL would refuse.
        if !plausible(started_at) {
            errors.add("started_at", "out_of_range", PLAUSIBLE_YEARS);
            return started_at;
        }
        if ended_at.is_some_and(|end| !plausible(end)) {
            errors.add("ended_at", "out_of_range", PLAUSIBLE_YEARS);
            return started_at;
        }
        match (ended_at, duration_minutes) {
            // A record read back from the API carries both; they must agree.
            (Some(end), Some(m)) if end > started_at && minutes_between(started_at, end) == m => {
                end
            }
            (Some(_), Some(_)) => {
                errors.add(
                    "duration_minutes",
                    "mismatch",
                    "does not agree with `ended_at`; give one of them, or both as they agree",
                );
                started_at
            }
            (Some(end), None) => end,
            (None, Some(m)) if (1..=DURATION_MAX).contains(&m) => {
                started_at + Duration::minutes(i64::from(m))
            }
            (None, Some(_)) => {
                errors.add(
                    "duration_minutes",
                    "out_of_range",
                    format!("must be 1 to {DURATION_MAX}"),
                );
                started_at + Duration::minutes(1)
            }
            (None, None) => {
                errors.add(
                    "ended_at",
                    "required",
                    "give `ended_at` or `duration_minutes`",
                );
                started_at + Duration::minutes(1)
            }
        }
    }

    /// The columns to store, with the report columns the checks answered.
    pub fn columns(&self, report: ReportColumns) -> ActivityColumns<'_> {
        ActivityColumns {
            ward_id: self.ward_id,
            kind: self.details.kind(),
            started_at: self.started_at,
            ended_at: self.ended_at,
            duration_minutes: self.duration_minutes(),
            note: self.note.as_deref(),
            details: self.details.to_value(),
            restraint_avoided: report.restraint_avoided,
            staff_called: report.staff_called,
            leave_minutes: report.leave_minutes,
            returned_as_planned: report.returned_as_planned,
            attendees_named: report.attendees_named,
            attendees_unnamed: report.attendees_unnamed,
        }
    }

    fn span(&self, now: DateTime<Utc>) -> Span {
        Span {
            started_at: self.started_at,
            ended_at: self.ended_at,
            latest: now + Duration::minutes(CLOCK_SKEW_MINUTES),
            named: self.service_user_ids.len(),
        }
    }
}

/// Why an instant was refused as implausible.
pub const PLAUSIBLE_YEARS: &str = "must be in the years 1900 to 2200";

/// Whether an instant is within the years any real record can have.
pub fn plausible(t: DateTime<Utc>) -> bool {
    (1900..=2200).contains(&t.year())
}

/// What the checks compare against besides the draft itself.
pub struct CheckContext<'a> {
    pub actor: &'a Actor,
    pub now: DateTime<Utc>,
    pub max_age_days: i64,
    /// For an amendment: the record as it stands, whose unchanged values
    /// are not checked again against rules that depend on the clock or on
    /// where people are now.
    pub previous: Option<&'a Activity>,
}

fn check_ids(errors: &mut Errors, field: &str, ids: &[Uuid], max: usize) {
    if ids.len() > max {
        errors.add(field, "too_many", format!("at most {max}"));
    }
    for (i, id) in ids.iter().enumerate() {
        if ids[..i].contains(id) {
            errors.add(format!("{field}[{i}]"), "duplicate", "listed twice");
        }
    }
}

/// Checks a draft; answers the report columns to store, or a 422 naming
/// every field at fault.
pub async fn check(
    conn: &mut AsyncPgConnection,
    draft: &Draft,
    ctx: &CheckContext<'_>,
) -> DomainResult<ReportColumns> {
    let prev = ctx.previous;
    // The record's own recorder (on an amendment by a team leader, not the
    // caller) is never also a co-worker.
    let recorder = prev.map_or(ctx.actor.id, |p| p.recorded_by);
    let mut errors = check_fields(draft, ctx.now, ctx.max_age_days, prev, recorder);
    check_ward(conn, draft.ward_id, ctx, &mut errors).await?;
    check_service_users(conn, draft, prev, &mut errors).await?;
    check_co_workers(conn, draft, prev, &mut errors).await?;
    errors.finish()?;
    Ok(draft.details.report_columns(&draft.span(ctx.now)))
}

/// The draft as the cross-field rules read it: its times, the people it
/// names and its details, as the API spells them.
pub fn rules_view(draft: &Draft) -> serde_json::Value {
    use chrono::SecondsFormat::AutoSi;
    serde_json::json!({
        "started_at": draft.started_at.to_rfc3339_opts(AutoSi, true),
        "ended_at": draft.ended_at.to_rfc3339_opts(AutoSi, true),
        "service_user_ids": draft.service_user_ids,
        "details": draft.details.to_value(),
    })
}

/// Every check that needs only the draft and the clock (no database):
/// the shapes the schemas cannot state, then the declared cross-field
/// rules ([`super::rules`]), common and the kind's.
pub fn check_fields(
    draft: &Draft,
    now: DateTime<Utc>,
    max_age_days: i64,
    prev: Option<&Activity>,
    recorder: Uuid,
) -> Errors {
    let mut errors = Errors::new();
    let span = draft.span(now);
    let start_changed = prev.is_none_or(|p| p.started_at != draft.started_at);
    if start_changed
        && draft.started_at <= span.latest
        && draft.started_at < now - Duration::days(max_age_days)
    {
        errors.add(
            "started_at",
            "too_old",
            format!("cannot be more than {max_age_days} days ago"),
        );
    }
    if let Some(note) = &draft.note {
        if note.chars().count() > NOTE_MAX {
            errors.add(
                "note",
                "too_long",
                format!("must be at most {NOTE_MAX} characters"),
            );
        }
    }

    let kind = draft.details.kind();
    check_ids(
        &mut errors,
        "service_user_ids",
        &draft.service_user_ids,
        SERVICE_USERS_MAX,
    );
    match (kind.involvement(), draft.service_user_ids.len()) {
        (Involvement::None, n) if n > 0 => errors.add(
            "service_user_ids",
            "not_allowed",
            format!("`{kind}` names no service user"),
        ),
        (Involvement::One, n) if n != 1 => errors.add(
            "service_user_ids",
            "exactly_one",
            format!("`{kind}` names exactly one service user"),
        ),
        (Involvement::AtLeastOne, 0) => errors.add(
            "service_user_ids",
            "required",
            format!("`{kind}` names at least one service user"),
        ),
        _ => {}
    }
    check_ids(
        &mut errors,
        "co_worker_ids",
        &draft.co_worker_ids,
        CO_WORKERS_MAX,
    );
    if let Some(i) = draft.co_worker_ids.iter().position(|w| *w == recorder) {
        errors.add(
            format!("co_worker_ids[{i}]"),
            "is_recorder",
            "the recording worker is not a co-worker",
        );
    }
    draft.details.check(&span, &mut errors);
    rules::evaluate(rules::rules_of(kind), &rules_view(draft), now, &mut errors);
    errors
}

/// The ward exists, is active, and the caller records there. A ward outside
/// the caller's assignments reads as unknown, like everywhere else.
async fn check_ward(
    conn: &mut AsyncPgConnection,
    ward_id: Uuid,
    ctx: &CheckContext<'_>,
    errors: &mut Errors,
) -> DomainResult<()> {
    let active = refs::ward_active(conn, ward_id).await?;
    match active {
        Some(_) if !ctx.actor.ward_ids.contains(&ward_id) => {
            errors.add("ward_id", "not_found", "no such ward among your wards")
        }
        None => errors.add("ward_id", "not_found", "no such ward among your wards"),
        Some(false) if ctx.previous.is_none() => {
            errors.add("ward_id", "inactive", "the ward takes no new records")
        }
        _ => {}
    }
    Ok(())
}

/// Each newly named service user is on the ward, or left it at most
/// [`DISCHARGE_GRACE_DAYS`] before the activity.
async fn check_service_users(
    conn: &mut AsyncPgConnection,
    draft: &Draft,
    prev: Option<&Activity>,
    errors: &mut Errors,
) -> DomainResult<()> {
    let already: HashSet<Uuid> = prev
        .map(|p| p.service_user_ids.iter().copied().collect())
        .unwrap_or_default();
    let wanted: Vec<Uuid> = draft
        .service_user_ids
        .iter()
        .copied()
        .filter(|id| !already.contains(id))
        .collect();
    if wanted.is_empty() {
        return Ok(());
    }
    let found = service_user::by_ids(conn, &wanted).await?;
    let earliest = draft
        .started_at
        .checked_sub_signed(Duration::days(DISCHARGE_GRACE_DAYS))
        .unwrap_or(draft.started_at)
        .date_naive();
    for (i, id) in draft.service_user_ids.iter().enumerate() {
        if already.contains(id) {
            continue;
        }
        let field = format!("service_user_ids[{i}]");
        match found.iter().find(|s| s.id == *id) {
            None => errors.add(field, "not_found", "no such service user"),
            Some(s) if s.ward_id != draft.ward_id => {
                errors.add(field, "not_on_ward", "not on this ward")
            }
            Some(s) if s.discharged_on.is_some_and(|d| d < earliest) => errors.add(
                field,
                "discharged",
                format!("discharged more than {DISCHARGE_GRACE_DAYS} days before the activity"),
            ),
            Some(s) if s.admitted_on > draft.started_at.date_naive() => {
                errors.add(field, "not_yet_admitted", "admitted after the activity")
            }
            _ => {}
        }
    }
    Ok(())
}

/// Each newly named co-worker is an active peer worker on the ward.
async fn check_co_workers(
    conn: &mut AsyncPgConnection,
    draft: &Draft,
    prev: Option<&Activity>,
    errors: &mut Errors,
) -> DomainResult<()> {
    let already: Vec<Uuid> = prev.map(|p| p.co_worker_ids.clone()).unwrap_or_default();
    let wanted: Vec<Uuid> = draft
        .co_worker_ids
        .iter()
        .copied()
        .filter(|id| !already.contains(id))
        .collect();
    if wanted.is_empty() {
        return Ok(());
    }
    let eligible = refs::peer_workers_on_ward(conn, draft.ward_id, &wanted).await?;
    for (i, id) in draft.co_worker_ids.iter().enumerate() {
        if wanted.contains(id) && !eligible.contains(id) {
            errors.add(
                format!("co_worker_ids[{i}]"),
                "not_on_ward",
                "not a peer worker on this ward",
            );
        }
    }
    Ok(())
}
