//! `GET /api/v1/sync/activities`: a tablet catches up on its ward, by
//! cursor, without losing or repeating a change while writes go on.

use std::collections::HashSet;

use peerlog::auth::Role;
use serde_json::{json, Value};

use crate::activities::Ward;
use crate::common::TestUser;
use crate::events::settle;

/// Pages through the feed from `cursor`; returns the changes and the cursor.
async fn catch_up(
    w: &Ward,
    user: &TestUser,
    query: &str,
    mut cursor: String,
) -> (Vec<Value>, String) {
    let mut all = Vec::new();
    loop {
        let res = w
            .app
            .get(
                &format!("/api/v1/sync/activities?limit=3&{query}&cursor={cursor}"),
                &user.token,
            )
            .await;
        res.assert_status(200);
        let body = res.json();
        all.extend(body["items"].as_array().unwrap().iter().cloned());
        cursor = body["next_cursor"].as_str().unwrap().to_string();
        if !body["more"].as_bool().unwrap() {
            return (all, cursor);
        }
    }
}

fn ids_and_versions(changes: &[Value]) -> Vec<(String, i64)> {
    changes
        .iter()
        .map(|c| {
            (
                c["activity"]["id"].as_str().unwrap().to_string(),
                c["activity"]["version"].as_i64().unwrap(),
            )
        })
        .collect()
}

#[actix_web::test]
async fn a_tablet_gets_its_wards_changes_and_then_only_what_is_new() {
    let w = Ward::new().await;
    let nurse = w.app.user(Role::WardStaff, &[w.ward]).await;
    let here = w.record(&w.body("one_to_one")).await;
    let mut elsewhere = w.body("staff_support");
    elsewhere["ward_id"] = json!(w.other_ward);
    let other_worker = w.app.user(Role::PeerSupportWorker, &[w.other_ward]).await;
    w.app
        .post("/api/v1/activities", &other_worker.token, &elsewhere)
        .await
        .assert_status(201);
    settle(&w.app).await;

    let query = format!("ward_id={}", w.ward);
    let (first, cursor) = catch_up(&w, &nurse, &query, String::new()).await;
    assert_eq!(
        ids_and_versions(&first),
        [(here["id"].as_str().unwrap().into(), 1)]
    );
    assert_eq!(first[0]["change"], "created");

    w.amend(&here, json!({ "reason": "longer", "duration_minutes": 80 }))
        .await;
    w.void(&w.record(&w.body("wellbeing")).await).await;
    settle(&w.app).await;
    let (next, _) = catch_up(&w, &nurse, &query, cursor.clone()).await;
    let changes: Vec<&str> = next.iter().map(|c| c["change"].as_str().unwrap()).collect();
    assert_eq!(changes, ["amended", "created", "voided"]);
    assert_eq!(next[0]["activity"]["duration_minutes"], 80);
    assert_eq!(next[2]["activity"]["status"], "entered_in_error");

    // Without ward_id: every ward of the caller's, still not the other.
    let (mine, _) = catch_up(&w, &nurse, "", String::new()).await;
    assert_eq!(mine.len(), 4);
}

#[actix_web::test]
async fn wards_outside_scope_are_not_found_and_non_readers_are_refused() {
    let w = Ward::new().await;
    w.app
        .get(
            &format!("/api/v1/sync/activities?ward_id={}", w.other_ward),
            &w.worker.token,
        )
        .await
        .assert_problem(404, "not_found");
    for role in [Role::Admin, Role::BuddyCoordinator] {
        let user = w.app.user(role, &[w.ward]).await;
        w.app
            .get("/api/v1/sync/activities", &user.token)
            .await
            .assert_problem(403, "forbidden");
    }
    let manager = w.app.user(Role::Manager, &[]).await;
    w.app
        .get(
            &format!("/api/v1/sync/activities?ward_id={}", w.other_ward),
            &manager.token,
        )
        .await
        .assert_status(200);
    w.app
        .get("/api/v1/sync/activities?cursor=xyz", &manager.token)
        .await
        .assert_problem(422, "validation_failed");
}

