//! `GET /api/v1/sync/activities/start`: a tablet with nothing kept shows
//! the ward's newest records at once and follows the feed from there,
//! instead of reading the ward's whole history first.

use peerlog::auth::Role;
use serde_json::{json, Value};

use crate::activities::Ward;
use crate::events::settle;

fn ids(items: &[Value], at: &str) -> Vec<String> {
    items
        .iter()
        .map(|i| i.pointer(at).unwrap().as_str().unwrap().to_string())
        .collect()
}

#[actix_web::test]
async fn the_newest_page_then_the_feed_from_now_then_older_pages_lose_and_repeat_nothing() {
    let w = Ward::new().await;
    let nurse = w.app.user(Role::WardStaff, &[w.ward]).await;
    let mut recorded = Vec::new();
    for minutes_ago in [300, 200, 100] {
        let mut body = w.body("one_to_one");
        body["started_at"] =
            json!((chrono::Utc::now() - chrono::Duration::minutes(minutes_ago)).to_rfc3339());
        recorded.push(w.record(&body).await);
    }
    settle(&w.app).await;

    // Take the position first, then read the newest page of the list.
    let start = w
        .app
        .get(
            &format!("/api/v1/sync/activities/start?ward_id={}", w.ward),
            &nurse.token,
        )
        .await;
    start.assert_status(200);
    let cursor = start.json()["cursor"].as_str().unwrap().to_string();
    let newest = w
        .app
        .get(
            &format!("/api/v1/activities?ward_id={}&limit=2", w.ward),
            &nurse.token,
        )
        .await
        .json();
    let first_page = newest["items"].as_array().unwrap().clone();
    assert_eq!(
        ids(&first_page, "/id"),
        [&recorded[2]["id"], &recorded[1]["id"]].map(|v| v.as_str().unwrap().to_string())
    );

    // Nothing changed since: the feed from the position is empty, not the
    // ward's history.
    let feed = |cursor: String| {
        let app = &w.app;
        let token = nurse.token.clone();
        let ward = w.ward;
        async move {
            let res = app
                .get(
                    &format!("/api/v1/sync/activities?ward_id={ward}&cursor={cursor}&limit=200"),
                    &token,
                )
                .await;
            res.assert_status(200);
            res.json()
        }
    };
    let quiet = feed(cursor.clone()).await;
    assert_eq!(quiet["items"], json!([]));
    assert_eq!(quiet["more"], false);

    // The oldest record is amended and a new one recorded: the feed brings
    // exactly those, the older page of the list the one not yet seen.
    w.amend(
        &recorded[0],
        json!({ "reason": "longer", "duration_minutes": 80 }),
    )
    .await;
    let fresh = w.record(&w.body("wellbeing")).await;
    settle(&w.app).await;
    let changes = feed(cursor).await;
    let changed = changes["items"].as_array().unwrap();
    assert_eq!(
        ids(changed, "/activity/id"),
        [&recorded[0]["id"], &fresh["id"]].map(|v| v.as_str().unwrap().to_string())
    );
    assert_eq!(changed[0]["change"], "amended");
    let older = w
        .app
        .get(
            &format!(
                "/api/v1/activities?ward_id={}&limit=2&cursor={}",
                w.ward,
                newest["next_cursor"].as_str().unwrap()
            ),
            &nurse.token,
        )
        .await
        .json();
    let older = older["items"].as_array().unwrap();
    assert_eq!(ids(older, "/id"), [recorded[0]["id"].as_str().unwrap()]);
}

#[actix_web::test]
async fn a_ward_outside_scope_is_not_found_and_non_readers_are_refused() {
    let w = Ward::new().await;
    w.app
        .get(
            &format!("/api/v1/sync/activities/start?ward_id={}", w.other_ward),
            &w.worker.token,
        )
        .await
        .assert_problem(404, "not_found");
    let admin = w.app.user(Role::Admin, &[w.ward]).await;
    w.app
        .get("/api/v1/sync/activities/start", &admin.token)
        .await
        .assert_problem(403, "forbidden");
    w.app
        .get(
            "/api/v1/sync/activities/start?ward_id=nope",
            &w.worker.token,
        )
        .await
        .assert_problem(400, "invalid_query");
    w.app
        .get("/api/v1/sync/activities/start", &w.worker.token)
        .await
        .assert_status(200);
}
