//! Bad input is a 422 naming every field at fault.
//!
//! One file for the whole scheme rather than one per URL: a single sweep
//! through every write, so that each keeps naming all its fields at fault.

use peerlog::auth::Role;
use serde_json::json;

use super::*;
use crate::common::TestApp;

#[actix_web::test]
async fn bad_input_is_refused_with_the_fields_at_fault() {
    let app = TestApp::new().await;
    let c = app.user(Role::BuddyCoordinator, &[]).await;
    let t = &c.token;

    let r = app
        .post(
            "/api/v1/buddy/cohorts",
            t,
            &json!({ "name": " ", "institution": "U", "discipline": "medicine", "starts_on": "2027-03-01", "ends_on": "2027-03-01" }),
        )
        .await;
    r.assert_problem(422, "validation_failed");
    assert_eq!(r.error_fields(), vec!["name", "ends_on"]);
    let r = app
        .post(
            "/api/v1/buddy/cohorts",
            t,
            &json!({ "name": "X", "institution": "U", "discipline": "dentistry", "starts_on": "2027-03-01", "ends_on": "2027-04-01" }),
        )
        .await;
    r.assert_problem(422, "validation_failed");
    assert_eq!(r.error_fields(), vec!["discipline"]);

    let cohort = cohort(&app, t, "OT 2027", "occupational_therapy").await;
    app.post(
        "/api/v1/buddy/cohorts",
        t,
        &json!({ "name": "OT 2027", "institution": "U", "discipline": "medicine", "starts_on": "2027-03-01", "ends_on": "2027-04-01" }),
    )
    .await
    .assert_problem(409, "cohort_name_taken");
    let r = app
        .patch(
            &format!("/api/v1/buddy/cohorts/{cohort}"),
            t,
            &json!({ "ends_on": "2026-01-01" }),
        )
        .await;
    assert_eq!(r.error_fields(), vec!["ends_on"]);

    let r = app
        .post(
            "/api/v1/buddy/students",
            t,
            &json!({ "cohort_id": cohort, "full_name": "", "email": "not an email" }),
        )
        .await;
    r.assert_problem(422, "validation_failed");
    assert_eq!(r.error_fields(), vec!["full_name", "email"]);
    let r = app
        .post(
            "/api/v1/buddy/students",
            t,
            &json!({ "cohort_id": uuid::Uuid::now_v7(), "full_name": "Jo", "email": "jo@uni.example.ac.uk" }),
        )
        .await;
    assert_eq!(r.error_fields(), vec!["cohort_id"]);

    let tomorrow = (chrono::Utc::now() + chrono::Duration::days(1)).date_naive();
    let r = app
        .post(
            "/api/v1/buddy/buddies",
            t,
            &json!({ "full_name": "R", "buddy_type": "carer", "volunteer_status": "registered", "capacity": 0, "email": "x@" }),
        )
        .await;
    r.assert_problem(422, "validation_failed");
    assert_eq!(
        r.error_fields(),
        vec!["volunteer_verified_on", "capacity", "email"]
    );
    let r = app
        .post(
            "/api/v1/buddy/buddies",
            t,
            &json!({ "full_name": "R", "buddy_type": "carer", "volunteer_status": "registered", "volunteer_verified_on": tomorrow }),
        )
        .await;
    assert_eq!(r.error_fields(), vec!["volunteer_verified_on"]);
    let r = app
        .post(
            "/api/v1/buddy/buddies",
            t,
            &json!({ "full_name": "R", "buddy_type": "friend" }),
        )
        .await;
    assert_eq!(r.error_fields(), vec!["buddy_type"]);

    let s = student(&app, t, &cohort, "Jo").await;
    let b = buddy(&app, t, true, 1).await;
    let r = propose(&app, t, &s, &b, 0).await;
    assert_eq!(r.error_fields(), vec!["planned_meetings"]);
    let r = propose(&app, t, &uuid::Uuid::now_v7().to_string(), &b, 2).await;
    assert_eq!(r.error_fields(), vec!["student_id"]);
    let p = active_pairing(&app, t, &s, &b, 1).await;

    let r = app
        .post(
            &format!("/api/v1/buddy/pairings/{p}/meetings"),
            t,
            &json!({ "planned_at": "2027-01-01T10:00:00Z", "mode": "carrier_pigeon", "topic": "work" }),
        )
        .await;
    assert_eq!(r.error_fields(), vec!["mode"]);
    let r = app
        .post(
            &format!("/api/v1/buddy/pairings/{p}/meetings"),
            t,
            &json!({ "sequence": 51, "planned_at": "2027-01-01T10:00:00Z", "mode": "in_person", "topic": "work" }),
        )
        .await;
    assert_eq!(r.error_fields(), vec!["sequence"]);
    let m = meeting(&app, t, &p, 1).await;
    outcome(&app, t, &m, "held", Some(481))
        .await
        .assert_problem(422, "validation_failed");
    outcome(&app, t, &m, "held", Some(60))
        .await
        .assert_status(200);
    let r = app
        .post(
            &format!("/api/v1/buddy/meetings/{m}/reflection"),
            t,
            &json!({ "body": "x".repeat(4001) }),
        )
        .await;
    assert_eq!(r.error_fields(), vec!["body"]);

    let r = feedback(
        &app,
        t,
        &p,
        json!({ "overall_rating": 6, "support_rating": 0, "comments": "y".repeat(4001) }),
    )
    .await;
    r.assert_problem(422, "validation_failed");
    assert_eq!(
        r.error_fields(),
        vec!["respondent", "overall_rating", "support_rating", "comments"]
    );
    assert_eq!(app.audit_count("create", "buddy_feedback").await, 0);
}