#[actix_web::test]
async fn paging_while_a_worker_keeps_recording_loses_and_repeats_nothing() {
    let w = Ward::new().await;
    let leader = &w.leader;
    let query = format!("ward_id={}", w.ward);
    let written = 24;
    let writer = async {
        let mut ids = Vec::new();
        for i in 0..written {
            let a = w.record(&w.body("one_to_one")).await;
            if i % 4 == 0 {
                w.amend(&a, json!({ "reason": "fix", "duration_minutes": 61 }))
                    .await;
            }
            ids.push(a["id"].as_str().unwrap().to_string());
        }
        ids
    };
    let reader = async {
        let mut seen = Vec::new();
        let mut cursor = String::new();
        for _ in 0..40 {
            let (batch, next) = catch_up(&w, leader, &query, cursor).await;
            seen.extend(batch);
            cursor = next;
            tokio::task::yield_now().await;
        }
        (seen, cursor)
    };
    let (ids, (mut seen, cursor)) = tokio::join!(writer, reader);
    settle(&w.app).await;
    let (rest, _) = catch_up(&w, leader, &query, cursor).await;
    seen.extend(rest);

    let got = ids_and_versions(&seen);
    let unique: HashSet<&(String, i64)> = got.iter().collect();
    assert_eq!(unique.len(), got.len(), "a change came twice");
    assert_eq!(got.len(), written + written / 4);
    let activities: HashSet<&String> = got.iter().map(|(id, _)| id).collect();
    assert_eq!(activities, ids.iter().collect());
}

#[actix_web::test]
async fn a_payload_written_by_an_earlier_version_is_still_served() {
    use diesel_async::RunQueryDsl;
    let w = Ward::new().await;
    let recorded = w.record(&w.body("one_to_one")).await;
    // Two events as an older peerlog might have stored them: one without
    // fields added since (the link lists, the timestamps), one with a field
    // this version no longer has.
    let mut conn = w.app.conn().await;
    diesel::sql_query(
        "INSERT INTO activity_events (activity_id, ward_id, event_type, version, payload) \
         SELECT activity_id, ward_id, 'amended', 2, \
                payload - 'co_worker_ids' - 'created_at' - 'updated_at' - 'leave_confirmation' \
         FROM activity_events WHERE activity_id = $1",
    )
    .bind::<diesel::sql_types::Uuid, _>(
        uuid::Uuid::parse_str(recorded["id"].as_str().unwrap()).unwrap(),
    )
    .execute(&mut conn)
    .await
    .unwrap();
    diesel::sql_query(
        "INSERT INTO activity_events (activity_id, ward_id, event_type, version, payload) \
         SELECT activity_id, ward_id, 'amended', 3, payload || '{\"legacy_flag\": true}' \
         FROM activity_events WHERE activity_id = $1 AND version = 1",
    )
    .bind::<diesel::sql_types::Uuid, _>(
        uuid::Uuid::parse_str(recorded["id"].as_str().unwrap()).unwrap(),
    )
    .execute(&mut conn)
    .await
    .unwrap();
    drop(conn);
    settle(&w.app).await;

    let (changes, _) = catch_up(&w, &w.worker, &format!("ward_id={}", w.ward), String::new()).await;
    assert_eq!(changes.len(), 3, "{changes:#?}");
    let old = &changes[1]["activity"];
    assert_eq!(old["id"], recorded["id"]);
    assert_eq!(old["version"], recorded["version"]);
    assert_eq!(old["co_worker_ids"], json!([]));
    assert_eq!(old["service_user_ids"], recorded["service_user_ids"]);
    assert_eq!(old["details"], recorded["details"]);
    assert_eq!(changes[2]["activity"]["id"], recorded["id"]);

    // The event feed and the export serve them too.
    let manager = w.app.user(Role::Manager, &[]).await;
    let res = w.app.get("/api/v1/events", &manager.token).await;
    res.assert_status(200);
}
