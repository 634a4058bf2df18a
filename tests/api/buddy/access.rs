//! Who may do what: coordinators manage, managers read, students and
//! buddies with accounts see only their own pairings, everyone else is
//! refused.
//!
//! One file for the whole scheme rather than one per URL: each story here
//! sweeps every path for one kind of caller, so that a path added without
//! its role check fails here.

use peerlog::auth::Role;
use serde_json::json;
use uuid::Uuid;

use super::*;
use crate::common::TestApp;

#[actix_web::test]
async fn roles_outside_the_scheme_are_refused_everywhere() {
    let app = TestApp::new().await;
    let c = app.user(Role::BuddyCoordinator, &[]).await;
    let cohort = cohort(&app, &c.token, "OT 2027", "occupational_therapy").await;
    let s = student(&app, &c.token, &cohort, "Jo").await;
    let b = buddy(&app, &c.token, true, 1).await;
    let p = active_pairing(&app, &c.token, &s, &b, 2).await;
    let m = meeting(&app, &c.token, &p, 1).await;
    let outsiders = [
        Role::PeerSupportWorker,
        Role::PeerTeamLeader,
        Role::WardStaff,
        Role::Admin,
        Role::Integration,
    ];
    assert_eq!(
        outsiders.len() + 4,
        Role::ALL.len(),
        "a new role must be placed inside or outside the scheme here"
    );
    for role in outsiders {
        let u = app.user(role, &[]).await;
        for path in [
            "/api/v1/buddy/cohorts".to_string(),
            format!("/api/v1/buddy/cohorts/{cohort}"),
            "/api/v1/buddy/students".to_string(),
            "/api/v1/buddy/buddies".to_string(),
            "/api/v1/buddy/pairings".to_string(),
            format!("/api/v1/buddy/pairings/{p}"),
            format!("/api/v1/buddy/pairings/{p}/meetings"),
            format!("/api/v1/buddy/meetings/{m}"),
            format!("/api/v1/buddy/pairings/{p}/feedback"),
            "/api/v1/buddy/reports/cohorts".to_string(),
        ] {
            app.get(&path, &u.token)
                .await
                .assert_problem(403, "forbidden");
        }
        propose(&app, &u.token, &s, &b, 2)
            .await
            .assert_problem(403, "forbidden");
        outcome(&app, &u.token, &m, "held", Some(30))
            .await
            .assert_problem(403, "forbidden");
    }
}

