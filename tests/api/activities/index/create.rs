//! `POST /api/v1/activities`: recording one activity of every kind, what
//! reports copy from it, who may record where, and which people and ward
//! it may name.

use chrono::{Duration, Utc};
use peerlog::auth::Role;
use serde_json::json;

use crate::activities::{ts, Ward, KINDS};

#[actix_web::test]
async fn every_kind_is_recorded_and_read_back_with_an_etag_an_event_and_an_audit_row() {
    let w = Ward::new().await;
    for kind in KINDS {
        let body = w.body(kind);
        let created = w
            .app
            .post("/api/v1/activities", &w.worker.token, &body)
            .await;
        created.assert_status(201);
        assert_eq!(created.header("etag").as_deref(), Some("\"v1\""), "{kind}");
        let stored = created.json();
        assert_eq!(stored["id"], body["id"]);
        assert_eq!(stored["kind"], kind);
        assert_eq!(stored["details"], body["details"], "{kind}");
        assert_eq!(stored["recorded_by"], w.worker.id.to_string());
        assert_eq!(stored["duration_minutes"], 60);
        assert_eq!(stored["status"], "recorded");
        assert_eq!(stored["version"], 1);

        let read = w
            .app
            .get(
                &format!("/api/v1/activities/{}", body["id"].as_str().unwrap()),
                &w.worker.token,
            )
            .await;
        read.assert_status(200);
        assert_eq!(read.json(), stored, "{kind}");
        assert_eq!(read.header("etag").as_deref(), Some("\"v1\""));
    }
    assert_eq!(w.count("activities").await, 12);
    assert_eq!(
        w.count("activity_events WHERE event_type = 'created'")
            .await,
        12
    );
    assert_eq!(w.count("activity_versions").await, 12);
    assert_eq!(w.app.audit_count("create", "activity").await, 12);
    // Reads of the ten kinds that name service users are audited; the
    // awareness session and staff support named nobody.
    assert_eq!(w.app.audit_count("read", "activity").await, 10);
}

#[actix_web::test]
async fn report_columns_are_filled_from_the_details() {
    let w = Ward::new().await;
    for kind in ["escorted_leave", "de_escalation", "group_session"] {
        w.record(&w.body(kind)).await;
    }
    assert_eq!(w.count("activities WHERE kind = 'escorted_leave' AND leave_minutes = 45 AND returned_as_planned").await, 1);
    assert_eq!(
        w.count(
            "activities WHERE kind = 'de_escalation' AND restraint_avoided AND NOT staff_called"
        )
        .await,
        1
    );
    assert_eq!(w.count("activities WHERE kind = 'group_session' AND attendees_named = 2 AND attendees_unnamed = 4").await, 1);
    assert_eq!(w.count("activity_service_users").await, 1 + 2 + 2);
}

#[actix_web::test]
async fn only_peer_workers_and_leaders_record_and_only_on_their_wards() {
    let w = Ward::new().await;
    for role in [
        Role::WardStaff,
        Role::Manager,
        Role::Admin,
        Role::Integration,
        Role::BuddyCoordinator,
    ] {
        let user = w.app.user(role, &[w.ward]).await;
        w.app
            .post("/api/v1/activities", &user.token, &w.body("wellbeing"))
            .await
            .assert_problem(403, "forbidden");
    }
    let res = w
        .app
        .post("/api/v1/activities", &w.leader.token, &w.body("wellbeing"))
        .await;
    res.assert_status(201);
    let elsewhere = w.app.user(Role::PeerSupportWorker, &[w.other_ward]).await;
    let res = w
        .app
        .post(
            "/api/v1/activities",
            &elsewhere.token,
            &w.body("staff_support"),
        )
        .await;
    res.assert_problem(422, "validation_failed");
    assert_eq!(res.error_fields(), ["ward_id"]);
}

#[actix_web::test]
async fn a_recently_discharged_service_user_may_be_named_but_not_one_discharged_long_ago() {
    let w = Ward::new().await;
    let integration = w.app.user(peerlog::auth::Role::Integration, &[]).await;
    for (reference, days_ago, ok) in [("RX-RECENT", 3, true), ("RX-LONG", 40, false)] {
        let discharged = (Utc::now() - Duration::days(days_ago)).date_naive();
        let res = w
            .app
            .put(
                &format!("/api/v1/service-users/{reference}"),
                &integration.token,
                &json!({ "display_label": "C.D.", "ward_id": w.ward, "admitted_on": "2020-01-01", "discharged_on": discharged }),
            )
            .await;
        res.assert_status(201);
        let mut body = w.body("one_to_one");
        body["service_user_ids"] = json!([res.json()["id"]]);
        let created = w
            .app
            .post("/api/v1/activities", &w.worker.token, &body)
            .await;
        if ok {
            created.assert_status(201);
        } else {
            created.assert_problem(422, "validation_failed");
            assert_eq!(created.json()["errors"][0]["code"], "discharged");
        }
    }
}

#[actix_web::test]
async fn an_inactive_ward_takes_no_new_records() {
    let w = Ward::new().await;
    let admin = w.app.user(peerlog::auth::Role::Admin, &[]).await;
    w.app
        .patch(
            &format!("/api/v1/wards/{}", w.ward),
            &admin.token,
            &json!({ "active": false }),
        )
        .await
        .assert_status(200);
    let res = w
        .app
        .post("/api/v1/activities", &w.worker.token, &w.body("wellbeing"))
        .await;
    res.assert_problem(422, "validation_failed");
    assert_eq!(res.json()["errors"][0]["code"], "inactive");
}

#[actix_web::test]
async fn times_read_back_from_the_api_are_accepted_as_they_are_when_they_agree() {
    let w = Ward::new().await;
    let stored = w.record(&w.body("one_to_one")).await;
    // A tablet resends what it read: `ended_at` and `duration_minutes` both.
    let mut again = w.body("one_to_one");
    again["started_at"] = stored["started_at"].clone();
    again["ended_at"] = stored["ended_at"].clone();
    again["duration_minutes"] = stored["duration_minutes"].clone();
    let res = w
        .app
        .post("/api/v1/activities", &w.worker.token, &again)
        .await;
    res.assert_status(201);
    assert_eq!(res.json()["ended_at"], stored["ended_at"]);
    assert_eq!(res.json()["duration_minutes"], 60);

    // When they disagree, the answer names `duration_minutes`.
    let mut wrong = w.body("one_to_one");
    wrong["started_at"] = stored["started_at"].clone();
    wrong["ended_at"] = stored["ended_at"].clone();
    wrong["duration_minutes"] = json!(45);
    let res = w
        .app
        .post("/api/v1/activities", &w.worker.token, &wrong)
        .await;
    let problem = res.assert_problem(422, "validation_failed");
    assert_eq!(res.error_fields(), vec!["duration_minutes"]);
    assert_eq!(problem["errors"][0]["code"], "mismatch");
    assert_eq!(w.count("activities").await, 2);

    // An amendment may carry both too.
    let amended = w
        .amend(
            &stored,
            json!({ "reason": "Ended later", "ended_at": ts(Utc::now() - Duration::minutes(30)), "duration_minutes": 90 }),
        )
        .await;
    assert_eq!(amended["duration_minutes"], 90);
}
