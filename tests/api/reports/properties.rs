//! Property: every report, read from the rollups and their week and month
//! spans, equals a brute-force SQL over the raw activities and links, on
//! random histories: records on two wards and across the clocks going
//! forward, amendments that move them between days, weeks and months or
//! change their people, workers and kind measures, records marked entered
//! in error, late records from an offline tablet landing in spans already
//! compacted, concurrent writers, and the compactor run at random moments
//! (so pending deltas, both signs, are read as often as compact rows); a
//! person transferred between wards (in two wards' sets of one span), and
//! a ward moved to another service line and back (its sets with it).
//!
//! Each run is seeded (`PEERLOG_PROPERTY_SEED`, printed on failure) so a
//! failure can be replayed.

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use diesel::sql_types::{Array, BigInt, Date, Nullable, Text, Uuid as SqlUuid};
use diesel_async::RunQueryDsl;
use futures_util::future::join_all;
use peerlog::models::report::{
    self, DeEscalationRow, Dimension, EscortedLeaveRow, GroupRow, KindReport, Period, SummaryRow,
};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use serde::Serialize;
use serde_json::{json, Value};
use uuid::Uuid;

use super::Pilot;
use crate::activities::service_user;
use peerlog::auth::Role;

/// The groupings checked: every dimension, alone and in the combinations
/// the console asks for, and week with month (read from days only);
/// by ward, service line or worker and week or month, with or without
/// kind, from the kept counts.
const GROUPINGS: &[&[Dimension]] = &[
    &[],
    &[Dimension::Ward],
    &[Dimension::Ward, Dimension::Month],
    &[Dimension::ServiceLine, Dimension::Kind],
    &[Dimension::Worker],
    &[Dimension::Ward, Dimension::Week],
    &[Dimension::Month],
    &[Dimension::Week],
    &[Dimension::Kind, Dimension::Month],
    &[Dimension::Worker, Dimension::Month],
    &[Dimension::Worker, Dimension::Week],
    &[Dimension::Week, Dimension::Month],
    &[Dimension::ServiceLine, Dimension::Kind, Dimension::Month],
    &[Dimension::Ward, Dimension::Kind, Dimension::Month],
    &[Dimension::Kind, Dimension::Ward, Dimension::Week],
    &[Dimension::ServiceLine, Dimension::Month],
    &[Dimension::ServiceLine, Dimension::Week],
    &[Dimension::ServiceLine, Dimension::Kind, Dimension::Week],
];

/// One summary row as comparable text: its keys, then its four figures.
type Line = (String, i64, i64, i64, i64);

fn line(dims: &[Dimension], r: &SummaryRow) -> Line {
    let key: Vec<String> = dims
        .iter()
        .map(|d| match d {
            Dimension::Ward => r.ward_id.unwrap().to_string(),
            Dimension::ServiceLine => r.service_line.clone().unwrap(),
            Dimension::Kind => r.kind.clone().unwrap(),
            Dimension::Worker => r.worker_id.unwrap().to_string(),
            Dimension::Week => r.week.unwrap().to_string(),
            Dimension::Month => r.month.clone().unwrap(),
        })
        .collect();
    (
        key.join("|"),
        r.activities,
        r.minutes,
        r.service_users,
        r.workers,
    )
}

#[derive(diesel::QueryableByName)]
struct BruteLine {
    #[diesel(sql_type = Text)]
    key: String,
    #[diesel(sql_type = BigInt)]
    activities: i64,
    #[diesel(sql_type = BigInt)]
    minutes: i64,
    #[diesel(sql_type = BigInt)]
    service_users: i64,
    #[diesel(sql_type = BigInt)]
    workers: i64,
}

