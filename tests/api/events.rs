//! `GET /api/v1/events`: the outbox in order, resumable, complete, and
//! only for changes that committed.

use diesel_async::RunQueryDsl;
use peerlog::auth::Role;
use serde_json::{json, Value};

use crate::activities::Ward;
use crate::common::{TestApp, TestUser};

/// Waits until every event written so far is past the feed's horizon.
/// The horizon is cluster-wide: a transaction open in another test's
/// database holds it back for a moment.
pub async fn settle(app: &TestApp) {
    #[derive(diesel::QueryableByName)]
    struct Ready {
        #[diesel(sql_type = diesel::sql_types::Bool)]
        ready: bool,
    }
    for _ in 0..500 {
        let row: Ready = diesel::sql_query(
            "SELECT coalesce(max(xid) < pg_snapshot_xmin(pg_current_snapshot()), true) AS ready \
             FROM activity_events",
        )
        .get_result(&mut app.conn().await)
        .await
        .unwrap();
        if row.ready {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    panic!("the outbox horizon did not move");
}

/// Reads every event after `after`, page by page, once the outbox has
/// settled; returns them and the final position.
pub async fn read_all(app: &TestApp, user: &TestUser, mut after: String) -> (Vec<Value>, String) {
    settle(app).await;
    let mut all = Vec::new();
    loop {
        let res = app
            .get(
                &format!("/api/v1/events?limit=2&after={after}"),
                &user.token,
            )
            .await;
        res.assert_status(200);
        let body = res.json();
        all.extend(body["events"].as_array().unwrap().iter().cloned());
        after = body["next"].as_str().unwrap().to_string();
        if !body["more"].as_bool().unwrap() {
            return (all, after);
        }
    }
}

#[actix_web::test]
async fn a_consumer_reads_every_change_in_order_and_resumes_where_it_stopped() {
    let w = Ward::new().await;
    let integration = w.app.user(Role::Integration, &[]).await;
    let first = w.record(&w.body("one_to_one")).await;
    let amended = w
        .amend(
            &first,
            json!({ "reason": "longer", "duration_minutes": 75 }),
        )
        .await;
    let second = w.record(&w.body("wellbeing")).await;
    w.void(&second).await;

    let (events, next) = read_all(&w.app, &integration, String::new()).await;
    let seen: Vec<(String, String, i64)> = events
        .iter()
        .map(|e| {
            (
                e["activity_id"].as_str().unwrap().to_string(),
                e["event_type"].as_str().unwrap().to_string(),
                e["version"].as_i64().unwrap(),
            )
        })
        .collect();
    let (a, b) = (
        first["id"].as_str().unwrap(),
        second["id"].as_str().unwrap(),
    );
    assert_eq!(
        seen,
        vec![
            (a.into(), "created".into(), 1),
            (a.into(), "amended".into(), 2),
            (b.into(), "created".into(), 1),
            (b.into(), "voided".into(), 2),
        ]
    );
    assert_eq!(events[1]["activity"], amended);
    assert_eq!(events[3]["activity"]["status"], "entered_in_error");

    // Nothing new: the position stays put. One more change: only it.
    let (none, same) = read_all(&w.app, &integration, next.clone()).await;
    assert!(none.is_empty());
    assert_eq!(same, next);
    w.record(&w.body("advocacy")).await;
    let (more, _) = read_all(&w.app, &integration, next).await;
    assert_eq!(more.len(), 1);
    assert_eq!(more[0]["event_type"], "created");

    // Resuming from the middle repeats nothing before it.
    let from_second = events[1]["position"].as_str().unwrap().to_string();
    let (rest, _) = read_all(&w.app, &integration, from_second).await;
    assert_eq!(rest.len(), 3);
    assert_eq!(rest[0]["id"], events[2]["id"]);
}

#[actix_web::test]
async fn managers_read_the_feed_and_other_roles_are_refused() {
    let w = Ward::new().await;
    let manager = w.app.user(Role::Manager, &[]).await;
    w.record(&w.body("one_to_one")).await;
    settle(&w.app).await;
    let res = w.app.get("/api/v1/events", &manager.token).await;
    res.assert_status(200);
    assert_eq!(res.json()["events"].as_array().unwrap().len(), 1);
    for role in [
        Role::PeerSupportWorker,
        Role::PeerTeamLeader,
        Role::WardStaff,
        Role::Admin,
    ] {
        let user = w.app.user(role, &[w.ward]).await;
        w.app
            .get("/api/v1/events", &user.token)
            .await
            .assert_problem(403, "forbidden");
    }
    w.app
        .get("/api/v1/events?after=bogus", &manager.token)
        .await
        .assert_problem(422, "validation_failed");
    w.app
        .get("/api/v1/events?limit=0", &manager.token)
        .await
        .assert_problem(400, "invalid_query");
}

#[actix_web::test]
async fn a_write_that_fails_after_its_event_was_written_leaves_no_event() {
    let w = Ward::new().await;
    let integration = w.app.user(Role::Integration, &[]).await;
    let created = w.record(&w.body("one_to_one")).await;
    // Make the amendment's last step (its audit row) fail, after its
    // version and event were written in the same transaction.
    diesel::sql_query(
        "CREATE FUNCTION refuse_amend_audit() RETURNS trigger LANGUAGE plpgsql AS $$ \
         BEGIN IF NEW.action = 'amend' THEN RAISE EXCEPTION 'audit store down'; END IF; \
         RETURN NEW; END; $$",
    )
    .execute(&mut w.app.conn().await)
    .await
    .unwrap();
    diesel::sql_query(
        "CREATE TRIGGER refuse_amend_audit BEFORE INSERT ON audit_log \
         FOR EACH ROW EXECUTE FUNCTION refuse_amend_audit()",
    )
    .execute(&mut w.app.conn().await)
    .await
    .unwrap();
    let id = created["id"].as_str().unwrap();
    let req = TestApp::req(
        actix_web::http::Method::PATCH,
        &format!("/api/v1/activities/{id}"),
        Some(&w.worker.token),
    )
    .insert_header(("if-match", "\"v1\""))
    .set_json(json!({ "reason": "longer", "duration_minutes": 75 }));
    w.app.send(req).await.assert_status(500);

    let (events, _) = read_all(&w.app, &integration, String::new()).await;
    assert_eq!(events.len(), 1);
    assert_eq!(events[0]["event_type"], "created");
    assert_eq!(w.count("activity_events").await, 1);
    assert_eq!(w.count("activity_versions").await, 1);
}

#[actix_web::test]
async fn an_event_committed_late_is_not_skipped() {
    let w = Ward::new().await;
    let integration = w.app.user(Role::Integration, &[]).await;
    let early = w.record(&w.body("one_to_one")).await;
    let (_, start) = read_all(&w.app, &integration, String::new()).await;

    // A transaction takes its place in the outbox and stays open while a
    // later one commits.
    let mut slow = w.app.conn().await;
    diesel::sql_query("BEGIN").execute(&mut slow).await.unwrap();
    diesel::sql_query(
        "INSERT INTO activity_events (activity_id, ward_id, event_type, version, payload) \
         SELECT activity_id, ward_id, 'amended', 2, payload FROM activity_events LIMIT 1",
    )
    .execute(&mut slow)
    .await
    .unwrap();
    w.record(&w.body("wellbeing")).await;

    // The later change waits behind the open transaction...
    let held = w
        .app
        .get(&format!("/api/v1/events?after={start}"), &integration.token)
        .await
        .json();
    assert_eq!(held["events"], json!([]));
    assert_eq!(held["next"], start.as_str());

    // ...and once it commits, both come, the slow one first.
    diesel::sql_query("COMMIT")
        .execute(&mut slow)
        .await
        .unwrap();
    drop(slow);
    let (both, _) = read_all(&w.app, &integration, start).await;
    let kinds: Vec<&str> = both
        .iter()
        .map(|e| e["event_type"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["amended", "created"]);
    assert_eq!(both[0]["activity_id"], early["id"]);
}

#[actix_web::test]
async fn events_stay_in_commit_order_when_transaction_ids_gain_a_digit() {
    let w = Ward::new().await;
    let integration = w.app.user(Role::Integration, &[]).await;
    w.record(&w.body("one_to_one")).await;
    // Two older events as if written by transactions 99 and 100: as text,
    // "100" sorts before "99", and a cursor past "100" would skip 99.
    diesel::sql_query(
        "INSERT INTO activity_events (xid, activity_id, ward_id, event_type, version, payload) \
         SELECT v.x::text::xid8, e.activity_id, e.ward_id, 'amended', v.x, e.payload \
         FROM activity_events e, (VALUES (99), (100)) AS v(x)",
    )
    .execute(&mut w.app.conn().await)
    .await
    .unwrap();
    let (events, _) = read_all(&w.app, &integration, String::new()).await;
    let order: Vec<(String, i64)> = events
        .iter()
        .map(|e| {
            (
                e["event_type"].as_str().unwrap().to_string(),
                e["version"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        order,
        [
            ("amended".to_string(), 99),
            ("amended".to_string(), 100),
            ("created".to_string(), 1)
        ]
    );
}
