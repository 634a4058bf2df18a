//! `POST /api/v1/activities`: every rule broken is a 422 naming the field
//! and stores nothing, including requests that once panicked or let bad
//! figures into reports.

use chrono::{Duration, Utc};
use serde_json::{json, Value};

use crate::activities::{amend_v1, ts, Ward};

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