/// The activity summary worked out from the activities and their links
/// alone, with no rollup: counted records of the period, grouped, each
/// distinct count taken over the raw links.
fn brute_summary_sql(dims: &[Dimension]) -> String {
    let by_worker = dims.contains(&Dimension::Worker);
    let keys: Vec<&str> = dims
        .iter()
        .map(|d| match d {
            Dimension::Ward => "b.ward_id::text",
            Dimension::ServiceLine => "b.service_line",
            Dimension::Kind => "b.kind",
            Dimension::Worker => "b.worker_id::text",
            Dimension::Week => "date_trunc('week', b.day)::date::text",
            Dimension::Month => "to_char(b.day, 'YYYY-MM')",
        })
        .collect();
    let key = if keys.is_empty() {
        "''".to_string()
    } else {
        format!("concat_ws('|', {})", keys.join(", "))
    };
    let base = if by_worker { "x" } else { "a" };
    let workers = if by_worker {
        "SELECT key, 1::bigint AS n FROM t".to_string()
    } else {
        "SELECT k.key, count(DISTINCT w.id) AS n FROM k \
         CROSS JOIN LATERAL (SELECT k.recorded_by UNION ALL \
           SELECT c.user_id FROM activity_co_workers c WHERE c.activity_id = k.id) w(id) GROUP BY 1"
            .to_string()
    };
    format!(
        "WITH a AS (SELECT a.*, sl.service_line, (a.started_at AT TIME ZONE 'Europe/London')::date AS day \
           FROM activities a JOIN wards sl ON sl.id = a.ward_id \
           WHERE a.status <> 'entered_in_error' \
             AND (a.started_at AT TIME ZONE 'Europe/London')::date >= $1 \
             AND (a.started_at AT TIME ZONE 'Europe/London')::date < $2 \
             AND ($3::uuid[] IS NULL OR a.ward_id = ANY($3))), \
         x AS (SELECT a.*, w.worker_id FROM a CROSS JOIN LATERAL (SELECT a.recorded_by UNION ALL \
           SELECT c.user_id FROM activity_co_workers c WHERE c.activity_id = a.id) w(worker_id)), \
         k AS (SELECT b.*, {key} AS key FROM {base} b), \
         t AS (SELECT key, count(*) AS n, sum(duration_minutes)::bigint AS m FROM k GROUP BY 1), \
         p AS (SELECT k.key, count(DISTINCT s.service_user_id) AS n FROM k \
           JOIN activity_service_users s ON s.activity_id = k.id GROUP BY 1), \
         w AS ({workers}) \
         SELECT t.key, t.n AS activities, t.m AS minutes, coalesce(p.n, 0) AS service_users, \
           coalesce(w.n, 0) AS workers \
         FROM t LEFT JOIN p USING (key) LEFT JOIN w USING (key)"
    )
}

/// The kind reports as they were written before their rollup, straight
/// over the period's activities: the oracle for [`KindReport::sql`].
fn brute_kind_sql<R: KindReport>() -> String {
    const FILTER: &str = "a.status <> 'entered_in_error' \
        AND a.started_at >= ($1::timestamp AT TIME ZONE 'Europe/London') \
        AND a.started_at < ($2::timestamp AT TIME ZONE 'Europe/London') \
        AND ($3::uuid[] IS NULL OR a.ward_id = ANY($3))";
    const MONTH: &str =
        "to_char(date_trunc('month', a.started_at AT TIME ZONE 'Europe/London'), 'YYYY-MM')";
    match R::NAME {
        "de-escalation" => format!(
            "SELECT w.id AS ward_id, w.code AS ward_code, w.name AS ward_name, r.month, r.de_escalations, \
               r.restraint_avoided, round(r.restraint_avoided::numeric / r.de_escalations, 3)::float8 \
                 AS restraint_avoided_share, r.staff_called \
             FROM (SELECT a.ward_id, {MONTH} AS month, count(*) AS de_escalations, \
                 count(*) FILTER (WHERE a.restraint_avoided) AS restraint_avoided, \
                 count(*) FILTER (WHERE a.staff_called) AS staff_called \
               FROM activities a WHERE a.kind = 'de_escalation' AND {FILTER} GROUP BY 1, 2) r \
             JOIN wards w ON w.id = r.ward_id ORDER BY w.code, r.month"
        ),
        "escorted-leave" => format!(
            "SELECT w.id AS ward_id, w.code AS ward_code, w.name AS ward_name, r.month, r.episodes, \
               r.leave_hours, r.returned_as_planned, r.not_returned_as_planned \
             FROM (SELECT a.ward_id, {MONTH} AS month, count(*) AS episodes, \
                 round(sum(coalesce(a.leave_minutes, a.duration_minutes)) / 60.0, 2)::float8 AS leave_hours, \
                 count(*) FILTER (WHERE a.returned_as_planned) AS returned_as_planned, \
                 count(*) FILTER (WHERE NOT a.returned_as_planned) AS not_returned_as_planned \
               FROM activities a WHERE a.kind = 'escorted_leave' AND {FILTER} GROUP BY 1, 2) r \
             JOIN wards w ON w.id = r.ward_id ORDER BY w.code, r.month"
        ),
        _ => format!(
            "SELECT r.group_type, w.id AS ward_id, w.code AS ward_code, w.name AS ward_name, r.sessions, \
               r.named_attendance, r.unnamed_attendance, \
               round((r.named_attendance + r.unnamed_attendance)::numeric / r.sessions, 2)::float8 \
                 AS average_attendance \
             FROM (SELECT a.details->>'activity' AS group_type, a.ward_id, count(*) AS sessions, \
                 sum(a.attendees_named)::bigint AS named_attendance, \
                 sum(a.attendees_unnamed)::bigint AS unnamed_attendance \
               FROM activities a WHERE a.kind = 'group_session' AND {FILTER} GROUP BY 1, 2) r \
             JOIN wards w ON w.id = r.ward_id ORDER BY r.group_type, w.code"
        ),
    }
}

