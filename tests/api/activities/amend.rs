//! Amendments with If-Match, voiding, history.

use actix_web::http::Method;
use serde_json::json;

use super::Ward;
use crate::common::TestApp;

async fn patch_with(
    w: &Ward,
    path: &str,
    token: &str,
    etag: Option<&str>,
    body: serde_json::Value,
) -> crate::common::Resp {
    let mut req = TestApp::req(Method::PATCH, path, Some(token)).set_json(body);
    if let Some(tag) = etag {
        req = req.insert_header(("if-match", tag));
    }
    w.app.send(req).await
}

#[actix_web::test]
async fn an_amendment_needs_the_current_etag_and_a_reason_and_keeps_the_previous_version() {
    let w = Ward::new().await;
    let created = w.record(&w.body("one_to_one")).await;
    let path = format!("/api/v1/activities/{}", created["id"].as_str().unwrap());
    let change =
        json!({ "reason": "Wrong topic recorded", "details": { "topics": ["hearing_voices"] } });

    patch_with(&w, &path, &w.worker.token, None, change.clone())
        .await
        .assert_problem(428, "if_match_required");
    let no_reason = patch_with(
        &w,
        &path,
        &w.worker.token,
        Some("\"v1\""),
        json!({ "note": "x" }),
    )
    .await;
    no_reason.assert_problem(422, "validation_failed");
    let bad = patch_with(
        &w,
        &path,
        &w.worker.token,
        Some("\"v1\""),
        json!({ "reason": "typo", "details": { "topics": [] } }),
    )
    .await;
    assert_eq!(bad.error_fields(), ["details.topics"]);

    let ok = patch_with(&w, &path, &w.worker.token, Some("\"v1\""), change.clone()).await;
    ok.assert_status(200);
    assert_eq!(ok.header("etag").as_deref(), Some("\"v2\""));
    let amended = ok.json();
    assert_eq!(amended["status"], "amended");
    assert_eq!(amended["details"]["topics"], json!(["hearing_voices"]));
    assert_eq!(amended["note"], created["note"]);

    let stale = patch_with(&w, &path, &w.worker.token, Some("\"v1\""), change).await;
    let problem = stale.assert_problem(412, "version_mismatch");
    assert_eq!(problem["current"], amended);

    let history = w.app.get(&format!("{path}/history"), &w.worker.token).await;
    history.assert_status(200);
    let versions = history.json()["items"].as_array().unwrap().clone();
    assert_eq!(versions.len(), 2);
    assert_eq!(versions[0]["change"], "created");
    assert_eq!(versions[0]["snapshot"], created);
    assert_eq!(versions[1]["change"], "amended");
    assert_eq!(versions[1]["reason"], "Wrong topic recorded");
    assert_eq!(versions[1]["changed_by"], w.worker.id.to_string());
    assert_eq!(versions[1]["snapshot"], amended);

    assert_eq!(
        w.count("activity_events WHERE event_type = 'amended' AND version = 2")
            .await,
        1
    );
    assert_eq!(w.app.audit_count("amend", "activity").await, 1);
}

#[actix_web::test]
async fn workers_amend_their_own_records_and_team_leaders_any_on_their_wards() {
    let w = Ward::new().await;
    let created = w.record(&w.body("wellbeing")).await;
    let path = format!("/api/v1/activities/{}", created["id"].as_str().unwrap());
    let colleague = w
        .app
        .user(peerlog::auth::Role::PeerSupportWorker, &[w.ward])
        .await;
    let nurse = w.app.user(peerlog::auth::Role::WardStaff, &[w.ward]).await;
    let body = json!({ "reason": "Duration was longer", "duration_minutes": 90 });
    patch_with(&w, &path, &colleague.token, Some("\"v1\""), body.clone())
        .await
        .assert_problem(403, "forbidden");
    patch_with(&w, &path, &nurse.token, Some("\"v1\""), body.clone())
        .await
        .assert_problem(403, "forbidden");
    let ok = patch_with(&w, &path, &w.leader.token, Some("\"v1\""), body).await;
    ok.assert_status(200);
    assert_eq!(ok.json()["duration_minutes"], 90);
}

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