#[actix_web::test]
async fn a_manager_reads_everything_and_writes_nothing() {
    let app = TestApp::new().await;
    let c = app.user(Role::BuddyCoordinator, &[]).await;
    let mgr = app.user(Role::Manager, &[]).await;
    let cohort = cohort(&app, &c.token, "OT 2027", "occupational_therapy").await;
    let s = student(&app, &c.token, &cohort, "Jo").await;
    let b = buddy(&app, &c.token, true, 1).await;
    let p = active_pairing(&app, &c.token, &s, &b, 2).await;
    let m = meeting(&app, &c.token, &p, 1).await;

    for path in [
        format!("/api/v1/buddy/cohorts/{cohort}"),
        format!("/api/v1/buddy/students/{s}"),
        format!("/api/v1/buddy/buddies/{b}"),
        format!("/api/v1/buddy/pairings/{p}"),
        format!("/api/v1/buddy/meetings/{m}"),
        "/api/v1/buddy/reports/cohorts".to_string(),
    ] {
        app.get(&path, &mgr.token).await.assert_status(200);
    }
    // Reading a student's or a buddy's own record is audited.
    assert_eq!(app.audit_count("read", "buddy_student").await, 1);
    assert_eq!(app.audit_count("read", "buddy").await, 1);
    assert_eq!(
        app.get("/api/v1/buddy/pairings", &mgr.token).await.json()["items"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    app.post(
        "/api/v1/buddy/cohorts",
        &mgr.token,
        &json!({ "name": "X", "institution": "Y", "discipline": "other", "starts_on": "2027-01-01", "ends_on": "2027-02-01" }),
    )
    .await
    .assert_problem(403, "forbidden");
    app.patch(
        &format!("/api/v1/buddy/buddies/{b}"),
        &mgr.token,
        &json!({ "capacity": 3 }),
    )
    .await
    .assert_problem(403, "forbidden");
    set_status(&app, &mgr.token, &p, "withdrawn", Some("no"))
        .await
        .assert_problem(403, "forbidden");
    outcome(&app, &mgr.token, &m, "held", Some(30))
        .await
        .assert_problem(403, "forbidden");
}

#[actix_web::test]
async fn student_and_buddy_accounts_see_and_write_only_their_own_pairings() {
    let app = TestApp::new().await;
    let c = app.user(Role::BuddyCoordinator, &[]).await;
    let jo_account = app.user(Role::BuddyStudent, &[]).await;
    let robin_account = app.user(Role::BuddyVolunteer, &[]).await;
    let cohort = cohort(&app, &c.token, "OT 2027", "occupational_therapy").await;

    let jo = app
        .post(
            "/api/v1/buddy/students",
            &c.token,
            &json!({ "cohort_id": cohort, "full_name": "Jo", "email": "jo@uni.example.ac.uk", "user_id": jo_account.id }),
        )
        .await;
    jo.assert_status(201);
    let jo = jo.json()["id"].as_str().unwrap().to_string();
    let robin = buddy(&app, &c.token, true, 3).await;
    app.patch(
        &format!("/api/v1/buddy/buddies/{robin}"),
        &c.token,
        &json!({ "user_id": robin_account.id }),
    )
    .await
    .assert_status(200);
    // Linking an account of the wrong role is refused.
    let wrong = app
        .patch(
            &format!("/api/v1/buddy/buddies/{robin}"),
            &c.token,
            &json!({ "user_id": jo_account.id }),
        )
        .await;
    wrong.assert_problem(422, "validation_failed");
    assert_eq!(wrong.error_fields(), vec!["user_id"]);

    let other_student = student(&app, &c.token, &cohort, "Other").await;
    let other_buddy = buddy(&app, &c.token, true, 3).await;
    let mine = active_pairing(&app, &c.token, &jo, &robin, 2).await;
    let robins_other = active_pairing(&app, &c.token, &other_student, &robin, 2).await;
    let theirs_student2 = student(&app, &c.token, &cohort, "Third").await;
    let not_ours = active_pairing(&app, &c.token, &theirs_student2, &other_buddy, 2).await;
    let not_ours_meeting = meeting(&app, &c.token, &not_ours, 1).await;

    // Lists hold only their own pairings.
    let ids = |v: serde_json::Value| -> Vec<String> {
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["id"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        ids(app
            .get("/api/v1/buddy/pairings", &jo_account.token)
            .await
            .json()),
        vec![mine.clone()]
    );
    let mut robins = ids(app
        .get("/api/v1/buddy/pairings", &robin_account.token)
        .await
        .json());
    robins.sort();
    let mut expected = vec![mine.clone(), robins_other.clone()];
    expected.sort();
    assert_eq!(robins, expected);

    // Anything else is as if it did not exist.
    for token in [&jo_account.token, &robin_account.token] {
        app.get(&format!("/api/v1/buddy/pairings/{not_ours}"), token)
            .await
            .assert_problem(404, "not_found");
        app.get(
            &format!("/api/v1/buddy/pairings/{not_ours}/meetings"),
            token,
        )
        .await
        .assert_problem(404, "not_found");
        app.get(&format!("/api/v1/buddy/meetings/{not_ours_meeting}"), token)
            .await
            .assert_problem(404, "not_found");
        outcome(&app, token, &not_ours_meeting, "did_not_attend", None)
            .await
            .assert_problem(404, "not_found");
        app.get(&format!("/api/v1/buddy/pairings/{}", Uuid::now_v7()), token)
            .await
            .assert_problem(404, "not_found");
        // The directory, reports and status changes are the coordinator's.
        app.get("/api/v1/buddy/students", token)
            .await
            .assert_problem(403, "forbidden");
        app.get("/api/v1/buddy/reports/cohorts", token)
            .await
            .assert_problem(403, "forbidden");
        set_status(&app, token, &mine, "withdrawn", Some("x"))
            .await
            .assert_problem(403, "forbidden");
    }
    app.get(
        &format!("/api/v1/buddy/pairings/{robins_other}"),
        &jo_account.token,
    )
    .await
    .assert_problem(404, "not_found");

    // The student plans and records their own meetings and reflects on them.
    let m1 = meeting(&app, &jo_account.token, &mine, 3).await;
    let m2 = meeting(&app, &robin_account.token, &mine, 2).await;
    let m3 = meeting(&app, &jo_account.token, &mine, -3).await;
    // Each cancels only as themselves.
    outcome(&app, &jo_account.token, &m3, "cancelled_by_buddy", None)
        .await
        .assert_problem(403, "forbidden");
    outcome(
        &app,
        &robin_account.token,
        &m3,
        "cancelled_by_student",
        None,
    )
    .await
    .assert_problem(403, "forbidden");
    outcome(
        &app,
        &jo_account.token,
        &m3,
        "cancelled_by_coordinator",
        None,
    )
    .await
    .assert_problem(403, "forbidden");
    outcome(&app, &robin_account.token, &m3, "cancelled_by_buddy", None)
        .await
        .assert_status(200);
    outcome(&app, &jo_account.token, &m1, "held", Some(60))
        .await
        .assert_status(200);
    app.post(
        &format!("/api/v1/buddy/meetings/{m1}/reflection"),
        &jo_account.token,
        &json!({ "body": "Useful." }),
    )
    .await
    .assert_status(201);
    // Reflections are the student's own.
    app.get(
        &format!("/api/v1/buddy/meetings/{m1}/reflection"),
        &robin_account.token,
    )
    .await
    .assert_problem(403, "forbidden");
    app.get(
        &format!("/api/v1/buddy/meetings/{m1}/reflection"),
        &jo_account.token,
    )
    .await
    .assert_status(200);
    outcome(&app, &robin_account.token, &m2, "held", Some(50))
        .await
        .assert_status(200);
    assert_eq!(pairing(&app, &c.token, &mine).await["status"], "completed");

    // Feedback: each speaks for their own side only, and reads only it.
    feedback(
        &app,
        &jo_account.token,
        &mine,
        json!({ "respondent": "buddy", "overall_rating": 5, "support_rating": 5 }),
    )
    .await
    .assert_problem(403, "forbidden");
    let f = feedback(
        &app,
        &jo_account.token,
        &mine,
        json!({ "overall_rating": 4, "support_rating": 4 }),
    )
    .await;
    f.assert_status(201);
    assert_eq!(f.json()["respondent"], "student");
    assert_eq!(f.json()["author_id"], jo_account.id.to_string());
    feedback(
        &app,
        &robin_account.token,
        &mine,
        json!({ "overall_rating": 5, "support_rating": 2, "comments": "Lovely student" }),
    )
    .await
    .assert_status(201);
    let seen = app
        .get(
            &format!("/api/v1/buddy/pairings/{mine}/feedback"),
            &jo_account.token,
        )
        .await
        .json();
    assert_eq!(seen["items"].as_array().unwrap().len(), 1);
    assert_eq!(seen["items"][0]["respondent"], "student");
    let all = app
        .get(&format!("/api/v1/buddy/pairings/{mine}/feedback"), &c.token)
        .await
        .json();
    assert_eq!(all["items"].as_array().unwrap().len(), 2);

    // Unlinking the account takes the pairing out of its sight at once.
    let unlinked = app
        .patch(
            &format!("/api/v1/buddy/students/{jo}"),
            &c.token,
            &json!({ "user_id": null }),
        )
        .await;
    unlinked.assert_status(200);
    assert!(unlinked.json()["user_id"].is_null());
    app.get(&format!("/api/v1/buddy/pairings/{mine}"), &jo_account.token)
        .await
        .assert_problem(404, "not_found");

    // Their writes are audited under their own accounts.
    use diesel::prelude::*;
    use diesel_async::RunQueryDsl;
    use peerlog::schema::audit_log;
    let by_jo: i64 = audit_log::table
        .filter(audit_log::actor_id.eq(jo_account.id))
        .count()
        .get_result(&mut app.conn().await)
        .await
        .unwrap();
    // two meetings planned, one held, one reflection, one feedback
    assert_eq!(by_jo, 5);
}