async fn load<R: diesel::QueryableByName<diesel::pg::Pg> + Send + 'static>(
    conn: &mut peerlog::db::DbConn,
    sql: &str,
    period: &Period,
) -> Vec<R> {
    diesel::sql_query(sql)
        .bind::<Date, _>(period.from)
        .bind::<Date, _>(period.to)
        .bind::<Nullable<Array<SqlUuid>>, _>(period.wards.clone())
        .load(conn)
        .await
        .unwrap()
}

async fn check_kind<R: KindReport + Serialize>(
    conn: &mut peerlog::db::DbConn,
    period: &Period,
    seed: u64,
) {
    let got = report::kind_report::<R>(conn, period).await.unwrap();
    let want: Vec<R> = load(conn, &brute_kind_sql::<R>(), period).await;
    assert_eq!(
        serde_json::to_value(&got).unwrap(),
        serde_json::to_value(&want).unwrap(),
        "{} over {period:?} (seed {seed})",
        R::NAME
    );
}

/// Every report over every period and grouping, against brute force.
async fn assert_reports_exact(p: &Pilot, periods: &[Period], seed: u64) {
    let mut conn = p.w.app.conn().await;
    for period in periods {
        for dims in GROUPINGS {
            let mut got: Vec<Line> = report::activity_summary(&mut conn, period, dims)
                .await
                .unwrap()
                .iter()
                .map(|r| line(dims, r))
                .collect();
            let mut want: Vec<Line> =
                load::<BruteLine>(&mut conn, &brute_summary_sql(dims), period)
                    .await
                    .into_iter()
                    .map(|b| (b.key, b.activities, b.minutes, b.service_users, b.workers))
                    .collect();
            got.sort();
            want.sort();
            assert_eq!(
                got, want,
                "summary by {dims:?} over {period:?} (seed {seed})"
            );
        }
        check_kind::<DeEscalationRow>(&mut conn, period, seed).await;
        check_kind::<EscortedLeaveRow>(&mut conn, period, seed).await;
        check_kind::<GroupRow>(&mut conn, period, seed).await;
    }
}

/// Random periods inside (and across the edges of) the history, with
/// month- and week-aligned ones among them, for every ward and for one.
fn periods(rng: &mut StdRng, ward: Uuid) -> Vec<Period> {
    let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    let mut spans = vec![
        (day(2025, 12, 1), day(2026, 7, 1)),
        (day(2025, 12, 29), day(2026, 6, 1)),
        (day(2026, 3, 29), day(2026, 3, 30)),
        // No whole month, and a whole week (30 March to 5 April)
        // straddling two months, with the pilot's records on either side.
        (day(2026, 3, 25), day(2026, 4, 8)),
        (day(2026, 1, 20), day(2026, 2, 10)),
    ];
    for _ in 0..4 {
        let from = day(2025, 12, 20) + Duration::days(rng.gen_range(0..170));
        spans.push((from, from + Duration::days(rng.gen_range(1..=200))));
    }
    spans
        .into_iter()
        .flat_map(|(from, to)| [None, Some(vec![ward])].map(|wards| Period { from, to, wards }))
        .collect()
}

