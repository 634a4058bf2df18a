//! `/api/v1/buddy/pairings/{id}/status`: a pairing's life, and a student's
//! one active pairing per cohort.

use chrono::{Duration, Utc};
use diesel_async::RunQueryDsl;
use peerlog::auth::Role;
use serde_json::json;

use crate::buddy::*;
use crate::common::TestApp;

#[actix_web::test]
async fn a_student_has_at_most_one_active_pairing_per_cohort() {
    let app = TestApp::new().await;
    let c = app.user(Role::BuddyCoordinator, &[]).await;
    let cohort = cohort(&app, &c.token, "SW 2027", "social_work").await;
    let s = student(&app, &c.token, &cohort, "Jo").await;
    let b1 = buddy(&app, &c.token, true, 3).await;
    let b2 = buddy(&app, &c.token, true, 3).await;
    let b3 = buddy(&app, &c.token, true, 3).await;

    // Two proposals may wait side by side…
    let p1 = propose(&app, &c.token, &s, &b1, 4).await.json()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let p2 = propose(&app, &c.token, &s, &b2, 4).await.json()["id"]
        .as_str()
        .unwrap()
        .to_string();
    // …but only one becomes active.
    set_status(&app, &c.token, &p1, "active", None)
        .await
        .assert_status(200);
    let body = set_status(&app, &c.token, &p2, "active", None)
        .await
        .assert_problem(409, "student_already_paired");
    assert_eq!(body["current"]["active_pairing_id"], p1.as_str());
    propose(&app, &c.token, &s, &b3, 4)
        .await
        .assert_problem(409, "student_already_paired");

    // The database refuses a second active pairing even behind the API's back.
    let mut conn = app.conn().await;
    let err = diesel::sql_query(format!(
        "UPDATE buddy_pairings SET status = 'active', activated_at = now() WHERE id = '{p2}'"
    ))
    .execute(&mut conn)
    .await
    .unwrap_err();
    assert!(
        err.to_string()
            .contains("buddy_pairings_one_active_per_cohort"),
        "{err}"
    );

    // Once the first is withdrawn, the second may start.
    set_status(&app, &c.token, &p1, "withdrawn", Some("Buddy unwell"))
        .await
        .assert_status(200);
    set_status(&app, &c.token, &p2, "active", None)
        .await
        .assert_status(200);
}

#[actix_web::test]
async fn only_the_documented_status_transitions_are_allowed() {
    let app = TestApp::new().await;
    let c = app.user(Role::BuddyCoordinator, &[]).await;
    let cohort = cohort(&app, &c.token, "Med 2027", "medicine").await;
    let b = buddy(&app, &c.token, true, 5).await;

    // proposed → completed is not a move.
    let s1 = student(&app, &c.token, &cohort, "One").await;
    let p = propose(&app, &c.token, &s1, &b, 1).await.json()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let body = set_status(&app, &c.token, &p, "completed", None)
        .await
        .assert_problem(409, "invalid_transition");
    assert!(
        body["detail"]
            .as_str()
            .unwrap()
            .contains("proposed to completed"),
        "{body}"
    );
    assert_eq!(body["current"]["status"], "proposed");
    set_status(&app, &c.token, &p, "proposed", None)
        .await
        .assert_problem(409, "invalid_transition");

    // Withdrawal needs a reason, and only withdrawal takes one.
    let r = set_status(&app, &c.token, &p, "withdrawn", None).await;
    r.assert_problem(422, "validation_failed");
    assert_eq!(r.error_fields(), vec!["reason"]);
    let r = set_status(&app, &c.token, &p, "active", Some("why not")).await;
    assert_eq!(r.error_fields(), vec!["reason"]);

    // proposed → withdrawn, then nothing more.
    let w = set_status(
        &app,
        &c.token,
        &p,
        "withdrawn",
        Some("Student left the course"),
    )
    .await;
    w.assert_status(200);
    assert_eq!(w.json()["withdrawn_reason"], "Student left the course");
    for to in ["active", "completed", "proposed"] {
        set_status(&app, &c.token, &p, to, None)
            .await
            .assert_problem(409, "invalid_transition");
    }

    // active → withdrawn cancels the meetings still planned, keeps the held ones.
    let s2 = student(&app, &c.token, &cohort, "Two").await;
    let p2 = active_pairing(&app, &c.token, &s2, &b, 3).await;
    let held = meeting(&app, &c.token, &p2, 3).await;
    let planned = meeting(&app, &c.token, &p2, -3).await;
    outcome(&app, &c.token, &held, "held", Some(30))
        .await
        .assert_status(200);
    set_status(&app, &c.token, &p2, "withdrawn", Some("Buddy moved away"))
        .await
        .assert_status(200);
    let m = app
        .get(&format!("/api/v1/buddy/meetings/{planned}"), &c.token)
        .await
        .json();
    assert_eq!(m["status"], "cancelled_by_coordinator");
    let m = app
        .get(&format!("/api/v1/buddy/meetings/{held}"), &c.token)
        .await
        .json();
    assert_eq!(m["status"], "held");
    // A withdrawn pairing takes no new meetings.
    app.post(
        &format!("/api/v1/buddy/pairings/{p2}/meetings"),
        &c.token,
        &json!({ "planned_at": Utc::now() + Duration::days(1), "mode": "telephone", "topic": "work" }),
    )
    .await
    .assert_problem(409, "pairing_closed");

    // completed → anything is refused.
    let s3 = student(&app, &c.token, &cohort, "Three").await;
    let p3 = active_pairing(&app, &c.token, &s3, &b, 1).await;
    let m = meeting(&app, &c.token, &p3, 1).await;
    outcome(&app, &c.token, &m, "held", Some(50))
        .await
        .assert_status(200);
    assert_eq!(pairing(&app, &c.token, &p3).await["status"], "completed");
    set_status(&app, &c.token, &p3, "withdrawn", Some("too late"))
        .await
        .assert_problem(409, "invalid_transition");
    set_status(&app, &c.token, &p3, "active", None)
        .await
        .assert_problem(409, "invalid_transition");

    // Refused moves leave no audit row: p withdrawn; p2 activated and
    // withdrawn; p3 activated and completed by its held series.
    assert_eq!(app.audit_count("transition", "buddy_pairing").await, 5);
}

#[actix_web::test]
async fn concurrent_activations_leave_a_student_one_active_pairing() {
    let app = TestApp::new().await;
    let c = app.user(Role::BuddyCoordinator, &[]).await;
    let cohort = cohort(&app, &c.token, "SW 2027", "social_work").await;
    for _ in 0..3 {
        let s = student(&app, &c.token, &cohort, "Jo").await;
        let b1 = buddy(&app, &c.token, true, 1).await;
        let b2 = buddy(&app, &c.token, true, 1).await;
        let p1 = propose(&app, &c.token, &s, &b1, 2).await.json()["id"]
            .as_str()
            .unwrap()
            .to_string();
        let p2 = propose(&app, &c.token, &s, &b2, 2).await.json()["id"]
            .as_str()
            .unwrap()
            .to_string();
        let (r1, r2) = tokio::join!(
            set_status(&app, &c.token, &p1, "active", None),
            set_status(&app, &c.token, &p2, "active", None)
        );
        let mut answers = [
            (r1.status.as_u16(), r1.json()["code"].clone()),
            (r2.status.as_u16(), r2.json()["code"].clone()),
        ];
        answers.sort_by_key(|a| a.0);
        assert_eq!(answers[0].0, 200);
        assert_eq!(answers[1], (409, json!("student_already_paired")));
    }
}
