//! `POST /api/v1/activities`, tablet-safe: a create carries the client's
//! id, so retries, races and re-sends store one record and reveal nothing.

use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use futures_util::future::join_all;
use serde_json::json;

use crate::activities::{amend_v1, Ward};

#[actix_web::test]
async fn a_repeated_create_returns_the_stored_record_and_a_changed_one_is_a_conflict() {
    let w = Ward::new().await;
    let body = w.body("one_to_one");
    let first = w
        .app
        .post("/api/v1/activities", &w.worker.token, &body)
        .await;
    first.assert_status(201);
    let again = w
        .app
        .post("/api/v1/activities", &w.worker.token, &body)
        .await;
    again.assert_status(200);
    assert_eq!(again.json(), first.json());

    let mut changed = body.clone();
    changed["note"] = json!("Something else entirely.");
    let conflict = w
        .app
        .post("/api/v1/activities", &w.worker.token, &changed)
        .await;
    let problem = conflict.assert_problem(409, "id_conflict");
    assert_eq!(problem["current"]["note"], "Went well.");

    assert_eq!(w.count("activities").await, 1);
    assert_eq!(w.count("activity_events").await, 1);
    assert_eq!(w.app.audit_count("create", "activity").await, 1);
}

#[actix_web::test]
async fn twenty_concurrent_retries_of_one_create_leave_exactly_one_row() {
    let w = Ward::new().await;
    let body = w.body("de_escalation");
    let sends = (0..20).map(|_| w.app.post("/api/v1/activities", &w.worker.token, &body));
    let answers = join_all(sends).await;
    let created = answers.iter().filter(|r| r.status == 201).count();
    let present = answers.iter().filter(|r| r.status == 200).count();
    assert_eq!(
        (created, present),
        (1, 19),
        "{:?}",
        answers.iter().map(|r| r.status).collect::<Vec<_>>()
    );
    for r in &answers {
        assert_eq!(r.json()["id"], body["id"]);
    }
    assert_eq!(w.count("activities").await, 1);
    assert_eq!(w.count("activity_service_users").await, 2);
    assert_eq!(w.count("activity_events").await, 1);
    assert_eq!(w.count("activity_versions").await, 1);
}

#[actix_web::test]
async fn a_worker_taken_off_the_ward_cannot_read_a_record_by_resending_its_create() {
    let w = Ward::new().await;
    let body = w.body("one_to_one");
    let stored = w.record(&body).await;
    amend_v1(
        &w,
        &w.leader.token,
        &stored,
        json!({ "reason": "fix", "note": "leader's note" }),
    )
    .await
    .assert_status(200);
    use peerlog::schema::ward_assignments;
    diesel::delete(ward_assignments::table.filter(ward_assignments::user_id.eq(w.worker.id)))
        .execute(&mut w.app.conn().await)
        .await
        .unwrap();
    let res = w
        .app
        .post("/api/v1/activities", &w.worker.token, &body)
        .await;
    assert_ne!(res.status.as_u16(), 200);
    assert!(!res.text().contains("leader's note"), "{}", res.text());
}