const KINDS: [&str; 6] = [
    "one_to_one",
    "de_escalation",
    "escorted_leave",
    "group_session",
    "staff_support",
    "wellbeing",
];

/// A random instant from January to May 2026 (across the change of clocks).
fn instant(rng: &mut StdRng) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap()
        + Duration::minutes(rng.gen_range(0..150 * 24 * 60))
}

fn rfc3339(t: chrono::DateTime<Utc>) -> String {
    crate::activities::ts(t)
}

/// A random valid record on ASH (for `w1`, with `w2` as co-worker now and
/// then) or on OAK (for `w2`), for the people now on that ward.
fn random_body(
    p: &Pilot,
    rng: &mut StdRng,
    (ash_people, oak_people): (&[Uuid], &[Uuid]),
    on_ash: bool,
) -> Value {
    let kind = *KINDS.choose(rng).unwrap();
    let start = instant(rng);
    let minutes = rng.gen_range(5..180);
    let people: Vec<Uuid> = match (kind, on_ash) {
        ("staff_support", _) => vec![],
        (_, false) => vec![*oak_people.choose(rng).unwrap()],
        ("group_session" | "de_escalation", true) => {
            ash_people.choose_multiple(rng, 2).copied().collect()
        }
        _ => vec![*ash_people.choose(rng).unwrap()],
    };
    let ward = if on_ash { p.w.ward } else { p.w.other_ward };
    let mut body = p.body(kind, ward, &rfc3339(start), minutes, &people);
    match kind {
        "escorted_leave" => {
            body["details"]["departed_at"] = json!(rfc3339(start + Duration::minutes(1)));
            body["details"]["returned_at"] = json!(rfc3339(
                start + Duration::minutes(rng.gen_range(2..=minutes))
            ));
            body["details"]["returned_as_planned"] = json!(rng.gen_bool(0.7));
        }
        "de_escalation" => {
            body["details"]["restraint_avoided"] = json!(rng.gen_bool(0.6));
            body["details"]["staff_called"] = json!(rng.gen_bool(0.4));
        }
        "group_session" => {
            body["details"]["activity"] = json!(["music", "art", "walking"].choose(rng).unwrap());
            body["details"]["unnamed_attendees"] = json!(rng.gen_range(0..6));
        }
        _ => {}
    }
    if on_ash && rng.gen_bool(0.3) {
        body["co_worker_ids"] = json!([p.w2.id]);
    }
    body
}

/// A random amendment of a record on ASH: moved (to another day, week or
/// month), longer, other people, other co-workers, other kind measures;
/// or marked entered in error.
async fn random_change(p: &Pilot, rng: &mut StdRng, record: &Value, ash_people: &[Uuid]) {
    let kind = record["kind"].as_str().unwrap();
    let changes = match rng.gen_range(0..6) {
        0 => {
            p.w.void(record).await;
            return;
        }
        // Escorted leave keeps its times: its departure must fall in it.
        1 if kind != "escorted_leave" => {
            json!({ "reason": "moved", "started_at": rfc3339(instant(rng)) })
        }
        2 if kind != "escorted_leave" => {
            json!({ "reason": "longer", "duration_minutes": rng.gen_range(5..300) })
        }
        3 if kind != "staff_support" => {
            let n = if matches!(kind, "group_session" | "de_escalation") {
                2
            } else {
                1
            };
            let people: Vec<Uuid> = ash_people.choose_multiple(rng, n).copied().collect();
            json!({ "reason": "people corrected", "service_user_ids": people })
        }
        4 => {
            let co: Vec<Uuid> = if rng.gen_bool(0.5) {
                vec![p.w2.id]
            } else {
                vec![]
            };
            json!({ "reason": "co-workers corrected", "co_worker_ids": co })
        }
        _ if kind == "de_escalation" => {
            let mut details = record["details"].clone();
            details["restraint_avoided"] = json!(!details["restraint_avoided"].as_bool().unwrap());
            json!({ "reason": "outcome corrected", "details": details })
        }
        _ if kind == "group_session" => {
            let mut details = record["details"].clone();
            details["activity"] = json!("table_tennis");
            json!({ "reason": "group corrected", "details": details })
        }
        _ => json!({ "reason": "note", "note": "Corrected." }),
    };
    p.w.amend(record, changes).await;
}

