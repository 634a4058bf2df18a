//! Recording every kind, and every rule broken.

use chrono::{Duration, Utc};
use serde_json::{json, Value};

use super::{ts, Ward, KINDS};

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

type Breaker = fn(&mut Value, &Ward);

/// (kind, what is broken, the field the 422 must name)
fn broken_rules() -> Vec<(&'static str, Breaker, &'static str)> {
    vec![
        (
            "one_to_one",
            |b, _| b["started_at"] = json!(ts(Utc::now() + Duration::hours(1))),
            "started_at",
        ),
        (
            "one_to_one",
            |b, _| b["started_at"] = json!(ts(Utc::now() - Duration::days(45))),
            "started_at",
        ),
        (
            "one_to_one",
            |b, _| {
                b.as_object_mut().unwrap().remove("duration_minutes");
                b["ended_at"] = b["started_at"].clone();
            },
            "ended_at",
        ),
        (
            "one_to_one",
            |b, _| {
                b.as_object_mut().unwrap().remove("duration_minutes");
            },
            "ended_at",
        ),
        (
            "one_to_one",
            |b, _| b["duration_minutes"] = json!(2000),
            "duration_minutes",
        ),
        (
            "one_to_one",
            |b, _| b["note"] = json!("x".repeat(2001)),
            "note",
        ),
        (
            "one_to_one",
            |b, w| b["service_user_ids"] = json!([w.stranger]),
            "service_user_ids[0]",
        ),
        (
            "one_to_one",
            |b, _| b["service_user_ids"] = json!([uuid::Uuid::new_v4()]),
            "service_user_ids[0]",
        ),
        (
            "one_to_one",
            |b, w| b["service_user_ids"] = json!(w.people),
            "service_user_ids",
        ),
        (
            "one_to_one",
            |b, _| b["details"]["topics"] = json!([]),
            "details.topics",
        ),
        (
            "one_to_one",
            |b, _| b["details"]["topics"] = json!(["listening", "listening"]),
            "details.topics[1]",
        ),
        (
            "one_to_one",
            |b, _| b["details"]["topics"] = json!(["astrology"]),
            "details.topics[0]",
        ),
        (
            "one_to_one",
            |b, w| b["ward_id"] = json!(w.other_ward),
            "ward_id",
        ),
        ("one_to_one", |b, _| b["kind"] = json!("knitting"), "kind"),
        ("one_to_one", |b, _| b["colour"] = json!("blue"), "colour"),
        (
            "one_to_one",
            |b, w| b["co_worker_ids"] = json!([w.leader.id, w.leader.id]),
            "co_worker_ids[1]",
        ),
        (
            "one_to_one",
            |b, w| b["co_worker_ids"] = json!([w.worker.id]),
            "co_worker_ids[0]",
        ),
        (
            "staff_support",
            |b, w| b["service_user_ids"] = json!([w.people[0]]),
            "service_user_ids",
        ),
        (
            "staff_support",
            |b, _| b["details"]["staff_count"] = json!(0),
            "details.staff_count",
        ),
        (
            "suicide_prevention",
            |b, _| {
                b["details"].as_object_mut().unwrap().remove("escalated_to");
            },
            "details.escalated_to",
        ),
        (
            "suicide_prevention",
            |b, _| b["details"]["escalated_to"] = json!("  "),
            "details.escalated_to",
        ),
        (
            "suicide_prevention",
            |b, _| b["details"]["escalated_at"] = json!(null),
            "details.escalated_at",
        ),
        (
            "suicide_prevention",
            |b, _| b["details"]["escalated_at"] = json!(ts(Utc::now() + Duration::hours(2))),
            "details.escalated_at",
        ),
        (
            "escorted_leave",
            |b, _| b["details"]["returned_at"] = b["details"]["departed_at"].clone(),
            "details.returned_at",
        ),
        (
            "escorted_leave",
            |b, _| b["details"]["returned_at"] = json!(null),
            "details.returned_at",
        ),
        (
            "escorted_leave",
            |b, _| b["details"]["authorised_by"] = json!(""),
            "details.authorised_by",
        ),
        (
            "escorted_leave",
            |b, _| b["details"]["destination"] = json!("pub"),
            "details.destination",
        ),
        (
            "escorted_leave",
            |b, _| b["details"]["incident_reference"] = json!("INC-1"),
            "details.incident_reference",
        ),
        (
            "group_session",
            |b, _| b["details"]["unnamed_attendees"] = json!(-1),
            "details.unnamed_attendees",
        ),
        (
            "group_session",
            |b, w| b["service_user_ids"] = json!([w.people[0], w.people[0]]),
            "service_user_ids[1]",
        ),
        (
            "group_session",
            |b, _| b["details"]["format"] = json!("group_therapy"),
            "details.unnamed_attendees",
        ),
        (
            "de_escalation",
            |b, _| b["details"]["outcome"] = json!("restraint_used"),
            "details.restraint_avoided",
        ),
        (
            "de_escalation",
            |b, _| b["details"]["approaches"] = json!([]),
            "details.approaches",
        ),
        (
            "de_escalation",
            |b, _| b["details"]["incident_reference"] = json!("not a ref!"),
            "details.incident_reference",
        ),
        (
            "de_escalation",
            |b, _| {
                b["details"]
                    .as_object_mut()
                    .unwrap()
                    .remove("restraint_avoided");
            },
            "details.restraint_avoided",
        ),
        (
            "advocacy",
            |b, _| b["details"]["mode"] = json!("shouting"),
            "details.mode",
        ),
        (
            "advocacy",
            |b, _| b["service_user_ids"] = json!([]),
            "service_user_ids",
        ),
        (
            "crisis_support",
            |b, _| b["details"]["approaches"] = json!(["breathing", "breathing"]),
            "details.approaches[1]",
        ),
        (
            "wellbeing",
            |b, _| b["details"]["focus"] = json!([]),
            "details.focus",
        ),
        (
            "wellbeing",
            |b, _| b["details"]["extra"] = json!(1),
            "details.extra",
        ),
        (
            "ward_review_support",
            |b, _| {
                b["details"].as_object_mut().unwrap().remove("support");
            },
            "details.support",
        ),
        (
            "discharge_support",
            |b, _| b["details"]["home_leave_recommended"] = json!("yes"),
            "details.home_leave_recommended",
        ),
        (
            "awareness",
            |b, w| {
                b["service_user_ids"] = json!(w.people);
                b["details"]["attendees"] = json!(1);
            },
            "details.attendees",
        ),
    ]
}

