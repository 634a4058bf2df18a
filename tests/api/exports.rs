//! `GET /api/v1/exports/activities`: the warehouse pulls NDJSON, resumes
//! from a cursor, loses and repeats nothing while writes go on.

use std::collections::HashSet;

use diesel_async::RunQueryDsl;
use peerlog::auth::Role;
use serde_json::{json, Value};

use crate::activities::Ward;
use crate::common::{TestApp, TestUser};
use crate::events::settle;

/// One export: its activity lines and its end line.
async fn export(app: &TestApp, user: &TestUser, query: &str) -> (Vec<Value>, Value) {
    let res = app
        .get(&format!("/api/v1/exports/activities?{query}"), &user.token)
        .await;
    res.assert_status(200);
    assert_eq!(res.header("content-type").unwrap(), "application/x-ndjson");
    let text = res.text();
    assert!(text.ends_with('\n'));
    let mut lines: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let end = lines.pop().expect("an end line");
    assert!(end["next_cursor"].is_string(), "{end}");
    (lines, end)
}

fn key(a: &Value) -> (String, i64) {
    (
        a["id"].as_str().unwrap().to_string(),
        a["version"].as_i64().unwrap(),
    )
}

#[actix_web::test]
async fn the_warehouse_exports_every_change_and_then_only_new_ones() {
    let w = Ward::new().await;
    let integration = w.app.user(Role::Integration, &[]).await;
    let first = w.record(&w.body("group_session")).await;
    w.amend(
        &first,
        json!({ "reason": "more came", "details": {
        "activity": "music", "format": "group_session", "unnamed_attendees": 6 } }),
    )
    .await;
    let second = w.record(&w.body("escorted_leave")).await;
    settle(&w.app).await;

    let (lines, end) = export(&w.app, &integration, "").await;
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[1]["version"], 2);
    assert_eq!(lines[1]["details"]["unnamed_attendees"], 6);
    assert_eq!(lines[2], second);
    assert_eq!(end["count"], 3);
    assert_eq!(end["complete"], true);

    let cursor = end["next_cursor"].as_str().unwrap().to_string();
    let (none, same) = export(&w.app, &integration, &format!("cursor={cursor}")).await;
    assert!(none.is_empty());
    assert_eq!(same["next_cursor"], cursor.as_str());

    w.void(&second).await;
    settle(&w.app).await;
    let (new, _) = export(&w.app, &integration, &format!("cursor={cursor}")).await;
    assert_eq!(new.len(), 1);
    assert_eq!(new[0]["status"], "entered_in_error");

    // With a limit the export stops early and says so.
    let (two, end) = export(&w.app, &integration, "limit=2").await;
    assert_eq!(two.len(), 2);
    assert_eq!(end["complete"], false);
    let rest = format!("cursor={}", end["next_cursor"].as_str().unwrap());
    let (rest, end) = export(&w.app, &integration, &rest).await;
    assert_eq!(rest.len(), 2);
    assert_eq!(end["complete"], true);
}

#[actix_web::test]
async fn a_large_export_streams_in_chunks_without_losing_or_repeating_a_line() {
    let w = Ward::new().await;
    let integration = w.app.user(Role::Integration, &[]).await;
    w.record(&w.body("one_to_one")).await;
    // 2,600 more changes of it, across three database chunks.
    diesel::sql_query(
        "INSERT INTO activity_events (activity_id, ward_id, event_type, version, payload) \
         SELECT e.activity_id, e.ward_id, 'amended', 1 + g, \
                jsonb_set(e.payload, '{version}', to_jsonb(1 + g)) \
         FROM activity_events e, generate_series(1, 2600) g",
    )
    .execute(&mut w.app.conn().await)
    .await
    .unwrap();
    settle(&w.app).await;
    let (lines, end) = export(&w.app, &integration, "").await;
    let versions: Vec<i64> = lines
        .iter()
        .map(|l| l["version"].as_i64().unwrap())
        .collect();
    assert_eq!(versions, (1..=2601).collect::<Vec<_>>());
    assert_eq!(end["count"], 2601);

    let (part, end) = export(&w.app, &integration, "limit=1500").await;
    assert_eq!(part.len(), 1500);
    let cursor = end["next_cursor"].as_str().unwrap();
    let (rest, _) = export(&w.app, &integration, &format!("cursor={cursor}")).await;
    assert_eq!(rest[0]["version"], 1501);
    assert_eq!(rest.len(), 1101);
}

#[actix_web::test]
async fn exporting_while_workers_record_loses_and_repeats_nothing() {
    let w = Ward::new().await;
    let integration = w.app.user(Role::Integration, &[]).await;
    let writer = async {
        let mut all = Vec::new();
        for i in 0..20 {
            let a = w.record(&w.body("wellbeing")).await;
            all.push(key(&a));
            if i % 5 == 0 {
                let b = w
                    .amend(&a, json!({ "reason": "fix", "duration_minutes": 70 }))
                    .await;
                all.push(key(&b));
            }
        }
        all
    };
    let reader = async {
        let mut seen = Vec::new();
        let mut cursor = String::new();
        for _ in 0..30 {
            let (lines, end) =
                export(&w.app, &integration, &format!("limit=3&cursor={cursor}")).await;
            seen.extend(lines.iter().map(key));
            cursor = end["next_cursor"].as_str().unwrap().to_string();
            tokio::task::yield_now().await;
        }
        (seen, cursor)
    };
    let (written, (mut seen, mut cursor)) = tokio::join!(writer, reader);
    settle(&w.app).await;
    loop {
        let (lines, end) = export(&w.app, &integration, &format!("limit=7&cursor={cursor}")).await;
        seen.extend(lines.iter().map(key));
        cursor = end["next_cursor"].as_str().unwrap().to_string();
        if end["complete"] == true {
            break;
        }
    }
    let unique: HashSet<&(String, i64)> = seen.iter().collect();
    assert_eq!(unique.len(), seen.len(), "a line came twice");
    assert_eq!(unique, written.iter().collect());
}

#[actix_web::test]
async fn only_the_integration_role_exports() {
    let w = Ward::new().await;
    for role in [
        Role::Manager,
        Role::PeerTeamLeader,
        Role::Admin,
        Role::WardStaff,
    ] {
        let user = w.app.user(role, &[w.ward]).await;
        w.app
            .get("/api/v1/exports/activities", &user.token)
            .await
            .assert_problem(403, "forbidden");
    }
    let integration = w.app.user(Role::Integration, &[]).await;
    w.app
        .get(
            "/api/v1/exports/activities?cursor=%7B%7D",
            &integration.token,
        )
        .await
        .assert_problem(422, "validation_failed");
    w.app
        .get("/api/v1/exports/activities?limit=0", &integration.token)
        .await
        .assert_problem(400, "invalid_query");
}