async fn compact(p: &Pilot) {
    let mut conn = p.w.app.conn().await;
    peerlog::db::compact_rollups(&mut conn).await.unwrap();
}

/// Moves a person to another ward, as the trust's system does; their
/// earlier records stay on the ward they were on.
async fn transfer(p: &Pilot, reference: &str, ward: Uuid) {
    let integration = p.w.app.user(Role::Integration, &[]).await;
    p.w.app
        .put(
            &format!("/api/v1/service-users/{reference}"),
            &integration.token,
            &json!({ "display_label": "A.B.", "ward_id": ward, "admitted_on": "2020-01-01" }),
        )
        .await
        .assert_status(200);
}

/// Moves a ward to another service line, with its records.
async fn move_ward(p: &Pilot, ward: Uuid, line: &str) {
    let mut conn = p.w.app.conn().await;
    diesel::sql_query("UPDATE wards SET service_line = $1 WHERE id = $2")
        .bind::<Text, _>(line)
        .bind::<SqlUuid, _>(ward)
        .execute(&mut conn)
        .await
        .unwrap();
}

#[actix_web::test]
async fn every_report_equals_brute_force_over_the_raw_records_on_random_histories() {
    let seed: u64 = std::env::var("PEERLOG_PROPERTY_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| rand::thread_rng().gen());
    let mut rng = StdRng::seed_from_u64(seed);
    let p = Pilot::new().await;
    let p4 = service_user(&p.w.app, "RX-4", p.w.ward).await;
    let mut ash_people = vec![p.p1, p.p2, p4];
    let mut oak_people = vec![p.p3];
    let periods = periods(&mut rng, p.w.ward);
    assert_reports_exact(&p, &periods, seed).await;

    for round in 0..4 {
        match round {
            // RX-4 moves to OAK: their records on both wards, in one span.
            1 => {
                transfer(&p, "RX-4", p.w.other_ward).await;
                ash_people.retain(|id| *id != p4);
                oak_people.push(p4);
            }
            // OAK joins ASH's service line, while the compactor runs: the
            // line's sets merge (RX-4 once in the line, from two wards).
            2 => {
                futures_util::future::join(move_ward(&p, p.w.other_ward, "adult"), compact(&p))
                    .await;
                assert_reports_exact(&p, &periods, seed).await;
            }
            // And back.
            3 => {
                move_ward(&p, p.w.other_ward, "medium_secure").await;
                assert_reports_exact(&p, &periods, seed).await;
                move_ward(&p, p.w.other_ward, "adult").await;
            }
            _ => {}
        }
        // A tablet's queue at once (some of it late: the spans of its
        // months were compacted in earlier rounds), and OAK's records.
        let bodies: Vec<(Value, bool)> = (0..12)
            .map(|i| {
                let on_ash = i % 4 != 3;
                (
                    random_body(&p, &mut rng, (&ash_people, &oak_people), on_ash),
                    on_ash,
                )
            })
            .collect();
        let p = &p;
        let created: Vec<(Value, bool)> = join_all(bodies.iter().map(|(b, on_ash)| async move {
            let record = if *on_ash {
                p.w.record(b).await
            } else {
                p.record_as(&p.w2, b).await
            };
            (record, *on_ash)
        }))
        .await;
        if rng.gen_bool(0.5) {
            compact(p).await;
        }
        assert_reports_exact(p, &periods, seed).await;

        // Amendments and voids, several at once, with the compactor
        // running alongside.
        let mut changes = Vec::new();
        for (record, on_ash) in &created {
            if *on_ash && rng.gen_bool(0.6) {
                changes.push((record.clone(), StdRng::seed_from_u64(rng.gen())));
            }
        }
        let amend = join_all(
            changes
                .iter_mut()
                .map(|(record, r)| random_change(p, r, record, &ash_people)),
        );
        futures_util::future::join(amend, compact(p)).await;
        if round % 2 == 1 {
            compact(p).await;
        }
        assert_reports_exact(p, &periods, seed).await;
    }
    compact(&p).await;
    assert_reports_exact(&p, &periods, seed).await;
}