#[actix_web::test]
async fn each_broken_rule_is_a_422_naming_the_field_and_stores_nothing() {
    let w = Ward::new().await;
    for (kind, breaker, field) in broken_rules() {
        let mut body = w.body(kind);
        breaker(&mut body, &w);
        let res = w
            .app
            .post("/api/v1/activities", &w.worker.token, &body)
            .await;
        res.assert_problem(422, "validation_failed");
        assert!(
            res.error_fields().contains(&field.to_string()),
            "{kind}: expected {field}, got {}",
            res.text()
        );
    }
    assert_eq!(w.count("activities").await, 0);
    assert_eq!(w.count("activity_events").await, 0);
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
async fn the_vocabulary_lists_what_validation_accepts() {
    let w = Ward::new().await;
    let res = w.app.get("/api/v1/vocabulary", &w.worker.token).await;
    res.assert_status(200);
    let v = res.json();
    let kinds: Vec<&str> = v["activity_kinds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k.as_str().unwrap())
        .collect();
    assert_eq!(kinds, KINDS);
    assert!(v["topics"]
        .as_array()
        .unwrap()
        .contains(&json!("hearing_voices")));
    assert!(v["de_escalation_outcomes"]
        .as_array()
        .unwrap()
        .contains(&json!("restraint_used")));
    assert!(v["service_lines"]
        .as_array()
        .unwrap()
        .contains(&json!("medium_secure")));
    // Every topic the vocabulary offers is accepted.
    let mut body = w.body("one_to_one");
    body["details"]["topics"] = json!(v["topics"].as_array().unwrap()[..10]);
    w.record(&body).await;
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
