//! The report rollups: writes append deltas, a compactor folds them in,
//! and what reports read (compact rows plus pending deltas) equals a
//! rebuild from the activities at every moment — with writers running.

use diesel_async::RunQueryDsl;
use futures_util::future::join_all;
use serde_json::{json, Value};

use super::Pilot;
use crate::common::TestApp;

#[derive(diesel::QueryableByName, Debug, PartialEq)]
struct Rollups {
    #[diesel(sql_type = diesel::sql_types::Text)]
    rows: String,
}

/// Every rollup row (netted, non-zero) of the four rollups, from `source`
/// (`{}` is replaced by the rollup's name: a table or a view), as text.
fn read_sql(suffix: &str) -> String {
    format!(
        "SELECT concat_ws(' | ', \
          (SELECT string_agg(concat_ws(',', day, ward_id, kind, activities, minutes), ';' ORDER BY day, ward_id, kind) \
             FROM report_day_activities{suffix} WHERE activities <> 0), \
          (SELECT string_agg(concat_ws(',', day, ward_id, kind, worker_id, activities, minutes), ';' ORDER BY day, ward_id, kind, worker_id) \
             FROM report_day_workers{suffix} WHERE activities <> 0), \
          (SELECT string_agg(concat_ws(',', day, ward_id, kind, service_user_id, activities), ';' ORDER BY day, ward_id, kind, service_user_id) \
             FROM report_day_people{suffix} WHERE activities <> 0), \
          (SELECT string_agg(concat_ws(',', day, ward_id, kind, worker_id, service_user_id, activities), ';' \
                             ORDER BY day, ward_id, kind, worker_id, service_user_id) \
             FROM report_day_worker_people{suffix} WHERE activities <> 0)) AS rows"
    )
}

/// The same four rollups computed from the activities themselves, in the
/// same text form: what `report_rollups_rebuild()` would write.
const FROM_ACTIVITIES: &str = "WITH a AS (SELECT *, (started_at AT TIME ZONE 'Europe/London')::date AS day \
       FROM activities WHERE status <> 'entered_in_error'), \
     w AS (SELECT a.*, x.worker_id FROM a CROSS JOIN LATERAL (SELECT a.recorded_by \
       UNION ALL SELECT c.user_id FROM activity_co_workers c WHERE c.activity_id = a.id) x(worker_id)) \
     SELECT concat_ws(' | ', \
      (SELECT string_agg(concat_ws(',', day, ward_id, kind, n, m), ';' ORDER BY day, ward_id, kind) FROM \
         (SELECT day, ward_id, kind, count(*) n, sum(duration_minutes) m FROM a GROUP BY 1, 2, 3) r), \
      (SELECT string_agg(concat_ws(',', day, ward_id, kind, worker_id, n, m), ';' ORDER BY day, ward_id, kind, worker_id) FROM \
         (SELECT day, ward_id, kind, worker_id, count(*) n, sum(duration_minutes) m FROM w GROUP BY 1, 2, 3, 4) r), \
      (SELECT string_agg(concat_ws(',', day, ward_id, kind, service_user_id, n), ';' ORDER BY day, ward_id, kind, service_user_id) FROM \
         (SELECT day, ward_id, kind, s.service_user_id, count(*) n FROM a \
          JOIN activity_service_users s ON s.activity_id = a.id GROUP BY 1, 2, 3, 4) r), \
      (SELECT string_agg(concat_ws(',', day, ward_id, kind, worker_id, service_user_id, n), ';' \
                         ORDER BY day, ward_id, kind, worker_id, service_user_id) FROM \
         (SELECT day, ward_id, kind, worker_id, s.service_user_id, count(*) n FROM w \
          JOIN activity_service_users s ON s.activity_id = w.id GROUP BY 1, 2, 3, 4, 5) r)) AS rows";

async fn read(app: &TestApp, sql: &str) -> String {
    let mut conn = app.conn().await;
    let r: Rollups = diesel::sql_query(sql).get_result(&mut conn).await.unwrap();
    r.rows
}

async fn compact(app: &TestApp) -> i64 {
    let mut conn = app.conn().await;
    peerlog::db::compact_rollups(&mut conn).await.unwrap()
}

/// Reads the rollups as reports see them and as a rebuild computes them in
/// one statement (one snapshot), and asserts they agree.
async fn assert_exact_now(app: &TestApp) {
    let sql = format!(
        "SELECT CASE WHEN n.rows IS NOT DISTINCT FROM f.rows THEN '' \
           ELSE concat('now: ', n.rows, E'\\nfrom activities: ', f.rows) END AS rows \
         FROM ({}) n, ({FROM_ACTIVITIES}) f",
        read_sql("_now")
    );
    let diff = read(app, &sql).await;
    assert!(
        diff.is_empty(),
        "rollups differ from the activities:\n{diff}"
    );
}

