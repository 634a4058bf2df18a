//! Regressions found in review: each test is a request that once panicked,
//! answered 500, leaked a record, or let bad figures into reports.

use actix_web::http::Method;
use chrono::{Duration, Utc};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use peerlog::auth::Role;
use serde_json::json;

use super::{ts, Ward};
use crate::common::TestApp;

/// Amends `stored`, as first recorded (`If-Match: "v1"`), as a user.
async fn amend_v1(
    w: &Ward,
    token: &str,
    stored: &serde_json::Value,
    changes: serde_json::Value,
) -> crate::common::Resp {
    w.app
        .send(
            TestApp::req(
                Method::PATCH,
                &format!("/api/v1/activities/{}", stored["id"].as_str().unwrap()),
                Some(token),
            )
            .insert_header(("if-match", "\"v1\""))
            .set_json(changes),
        )
        .await
}

#[actix_web::test]
async fn instants_far_outside_any_record_are_refused_not_a_panic() {
    let w = Ward::new().await;
    for (start, field) in [
        ("+262142-12-31T23:59:00Z", "started_at"),
        ("-262143-01-01T00:00:00Z", "started_at"),
        ("1850-01-01T00:00:00Z", "started_at"),
    ] {
        let mut body = w.body("one_to_one");
        body["started_at"] = json!(start);
        let res = w
            .app
            .post("/api/v1/activities", &w.worker.token, &body)
            .await;
        res.assert_problem(422, "validation_failed");
        assert!(
            res.error_fields().contains(&field.to_string()),
            "{start}: {}",
            res.text()
        );
    }
    let mut body = w.body("one_to_one");
    body.as_object_mut().unwrap().remove("duration_minutes");
    body["ended_at"] = json!("+262142-12-31T23:59:00Z");
    let res = w
        .app
        .post("/api/v1/activities", &w.worker.token, &body)
        .await;
    assert!(
        res.error_fields().contains(&"ended_at".to_string()),
        "{}",
        res.text()
    );

    // An amendment moving the start far away is refused too.
    let stored = w.record(&w.body("one_to_one")).await;
    let res = amend_v1(
        &w,
        &w.worker.token,
        &stored,
        json!({ "reason": "typo", "started_at": "+262142-12-31T23:59:00Z" }),
    )
    .await;
    res.assert_problem(422, "validation_failed");
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

#[actix_web::test]
async fn a_leader_cannot_name_the_recorder_as_a_co_worker() {
    let w = Ward::new().await;
    let stored = w.record(&w.body("one_to_one")).await;
    let res = amend_v1(
        &w,
        &w.leader.token,
        &stored,
        json!({ "reason": "fix", "co_worker_ids": [w.worker.id] }),
    )
    .await;
    res.assert_problem(422, "validation_failed");
    assert_eq!(res.error_fields(), vec!["co_worker_ids[0]"]);
}

#[actix_web::test]
async fn escorted_leave_happens_within_its_activity() {
    let w = Ward::new().await;
    let mut body = w.body("escorted_leave");
    let start = Utc::now() - Duration::days(20);
    body["started_at"] = json!(ts(start));
    body["duration_minutes"] = json!(60);
    body["details"]["departed_at"] = json!(ts(start + Duration::minutes(5)));
    body["details"]["returned_at"] = json!(ts(Utc::now()));
    let res = w
        .app
        .post("/api/v1/activities", &w.worker.token, &body)
        .await;
    res.assert_problem(422, "validation_failed");
    assert_eq!(res.error_fields(), vec!["details.returned_at"]);
    body["details"]["departed_at"] = json!(ts(start + Duration::minutes(61)));
    body["details"]["returned_at"] = json!(ts(start + Duration::minutes(70)));
    let res = w
        .app
        .post("/api/v1/activities", &w.worker.token, &body)
        .await;
    assert!(
        res.error_fields()
            .contains(&"details.departed_at".to_string()),
        "{}",
        res.text()
    );
}

#[actix_web::test]
async fn parallel_guesses_cannot_pass_the_login_limit() {
    let app = TestApp::with_config(|c| c.login_max_failures = 5).await;
    let user = app.user(Role::PeerSupportWorker, &[]).await;
    let body = json!({ "username": user.username, "password": "wrong-password-xx" });
    let answers =
        futures_util::future::join_all((0..30).map(|_| app.post_anon("/api/v1/auth/token", &body)))
            .await;
    let checked = answers.iter().filter(|r| r.status == 401).count();
    let refused = answers.iter().filter(|r| r.status == 429).count();
    assert_eq!((checked, refused), (5, 25));
}

#[actix_web::test]
async fn amendment_reasons_stay_out_of_the_audit_log_admins_read() {
    let w = Ward::new().await;
    let admin = w.app.user(Role::Admin, &[]).await;
    let stored = w.record(&w.body("one_to_one")).await;
    amend_v1(
        &w,
        &w.worker.token,
        &stored,
        json!({ "reason": "disclosed self-harm history", "note": "updated" }),
    )
    .await
    .assert_status(200);
    let audit = w
        .app
        .get("/api/v1/audit?entity_type=activity&limit=200", &admin.token)
        .await;
    audit.assert_status(200);
    assert!(!audit.text().contains("self-harm"), "{}", audit.text());
    assert!(audit.text().contains("\"reason_given\":true"));
}
