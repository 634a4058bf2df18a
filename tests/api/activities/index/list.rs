//! `GET /api/v1/activities`: filters, and keyset pages that survive
//! inserts.

use chrono::{Duration, Utc};
use peerlog::auth::Role;
use serde_json::json;
use std::collections::HashSet;

use crate::activities::{ts, Ward};

#[actix_web::test]
async fn pages_lose_and_repeat_nothing_while_records_are_added() {
    let w = Ward::new().await;
    let mut ids = HashSet::new();
    for i in 0..7 {
        let mut body = w.body("wellbeing");
        body["started_at"] = json!(ts(Utc::now()
            - Duration::hours(3)
            - Duration::minutes(i * 10)));
        ids.insert(w.record(&body).await["id"].as_str().unwrap().to_string());
    }
    let mut seen = Vec::new();
    let mut path = "/api/v1/activities?limit=3".to_string();
    loop {
        let page = w.app.get(&path, &w.worker.token).await;
        page.assert_status(200);
        let page = page.json();
        for item in page["items"].as_array().unwrap() {
            seen.push(item["id"].as_str().unwrap().to_string());
        }
        // Someone records something newer while the tablet pages.
        w.record(&w.body("one_to_one")).await;
        match page["next_cursor"].as_str() {
            Some(c) => path = format!("/api/v1/activities?limit=3&cursor={c}"),
            None => break,
        }
    }
    let unique: HashSet<_> = seen.iter().cloned().collect();
    assert_eq!(unique.len(), seen.len(), "an item was repeated");
    // Newer records land before the cursor: the pages hold exactly the
    // records that existed when paging began.
    assert_eq!(unique, ids, "an item was lost");
    assert_eq!(seen.len(), 7);
}

