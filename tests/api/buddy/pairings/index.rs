//! `/api/v1/buddy/pairings`: proposing pairings (who may be paired: a
//! verified registered volunteer with a free place), listing them, and a
//! pairing's whole run from proposal to feedback.

use chrono::Utc;
use peerlog::auth::Role;
use serde_json::json;

use crate::buddy::*;
use crate::common::TestApp;

#[actix_web::test]
async fn a_coordinator_runs_a_pairing_from_proposal_to_feedback() {
    let app = TestApp::new().await;
    let c = app.user(Role::BuddyCoordinator, &[]).await;
    let cohort = cohort(&app, &c.token, "OT 2027", "occupational_therapy").await;
    let s = student(&app, &c.token, &cohort, "Jo Smith").await;
    let b = buddy(&app, &c.token, true, 2).await;

    let proposed = propose(&app, &c.token, &s, &b, 2).await;
    proposed.assert_status(201);
    let p = proposed.json();
    assert_eq!(p["status"], "proposed");
    assert_eq!(p["cohort_id"], cohort.as_str());
    assert_eq!(p["coordinator_id"], c.id.to_string());
    let id = p["id"].as_str().unwrap();
    assert_eq!(
        proposed.header("location").unwrap(),
        format!("/api/v1/buddy/pairings/{id}")
    );

    let active = set_status(&app, &c.token, id, "active", None).await;
    active.assert_status(200);
    assert_eq!(active.json()["status"], "active");
    assert!(active.json()["activated_at"].is_string());

    let m1 = meeting(&app, &c.token, id, 14).await;
    let m2 = meeting(&app, &c.token, id, 7).await;
    let listed = app
        .get(&format!("/api/v1/buddy/pairings/{id}/meetings"), &c.token)
        .await
        .json();
    let seqs: Vec<_> = listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["sequence"].as_i64().unwrap())
        .collect();
    assert_eq!(seqs, vec![1, 2]);

    outcome(&app, &c.token, &m1, "held", Some(60))
        .await
        .assert_status(200);
    assert_eq!(pairing(&app, &c.token, id).await["status"], "active");
    // Asking to complete before the series is held is refused.
    set_status(&app, &c.token, id, "completed", None)
        .await
        .assert_problem(409, "meeting_series_incomplete");
    // Feedback waits for the end.
    feedback(
        &app,
        &c.token,
        id,
        json!({ "respondent": "student", "overall_rating": 4, "support_rating": 5 }),
    )
    .await
    .assert_problem(409, "pairing_not_ended");

    // Holding the last meeting of the series completes the pairing.
    let held = outcome(&app, &c.token, &m2, "held", Some(45)).await;
    held.assert_status(200);
    assert_eq!(held.json()["duration_minutes"], 45);
    let done = pairing(&app, &c.token, id).await;
    assert_eq!(done["status"], "completed");
    assert!(done["ended_at"].is_string());

    feedback(&app, &c.token, id, json!({ "respondent": "student", "overall_rating": 4, "support_rating": 5, "comments": "Eye-opening." }))
        .await
        .assert_status(201);
    feedback(
        &app,
        &c.token,
        id,
        json!({ "respondent": "buddy", "overall_rating": 5, "support_rating": 3 }),
    )
    .await
    .assert_status(201);
    feedback(
        &app,
        &c.token,
        id,
        json!({ "respondent": "buddy", "overall_rating": 1, "support_rating": 1 }),
    )
    .await
    .assert_problem(409, "feedback_exists");
    let given = app
        .get(&format!("/api/v1/buddy/pairings/{id}/feedback"), &c.token)
        .await
        .json();
    assert_eq!(given["items"].as_array().unwrap().len(), 2);

    // Every write was audited.
    assert_eq!(app.audit_count("create", "buddy_cohort").await, 1);
    assert_eq!(app.audit_count("create", "buddy_student").await, 1);
    assert_eq!(app.audit_count("create", "buddy").await, 1);
    assert_eq!(app.audit_count("create", "buddy_pairing").await, 1);
    // activate + automatic completion
    assert_eq!(app.audit_count("transition", "buddy_pairing").await, 2);
    assert_eq!(app.audit_count("create", "buddy_meeting").await, 2);
    assert_eq!(app.audit_count("update", "buddy_meeting").await, 2);
    assert_eq!(app.audit_count("create", "buddy_feedback").await, 2);
}

