//! `/api/v1/buddy/meetings/{id}`: a meeting's outcome and its rules (and
//! the reflection a held meeting allows), series completion, and
//! simultaneous changes.

use chrono::{Duration, Utc};
use peerlog::auth::Role;
use serde_json::json;

use crate::buddy::*;
use crate::common::TestApp;

#[actix_web::test]
async fn a_meeting_outcome_follows_the_rules() {
    let app = TestApp::new().await;
    let c = app.user(Role::BuddyCoordinator, &[]).await;
    let cohort = cohort(&app, &c.token, "OT 2027", "occupational_therapy").await;
    let s = student(&app, &c.token, &cohort, "Jo").await;
    let b = buddy(&app, &c.token, true, 2).await;
    let proposed = propose(&app, &c.token, &s, &b, 3).await.json()["id"]
        .as_str()
        .unwrap()
        .to_string();

    // Meetings may be planned while proposed, but are held once active.
    let m1 = meeting(&app, &c.token, &proposed, 2).await;
    outcome(&app, &c.token, &m1, "held", Some(60))
        .await
        .assert_problem(409, "pairing_not_active");
    set_status(&app, &c.token, &proposed, "active", None)
        .await
        .assert_status(200);

    // A held meeting needs a duration; others must not have one.
    let r = outcome(&app, &c.token, &m1, "held", None).await;
    r.assert_problem(422, "validation_failed");
    assert_eq!(r.error_fields(), vec!["duration_minutes"]);
    let r = outcome(&app, &c.token, &m1, "held", Some(0)).await;
    assert_eq!(r.error_fields(), vec!["duration_minutes"]);
    let r = outcome(&app, &c.token, &m1, "did_not_attend", Some(10)).await;
    assert_eq!(r.error_fields(), vec!["duration_minutes"]);

    // A meeting still to come cannot have been held.
    let future = meeting(&app, &c.token, &proposed, -2).await;
    let r = outcome(&app, &c.token, &future, "held", Some(30)).await;
    r.assert_problem(422, "meeting_in_future");
    assert_eq!(r.error_fields(), vec!["planned_at"]);

    // Sequence numbers are unique within the pairing.
    let dup = app
        .post(
            &format!("/api/v1/buddy/pairings/{proposed}/meetings"),
            &c.token,
            &json!({ "sequence": 1, "planned_at": Utc::now(), "mode": "in_person", "topic": "family" }),
        )
        .await;
    dup.assert_problem(409, "meeting_sequence_taken");

    // A reflection waits for the meeting to be held.
    let reflect = |m: String| {
        let app = &app;
        let token = c.token.clone();
        async move {
            app.post(
                &format!("/api/v1/buddy/meetings/{m}/reflection"),
                &token,
                &json!({ "body": "I learnt to listen." }),
            )
            .await
        }
    };
    reflect(m1.clone())
        .await
        .assert_problem(409, "meeting_not_held");
    outcome(&app, &c.token, &m1, "held", Some(60))
        .await
        .assert_status(200);
    reflect(m1.clone()).await.assert_status(201);
    reflect(m1.clone())
        .await
        .assert_problem(409, "reflection_exists");
    let got = app
        .get(&format!("/api/v1/buddy/meetings/{m1}/reflection"), &c.token)
        .await;
    got.assert_status(200);
    assert_eq!(got.json()["body"], "I learnt to listen.");
    assert_eq!(app.audit_count("create", "buddy_reflection").await, 1);

    // Only a planned meeting changes.
    outcome(&app, &c.token, &m1, "cancelled_by_buddy", None)
        .await
        .assert_problem(409, "invalid_transition");
    app.patch(
        &format!("/api/v1/buddy/meetings/{m1}"),
        &c.token,
        &json!({ "topic": "work" }),
    )
    .await
    .assert_problem(409, "invalid_transition");

    // A planned meeting may be moved, and cancelled.
    let later = Utc::now() + Duration::days(9);
    let moved = app
        .patch(
            &format!("/api/v1/buddy/meetings/{future}"),
            &c.token,
            &json!({ "planned_at": later, "mode": "telephone" }),
        )
        .await;
    moved.assert_status(200);
    assert_eq!(moved.json()["mode"], "telephone");
    outcome(&app, &c.token, &future, "cancelled_by_student", None)
        .await
        .assert_status(200);
    // Cancelled meetings do not count towards the series.
    assert_eq!(pairing(&app, &c.token, &proposed).await["status"], "active");
}

#[actix_web::test]
async fn the_series_completes_only_when_the_planned_number_is_held() {
    let app = TestApp::new().await;
    let c = app.user(Role::BuddyCoordinator, &[]).await;
    let cohort = cohort(
        &app,
        &c.token,
        "PWP 2027",
        "psychological_wellbeing_practitioner",
    )
    .await;
    let s = student(&app, &c.token, &cohort, "Jo").await;
    let b = buddy(&app, &c.token, true, 1).await;
    let p = active_pairing(&app, &c.token, &s, &b, 3).await;

    let m1 = meeting(&app, &c.token, &p, 30).await;
    let m2 = meeting(&app, &c.token, &p, 20).await;
    let m3 = meeting(&app, &c.token, &p, 10).await;
    let m4 = meeting(&app, &c.token, &p, 5).await;
    outcome(&app, &c.token, &m1, "held", Some(60))
        .await
        .assert_status(200);
    outcome(&app, &c.token, &m2, "did_not_attend", None)
        .await
        .assert_status(200);
    outcome(&app, &c.token, &m3, "held", Some(55))
        .await
        .assert_status(200);
    assert_eq!(pairing(&app, &c.token, &p).await["status"], "active");
    // The rescheduled third meeting completes the series of three.
    outcome(&app, &c.token, &m4, "held", Some(40))
        .await
        .assert_status(200);
    let done = pairing(&app, &c.token, &p).await;
    assert_eq!(done["status"], "completed");
    // The completion freed the buddy's place.
    let s2 = student(&app, &c.token, &cohort, "Next").await;
    propose(&app, &c.token, &s2, &b, 3).await.assert_status(201);
}

#[actix_web::test]
async fn two_simultaneous_changes_to_one_meeting_cannot_both_win() {
    let app = TestApp::new().await;
    let c = app.user(Role::BuddyCoordinator, &[]).await;
    let cohort = cohort(&app, &c.token, "OT 2027", "occupational_therapy").await;
    let s = student(&app, &c.token, &cohort, "Jo").await;
    let b = buddy(&app, &c.token, true, 1).await;
    let p = active_pairing(&app, &c.token, &s, &b, 2).await;
    let m = meeting(&app, &c.token, &p, 1).await;
    let path = format!("/api/v1/buddy/meetings/{m}");
    let by_coordinator = json!({ "status": "cancelled_by_coordinator" });
    let by_student = json!({ "status": "cancelled_by_student" });
    let (first, second) = futures_util::future::join(
        app.patch(&path, &c.token, &by_coordinator),
        app.patch(&path, &c.token, &by_student),
    )
    .await;
    let mut statuses = [first.status.as_u16(), second.status.as_u16()];
    statuses.sort();
    assert_eq!(statuses, [200, 409], "{} / {}", first.text(), second.text());
}
