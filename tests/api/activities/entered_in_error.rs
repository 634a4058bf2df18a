//! `POST /api/v1/activities/{id}/entered-in-error`: voiding, not
//! deleting; the record stays readable and in its history.

use actix_web::http::Method;
use serde_json::json;

use super::{patch_with, Ward};
use crate::common::TestApp;

#[actix_web::test]
async fn a_voided_record_stays_readable_but_leaves_default_lists() {
    let w = Ward::new().await;
    let created = w.record(&w.body("crisis_support")).await;
    let id = created["id"].as_str().unwrap();
    let path = format!("/api/v1/activities/{id}/entered-in-error");
    w.app
        .post(&path, &w.worker.token, &json!({ "reason": "" }))
        .await
        .assert_problem(422, "validation_failed");
    let voided = w
        .app
        .post(
            &path,
            &w.worker.token,
            &json!({ "reason": "Recorded on the wrong person" }),
        )
        .await;
    voided.assert_status(200);
    assert_eq!(voided.json()["status"], "entered_in_error");
    assert_eq!(voided.json()["void_reason"], "Recorded on the wrong person");
    w.app
        .post(&path, &w.worker.token, &json!({ "reason": "again" }))
        .await
        .assert_problem(409, "entered_in_error");

    let read = w
        .app
        .get(&format!("/api/v1/activities/{id}"), &w.worker.token)
        .await;
    read.assert_status(200);
    assert_eq!(read.json()["status"], "entered_in_error");
    let default = w
        .app
        .get("/api/v1/activities", &w.worker.token)
        .await
        .json();
    assert_eq!(default["items"].as_array().unwrap().len(), 0);
    let voids = w
        .app
        .get(
            "/api/v1/activities?status=entered_in_error",
            &w.worker.token,
        )
        .await
        .json();
    assert_eq!(voids["items"][0]["id"], id);

    let amend = patch_with(
        &w,
        &format!("/api/v1/activities/{id}"),
        &w.worker.token,
        Some("\"v2\""),
        json!({ "reason": "x" }),
    )
    .await;
    amend.assert_problem(409, "entered_in_error");
    let history = w
        .app
        .get(&format!("/api/v1/activities/{id}/history"), &w.worker.token)
        .await
        .json();
    assert_eq!(history["items"][1]["change"], "voided");
    assert_eq!(
        w.count("activity_events WHERE event_type = 'voided'").await,
        1
    );
    assert_eq!(w.app.audit_count("void", "activity").await, 1);

    let delete = w
        .app
        .send(TestApp::req(
            Method::DELETE,
            &format!("/api/v1/activities/{id}"),
            Some(&w.worker.token),
        ))
        .await;
    delete.assert_status(405);
}