#[actix_web::test]
async fn a_buddy_who_is_not_a_verified_registered_volunteer_cannot_be_paired() {
    let app = TestApp::new().await;
    let c = app.user(Role::BuddyCoordinator, &[]).await;
    let cohort = cohort(
        &app,
        &c.token,
        "PWP 2027",
        "psychological_wellbeing_practitioner",
    )
    .await;
    let s = student(&app, &c.token, &cohort, "Jo Smith").await;
    let pending = buddy(&app, &c.token, false, 1).await;

    let refused = propose(&app, &c.token, &s, &pending, 6).await;
    let body = refused.assert_problem(422, "buddy_not_registered_volunteer");
    assert_eq!(refused.error_fields(), vec!["buddy_id"]);
    assert!(body["detail"].as_str().unwrap().contains("registered"));
    assert_eq!(app.audit_count("create", "buddy_pairing").await, 0);

    // Registration cannot be claimed without the date it was verified.
    app.patch(
        &format!("/api/v1/buddy/buddies/{pending}"),
        &c.token,
        &json!({ "volunteer_status": "registered" }),
    )
    .await
    .assert_problem(422, "validation_failed");
    let today = Utc::now().date_naive();
    app.patch(
        &format!("/api/v1/buddy/buddies/{pending}"),
        &c.token,
        &json!({ "volunteer_status": "registered", "volunteer_verified_on": today }),
    )
    .await
    .assert_status(200);
    let proposed = propose(&app, &c.token, &s, &pending, 6).await;
    proposed.assert_status(201);
    let id = proposed.json()["id"].as_str().unwrap().to_string();

    // A registration that lapses before activation stops the pairing starting.
    app.patch(
        &format!("/api/v1/buddy/buddies/{pending}"),
        &c.token,
        &json!({ "volunteer_status": "lapsed" }),
    )
    .await
    .assert_status(200);
    set_status(&app, &c.token, &id, "active", None)
        .await
        .assert_problem(422, "buddy_not_registered_volunteer");
    assert_eq!(pairing(&app, &c.token, &id).await["status"], "proposed");
}

#[actix_web::test]
async fn a_buddy_takes_no_more_students_than_their_capacity() {
    let app = TestApp::new().await;
    let c = app.user(Role::BuddyCoordinator, &[]).await;
    let cohort = cohort(&app, &c.token, "MHN 2027", "mental_health_nursing").await;
    let s1 = student(&app, &c.token, &cohort, "One").await;
    let s2 = student(&app, &c.token, &cohort, "Two").await;
    let b = buddy(&app, &c.token, true, 1).await;

    let first = propose(&app, &c.token, &s1, &b, 4).await;
    first.assert_status(201);
    let body = propose(&app, &c.token, &s2, &b, 4)
        .await
        .assert_problem(409, "buddy_at_capacity");
    assert_eq!(
        body["current"],
        json!({ "capacity": 1, "open_pairings": 1 })
    );

    // Withdrawing the first frees the place.
    let first_id = first.json()["id"].as_str().unwrap().to_string();
    set_status(
        &app,
        &c.token,
        &first_id,
        "withdrawn",
        Some("Student changed placement"),
    )
    .await
    .assert_status(200);
    propose(&app, &c.token, &s2, &b, 4).await.assert_status(201);
}

#[actix_web::test]
async fn concurrent_proposals_cannot_both_take_a_buddys_last_place() {
    let app = TestApp::new().await;
    let c = app.user(Role::BuddyCoordinator, &[]).await;
    let cohort = cohort(&app, &c.token, "MHN 2027", "mental_health_nursing").await;
    for _ in 0..3 {
        let b = buddy(&app, &c.token, true, 1).await;
        let s1 = student(&app, &c.token, &cohort, "One").await;
        let s2 = student(&app, &c.token, &cohort, "Two").await;
        let (r1, r2) = tokio::join!(
            propose(&app, &c.token, &s1, &b, 4),
            propose(&app, &c.token, &s2, &b, 4)
        );
        let mut statuses = vec![r1.status.as_u16(), r2.status.as_u16()];
        statuses.sort();
        assert_eq!(statuses, vec![201, 409], "{} / {}", r1.text(), r2.text());
    }
}

#[actix_web::test]
async fn pairing_lists_page_by_cursor_and_filter() {
    let app = TestApp::new().await;
    let c = app.user(Role::BuddyCoordinator, &[]).await;
    let cohort = cohort(&app, &c.token, "OT 2027", "occupational_therapy").await;
    let b = buddy(&app, &c.token, true, 5).await;
    let mut made = Vec::new();
    for name in ["A", "B", "C"] {
        let s = student(&app, &c.token, &cohort, name).await;
        made.push(
            propose(&app, &c.token, &s, &b, 2).await.json()["id"]
                .as_str()
                .unwrap()
                .to_string(),
        );
    }
    set_status(&app, &c.token, &made[1], "active", None)
        .await
        .assert_status(200);

    let mut seen = Vec::new();
    let mut url = "/api/v1/buddy/pairings?limit=2".to_string();
    loop {
        let page = app.get(&url, &c.token).await.json();
        seen.extend(
            page["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| p["id"].as_str().unwrap().to_string()),
        );
        match page["next_cursor"].as_str() {
            Some(cursor) => url = format!("/api/v1/buddy/pairings?limit=2&cursor={cursor}"),
            None => break,
        }
    }
    assert_eq!(seen, made);
    let active = app
        .get(
            &format!("/api/v1/buddy/pairings?status=active&buddy_id={b}"),
            &c.token,
        )
        .await
        .json();
    assert_eq!(active["items"].as_array().unwrap().len(), 1);
    assert_eq!(active["items"][0]["id"], made[1].as_str());
    app.get("/api/v1/buddy/pairings?status=paused", &c.token)
        .await
        .assert_problem(400, "invalid_query");
    let forged = app
        .get("/api/v1/buddy/pairings?cursor=forged", &c.token)
        .await;
    forged.assert_problem(422, "validation_failed");
    assert_eq!(forged.error_fields(), vec!["cursor"]);
}