#[actix_web::test]
async fn filters_narrow_the_list() {
    let w = Ward::new().await;
    let a = w.record(&w.body("one_to_one")).await;
    w.record(&w.body("staff_support")).await;
    let mut old = w.body("wellbeing");
    old["started_at"] = json!(ts(Utc::now() - Duration::days(3)));
    let old = w.record(&old).await;
    let other = w
        .app
        .user(peerlog::auth::Role::PeerSupportWorker, &[w.ward])
        .await;
    let mut theirs = w.body("advocacy");
    theirs["service_user_ids"] = json!([w.people[1]]);
    let theirs = w
        .app
        .post("/api/v1/activities", &other.token, &theirs)
        .await
        .json();

    let ids = |path: String| {
        let app = &w.app;
        let token = w.leader.token.clone();
        async move {
            let res = app.get(&path, &token).await;
            res.assert_status(200);
            res.json()["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| i["id"].clone())
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(
        ids("/api/v1/activities?kind=one_to_one".into()).await,
        [a["id"].clone()]
    );
    assert_eq!(
        ids(format!("/api/v1/activities?recorded_by={}", other.id)).await,
        [theirs["id"].clone()]
    );
    assert_eq!(
        ids(format!(
            "/api/v1/activities?service_user_id={}",
            w.people[1]
        ))
        .await,
        [theirs["id"].clone(), old["id"].clone()]
    );
    let to = ts(Utc::now() - Duration::days(1));
    assert_eq!(
        ids(format!("/api/v1/activities?to={}", to.replace('+', "%2B"))).await,
        [old["id"].clone()]
    );
    assert_eq!(
        ids(format!("/api/v1/activities?ward_id={}", w.other_ward))
            .await
            .len(),
        0
    );
    assert_eq!(ids("/api/v1/activities".into()).await.len(), 4);
    w.app
        .get("/api/v1/activities?limit=500", &w.leader.token)
        .await
        .assert_problem(400, "invalid_query");
    w.app
        .get("/api/v1/activities?cursor=forged", &w.leader.token)
        .await
        .assert_problem(422, "validation_failed");
    w.app
        .get("/api/v1/activities?kind=knitting", &w.leader.token)
        .await
        .assert_problem(400, "invalid_query");
}

#[actix_web::test]
async fn dates_postgres_cannot_hold_are_a_client_error() {
    let w = Ward::new().await;
    let integration = w.app.user(Role::Integration, &[]).await;
    let res = w
        .app
        .get(
            "/api/v1/activities?from=-5000-01-01T00:00:00Z",
            &w.worker.token,
        )
        .await;
    assert_eq!(res.status.as_u16(), 422, "{}", res.text());
    let res = w
        .app
        .put(
            "/api/v1/service-users/RX-77",
            &integration.token,
            &json!({ "display_label": "A.B.", "ward_id": w.ward, "admitted_on": "-5000-01-01" }),
        )
        .await;
    assert!(
        res.status.is_client_error(),
        "{}: {}",
        res.status,
        res.text()
    );
}

/// One ward's page, the tablet's and the sync's hot path, is read by a
/// statement of its own (`models::activity::page`): it must page exactly
/// like the general one, ties on `started_at` broken by id, at every page
/// size, and never show another ward's records.
#[actix_web::test]
async fn one_wards_pages_hold_its_records_newest_first_at_every_page_size() {
    let w = Ward::new().await;
    let tied = Utc::now() - Duration::hours(3);
    let mut mine = Vec::new();
    for i in 0..9 {
        let mut body = w.body(if i % 2 == 0 {
            "wellbeing"
        } else {
            "one_to_one"
        });
        let at = if i < 3 {
            tied
        } else {
            tied - Duration::minutes(i * 7)
        };
        body["started_at"] = json!(ts(at));
        body["ended_at"] = json!(ts(at + Duration::minutes(30)));
        body["duration_minutes"] = json!(30);
        mine.push(w.record(&body).await);
    }
    let voided = w.void(&mine.remove(4)).await;
    // The other ward's records, one of them at the tied instant.
    let theirs = w.app.user(Role::PeerSupportWorker, &[w.other_ward]).await;
    for at in [tied, tied - Duration::minutes(1)] {
        let mut body = w.body("staff_support");
        body["ward_id"] = json!(w.other_ward);
        body["started_at"] = json!(ts(at));
        body["ended_at"] = json!(ts(at + Duration::minutes(30)));
        body["duration_minutes"] = json!(30);
        w.app
            .post("/api/v1/activities", &theirs.token, &body)
            .await
            .assert_status(201);
    }
    let key = |a: &serde_json::Value| {
        let at = chrono::DateTime::parse_from_rfc3339(a["started_at"].as_str().unwrap()).unwrap();
        (at, a["id"].as_str().unwrap().to_string())
    };
    mine.sort_by_key(|a| std::cmp::Reverse(key(a)));
    let expected: Vec<String> = mine.iter().map(|a| key(a).1).collect();

    let pages = |query: String| {
        let app = &w.app;
        let token = w.worker.token.clone();
        async move {
            let mut seen = Vec::new();
            let mut path = format!("/api/v1/activities?{query}");
            loop {
                let res = app.get(&path, &token).await;
                res.assert_status(200);
                let page = res.json();
                for item in page["items"].as_array().unwrap() {
                    seen.push(item["id"].as_str().unwrap().to_string());
                }
                match page["next_cursor"].as_str() {
                    Some(c) => path = format!("/api/v1/activities?{query}&cursor={c}"),
                    None => break,
                }
            }
            seen
        }
    };
    for limit in [1, 2, 3, 7, 200] {
        assert_eq!(
            pages(format!("ward_id={}&limit={limit}", w.ward)).await,
            expected,
            "one ward's pages of {limit}"
        );
    }
    // The general statement (a second filter) pages the same records alike.
    let from = ts(tied - Duration::days(1)).replace('+', "%2B");
    assert_eq!(
        pages(format!("ward_id={}&from={from}&limit=2", w.ward)).await,
        expected
    );
    assert_eq!(
        pages(format!(
            "ward_id={}&status=entered_in_error&limit=1",
            w.ward
        ))
        .await,
        [voided["id"].as_str().unwrap().to_string()]
    );
    // A ward outside the worker's scope is an empty page.
    assert!(pages(format!("ward_id={}", w.other_ward)).await.is_empty());
}