#[actix_web::test]
async fn the_daily_rollups_the_triggers_keep_match_a_rebuild_from_the_activities() {
    let p = Pilot::new().await;
    let app = &p.w.app;
    // Links changed by an amendment move the worker and people rollups.
    let mut shared = p.body(
        "de_escalation",
        p.w.ward,
        "2026-04-10T10:00:00Z",
        30,
        &[p.p1, p.p2],
    );
    shared["co_worker_ids"] = json!([p.w2.id]);
    let shared = p.w.record(&shared).await;
    p.w.amend(
        &shared,
        json!({ "reason": "people corrected", "service_user_ids": [p.p2], "co_worker_ids": [] }),
    )
    .await;
    // Before compaction: the deltas, netted with the compact rows.
    let pending = read(app, &read_sql("_now")).await;
    assert!(pending.contains("2026-04-15"), "{pending}");
    assert_exact_now(app).await;
    // Compacted: the same figures, now all in the compact tables.
    assert!(compact(app).await > 0);
    assert_eq!(compact(app).await, 0, "nothing left to compact");
    let kept = read(app, &read_sql("")).await;
    assert_eq!(kept, pending);
    let mut conn = app.conn().await;
    diesel::sql_query("SELECT report_rollups_rebuild()")
        .execute(&mut conn)
        .await
        .unwrap();
    let rebuilt = read(app, &read_sql("")).await;
    assert_eq!(kept, rebuilt);
}

#[actix_web::test]
async fn the_rollups_stay_exact_at_every_moment_while_writers_and_the_compactor_run() {
    let p = Pilot::new().await;
    let app = &p.w.app;
    let days = ["2026-04-10", "2026-04-11", "2026-04-12"];
    let (one, two) = ([p.p1], [p.p1, p.p2]);
    let body = |i: usize| {
        let mut b = p.body(
            if i.is_multiple_of(3) {
                "one_to_one"
            } else {
                "de_escalation"
            },
            p.w.ward,
            &format!("{}T{:02}:00:00Z", days[i % 3], 8 + i % 10),
            10 + i as i64,
            if i.is_multiple_of(3) {
                &one[..]
            } else {
                &two[..]
            },
        );
        if i.is_multiple_of(4) {
            b["co_worker_ids"] = json!([p.w2.id]);
        }
        b
    };
    let p = &p;
    let writers = async {
        for round in 0..6 {
            // Eight writers at once on one ward and the same three days.
            let bodies: Vec<Value> = (0..8).map(|i| body(round * 8 + i)).collect();
            let created: Vec<Value> = join_all(bodies.iter().map(|b| p.w.record(b))).await;
            join_all(created.iter().enumerate().map(|(i, a)| async move {
                match i % 4 {
                    // Moved to another day, with other people and workers.
                    0 => {
                        p.w.amend(
                            a,
                            json!({ "reason": "moved", "started_at": format!("{}T07:00:00Z", days[(i + 1) % 3]),
                                    "service_user_ids": [p.p2], "co_worker_ids": [] }),
                        )
                        .await;
                    }
                    1 => {
                        p.w.void(a).await;
                    }
                    2 => {
                        p.w.amend(a, json!({ "reason": "longer", "duration_minutes": 99 }))
                            .await;
                    }
                    _ => {}
                }
            }))
            .await;
        }
    };
    let checks = async {
        for _ in 0..30 {
            assert_exact_now(app).await;
            compact(app).await;
            assert_exact_now(app).await;
        }
    };
    futures_util::future::join(writers, checks).await;
    assert_exact_now(app).await;
    compact(app).await;
    let kept = read(app, &read_sql("")).await;
    let mut conn = app.conn().await;
    diesel::sql_query("SELECT report_rollups_rebuild()")
        .execute(&mut conn)
        .await
        .unwrap();
    assert_eq!(kept, read(app, &read_sql("")).await);
}

#[actix_web::test]
async fn amendments_moving_records_between_two_days_in_opposite_directions_never_deadlock() {
    let p = Pilot::new().await;
    let (a_day, b_day) = ("2026-04-10T10:00:00Z", "2026-04-11T10:00:00Z");
    let body = |start: &str| p.body("de_escalation", p.w.ward, start, 30, &[p.p1, p.p2]);
    // 100 times: one record moves from day A to day B while another moves
    // from B to A, both at once; ten such pairs in flight together.
    for _ in 0..10 {
        let pairs = join_all((0..10).map(|_| async {
            let x = p.w.record(&body(a_day)).await;
            let y = p.w.record(&body(b_day)).await;
            (x, y)
        }))
        .await;
        join_all(pairs.iter().flat_map(|(x, y)| {
            [
                p.w.amend(x, json!({ "reason": "wrong day", "started_at": b_day })),
                p.w.amend(y, json!({ "reason": "wrong day", "started_at": a_day })),
            ]
        }))
        .await;
    }
    assert_exact_now(&p.w.app).await;
}
