//! `/api/v1/leaves`: escorted leave as it happens. A worker plans it, a
//! nurse on the ward authorises it, the worker records leaving and coming
//! back, and the return records the escorted-leave activity once; every
//! other move, role and ward is refused with a clear answer.

use actix_web::http::Method;
use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use futures_util::future::join_all;
use peerlog::auth::Role;
use serde_json::{json, Value};
use uuid::Uuid;

use crate::activities::{ts, Ward};
use crate::common::{Resp, TestApp, TestUser};

/// A ward with its worker, a nurse on it and a plan to work on.
struct Leave {
    w: Ward,
    nurse: TestUser,
}

impl Leave {
    async fn new() -> Leave {
        let w = Ward::new().await;
        let nurse = w.app.user(Role::WardStaff, &[w.ward]).await;
        Leave { w, nurse }
    }

    fn plan_body(&self) -> Value {
        json!({
            "id": Uuid::now_v7(),
            "ward_id": self.w.ward,
            "service_user_id": self.w.people[0],
            "expected_minutes": 60,
            "authorisation": "section_17",
            "destination": "shops",
            "purpose": "buy toiletries",
        })
    }

    /// A planned leave's id, planned by the ward's worker.
    async fn planned(&self) -> String {
        let res = self
            .w
            .app
            .post("/api/v1/leaves", &self.w.worker.token, &self.plan_body())
            .await;
        res.assert_status(201);
        res.json()["id"].as_str().unwrap().to_string()
    }

    async fn post(&self, id: &str, verb: &str, who: &TestUser, body: &Value) -> Resp {
        self.w
            .app
            .post(&format!("/api/v1/leaves/{id}/{verb}"), &who.token, body)
            .await
    }

    async fn post_if(&self, id: &str, verb: &str, who: &TestUser, tag: &str) -> Resp {
        let body = if verb == "cancel" {
            json!({ "reason": "changed plans" })
        } else {
            json!({})
        };
        self.w
            .app
            .send(
                TestApp::req(
                    Method::POST,
                    &format!("/api/v1/leaves/{id}/{verb}"),
                    Some(&who.token),
                )
                .insert_header(("if-match", tag))
                .set_json(body),
            )
            .await
    }

    /// A leave moved on to `state` (authorised or out).
    async fn reached(&self, state: &str) -> String {
        let id = self.planned().await;
        self.post(&id, "authorise", &self.nurse, &json!({}))
            .await
            .assert_status(200);
        if state == "out" {
            self.post(&id, "depart", &self.w.worker, &json!({}))
                .await
                .assert_status(200);
        }
        id
    }

    async fn escorted_leave_activities(&self) -> i64 {
        use peerlog::schema::activities;
        activities::table
            .filter(activities::kind.eq("escorted_leave"))
            .count()
            .get_result(&mut self.w.app.conn().await)
            .await
            .unwrap()
    }
}

/// The outbox events of an activity, in order.
async fn outbox_events(w: &Ward, activity_id: &str) -> Vec<String> {
    use peerlog::schema::activity_events;
    activity_events::table
        .filter(activity_events::activity_id.eq(activity_id.parse::<Uuid>().unwrap()))
        .order(activity_events::id.asc())
        .select(activity_events::event_type)
        .load(&mut w.app.conn().await)
        .await
        .unwrap()
}

fn at(v: &Value) -> DateTime<Utc> {
    v.as_str().unwrap().parse().unwrap()
}

#[actix_web::test]
async fn a_leave_is_planned_authorised_taken_and_recorded_once_on_return() {
    let l = Leave::new().await;
    let w = &l.w;
    let plan = l.plan_body();
    let res = w.app.post("/api/v1/leaves", &w.worker.token, &plan).await;
    res.assert_status(201);
    assert_eq!(res.header("etag").as_deref(), Some("\"v1\""));
    let planned = res.json();
    let id = planned["id"].as_str().unwrap().to_string();
    assert_eq!(planned["state"], "planned");
    assert_eq!(planned["service_user_label"], "A.B.");
    assert_eq!(planned["planned_by"], w.worker.id.to_string());
    // A retried plan (the answer was lost) is the same plan, not a second.
    let again = w.app.post("/api/v1/leaves", &w.worker.token, &plan).await;
    again.assert_status(200);
    assert_eq!(again.json()["id"], id.as_str());

    // The nurse sees it waiting for authorisation, and authorises it.
    let waiting = w
        .app
        .get(
            &format!("/api/v1/leaves?ward_id={}&state=planned", w.ward),
            &l.nurse.token,
        )
        .await;
    waiting.assert_status(200);
    let items = waiting.json()["items"].as_array().unwrap().clone();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["id"], id.as_str());
    let res = l.post_if(&id, "authorise", &l.nurse, "\"v1\"").await;
    res.assert_status(200);
    assert_eq!(res.header("etag").as_deref(), Some("\"v2\""));
    let authorised = res.json();
    assert_eq!(authorised["state"], "authorised");
    assert_eq!(authorised["authorised_by"], l.nurse.id.to_string());
    assert_eq!(authorised["authorised_by_name"], "Test ward_staff");
    assert!(authorised["authorised_at"].is_string());

    // The worker leaves with the person (the time adjusted a little; never
    // before the nurse authorised it: see bad_input_is_named_field_by_field).
    let left = Utc::now() - Duration::seconds(30);
    let res = l
        .post(
            &id,
            "depart",
            &w.worker,
            &json!({ "departed_at": ts(left) }),
        )
        .await;
    res.assert_status(200);
    assert_eq!(res.json()["state"], "out");
    let out = w
        .app
        .get(
            &format!("/api/v1/leaves?ward_id={}&state=out", w.ward),
            &l.nurse.token,
        )
        .await;
    assert_eq!(out.json()["items"].as_array().unwrap().len(), 1);
    assert_eq!(l.escorted_leave_activities().await, 0);

    // Back: the leave is returned and the activity recorded.
    let res = l.post(&id, "return", &w.worker, &json!({})).await;
    res.assert_status(200);
    let back = res.json();
    assert_eq!(back["state"], "returned");
    assert_eq!(back["version"], 4);
    let returned_at = at(&back["returned_at"]);
    assert!((Utc::now() - returned_at).num_seconds().abs() < 60);
    let activity_id = back["activity_id"].as_str().unwrap();
    assert_eq!(l.escorted_leave_activities().await, 1);
    let out = w
        .app
        .get(
            &format!("/api/v1/leaves?ward_id={}&state=out", w.ward),
            &l.nurse.token,
        )
        .await;
    assert_eq!(out.json()["items"].as_array().unwrap().len(), 0);

    let activity = w
        .app
        .get(
            &format!("/api/v1/activities/{activity_id}"),
            &w.leader.token,
        )
        .await;
    activity.assert_status(200);
    let a = activity.json();
    assert_eq!(a["kind"], "escorted_leave");
    assert_eq!(a["recorded_by"], w.worker.id.to_string());
    assert_eq!(a["service_user_ids"], json!([w.people[0]]));
    assert_eq!(at(&a["started_at"]), at(&json!(ts(left))));
    assert_eq!(at(&a["ended_at"]), returned_at);
    assert_eq!(at(&a["details"]["departed_at"]), at(&json!(ts(left))));
    assert_eq!(at(&a["details"]["returned_at"]), returned_at);
    assert_eq!(a["details"]["authorisation"], "section_17");
    assert_eq!(a["details"]["destination"], "shops");
    assert_eq!(a["details"]["authorised_by"], "Test ward_staff");
    assert_eq!(a["details"]["returned_as_planned"], true);
    assert_eq!(a["note"], "buy toiletries");
    // The nurse who authorised it in peerlog is kept as such, in the
    // record's first version: its history is one "created", no amendment.
    assert_eq!(
        a["leave_confirmation"]["confirmed_by"],
        l.nurse.id.to_string()
    );
    assert_eq!(
        at(&a["leave_confirmation"]["confirmed_at"]),
        at(&authorised["authorised_at"])
    );
    assert_eq!(a["version"], 1);
    let history = w
        .app
        .get(
            &format!("/api/v1/activities/{activity_id}/history"),
            &w.leader.token,
        )
        .await
        .json();
    let versions = history["items"].as_array().unwrap();
    assert_eq!(versions.len(), 1);
    assert_eq!(versions[0]["change"], "created");
    assert_eq!(w.app.audit_count("create", "activity").await, 1);
    assert_eq!(w.app.audit_count("amend", "activity").await, 0);
    // The trust's systems see it as any other record: the outbox has it,
    // once, as created.
    assert_eq!(outbox_events(w, activity_id).await, vec!["created"]);

    // A second return (a retry after a lost answer) is refused, and
    // records nothing more.
    let twice = l.post(&id, "return", &w.worker, &json!({})).await;
    let problem = twice.assert_problem(409, "invalid_transition");
    assert_eq!(problem["current"]["state"], "returned");
    assert_eq!(l.escorted_leave_activities().await, 1);

    for action in [
        "leave_plan",
        "leave_authorise",
        "leave_depart",
        "leave_return",
    ] {
        assert_eq!(w.app.audit_count(action, "leave").await, 1, "{action}");
    }
}

#[actix_web::test]
async fn two_returns_at_once_record_one_activity() {
    let l = Leave::new().await;
    let id = l.reached("out").await;
    let path = format!("/api/v1/leaves/{id}/return");
    let empty = json!({});
    let sends = (0..4).map(|_| l.w.app.post(&path, &l.w.worker.token, &empty));
    let answers = join_all(sends).await;
    let ok = answers.iter().filter(|r| r.status.as_u16() == 200).count();
    let refused = answers
        .iter()
        .filter(|r| r.status.as_u16() == 409 && r.json()["code"] == "invalid_transition")
        .count();
    assert_eq!((ok, refused), (1, 3));
    assert_eq!(l.escorted_leave_activities().await, 1);
}

#[actix_web::test]
async fn only_a_nurse_on_the_ward_authorises_and_never_a_worker_their_own_plan() {
    let l = Leave::new().await;
    let w = &l.w;
    let id = l.planned().await;
    let elsewhere = w.app.user(Role::WardStaff, &[w.other_ward]).await;
    let manager = w.app.user(Role::Manager, &[]).await;
    let admin = w.app.user(Role::Admin, &[]).await;
    let second_worker = w.app.user(Role::PeerSupportWorker, &[w.ward]).await;
    // The worker who planned it, another worker, a team leader, a manager:
    // their role does not authorise.
    for who in [&w.worker, &second_worker, &w.leader, &manager, &admin] {
        l.post(&id, "authorise", who, &json!({}))
            .await
            .assert_problem(403, "forbidden");
    }
    // A nurse on another ward does not know the leave exists.
    l.post(&id, "authorise", &elsewhere, &json!({}))
        .await
        .assert_problem(404, "not_found");
    w.app
        .get(&format!("/api/v1/leaves/{id}"), &elsewhere.token)
        .await
        .assert_problem(404, "not_found");
    let theirs = w.app.get("/api/v1/leaves", &elsewhere.token).await.json();
    assert_eq!(theirs["items"], json!([]));
    w.app
        .get(
            &format!("/api/v1/leaves?ward_id={}", w.ward),
            &elsewhere.token,
        )
        .await
        .assert_problem(404, "not_found");
    assert_eq!(w.app.audit_count("leave_authorise", "leave").await, 0);

    // A nurse does not plan, leave or return.
    w.app
        .post("/api/v1/leaves", &l.nurse.token, &l.plan_body())
        .await
        .assert_problem(403, "forbidden");
    let authorised = l.reached("authorised").await;
    l.post(&authorised, "depart", &l.nurse, &json!({}))
        .await
        .assert_problem(403, "forbidden");
    // A worker on another ward neither.
    let stranger = w.app.user(Role::PeerSupportWorker, &[w.other_ward]).await;
    l.post(&authorised, "depart", &stranger, &json!({}))
        .await
        .assert_problem(404, "not_found");
    // Another worker on the ward may escort it.
    l.post(&authorised, "depart", &second_worker, &json!({}))
        .await
        .assert_status(200);
    l.post(&authorised, "return", &l.nurse, &json!({}))
        .await
        .assert_problem(403, "forbidden");
    l.post(&authorised, "return", &second_worker, &json!({}))
        .await
        .assert_status(200);
}

#[actix_web::test]
async fn a_move_the_state_does_not_allow_is_a_clear_conflict() {
    let l = Leave::new().await;
    let w = &l.w;
    let planned = l.planned().await;
    // Nobody leaves before a nurse authorises, nor comes back unbegun.
    let res = l.post(&planned, "depart", &w.worker, &json!({})).await;
    let problem = res.assert_problem(409, "invalid_transition");
    assert_eq!(problem["current"]["state"], "planned");
    assert!(problem["detail"]
        .as_str()
        .unwrap()
        .contains("waiting for a nurse"));
    l.post(&planned, "return", &w.worker, &json!({}))
        .await
        .assert_problem(409, "invalid_transition");

    let authorised = l.reached("authorised").await;
    l.post(&authorised, "authorise", &l.nurse, &json!({}))
        .await
        .assert_problem(409, "invalid_transition");
    l.post(&authorised, "return", &w.worker, &json!({}))
        .await
        .assert_problem(409, "invalid_transition");

    let out = l.reached("out").await;
    l.post(&out, "depart", &w.worker, &json!({}))
        .await
        .assert_problem(409, "invalid_transition");
    l.post(
        &out,
        "cancel",
        &w.worker,
        &json!({ "reason": "changed mind" }),
    )
    .await
    .assert_problem(409, "invalid_transition");

    // A cancelled leave stays cancelled.
    l.post(
        &planned,
        "cancel",
        &w.worker,
        &json!({ "reason": "unwell" }),
    )
    .await
    .assert_status(200);
    for verb in ["authorise", "depart", "return"] {
        let who = if verb == "authorise" {
            &l.nurse
        } else {
            &w.worker
        };
        let problem = l
            .post(&planned, verb, who, &json!({}))
            .await
            .assert_problem(409, "invalid_transition");
        assert_eq!(problem["current"]["state"], "cancelled");
    }
    l.post(&planned, "cancel", &l.nurse, &json!({ "reason": "again" }))
        .await
        .assert_problem(409, "invalid_transition");
    assert_eq!(l.escorted_leave_activities().await, 0);
}

#[actix_web::test]
async fn a_stale_if_match_is_refused_with_the_leave_as_it_stands() {
    let l = Leave::new().await;
    let id = l.planned().await;
    let stale = l.post_if(&id, "authorise", &l.nurse, "\"v7\"").await;
    let problem = stale.assert_problem(412, "version_mismatch");
    assert_eq!(problem["current"]["state"], "planned");
    assert_eq!(problem["current"]["version"], 1);
    // Authorised meanwhile: a cancel made on the plan as first read is stale.
    l.post_if(&id, "authorise", &l.nurse, "\"v1\"")
        .await
        .assert_status(200);
    l.post_if(&id, "cancel", &l.w.worker, "\"v1\"")
        .await
        .assert_problem(412, "version_mismatch");
    let res = l.post_if(&id, "depart", &l.w.worker, "W/\"v2\"").await;
    res.assert_status(200);
    assert_eq!(res.header("etag").as_deref(), Some("\"v3\""));
}

#[actix_web::test]
async fn either_side_cancels_before_anyone_leaves_saying_why() {
    let l = Leave::new().await;
    let w = &l.w;
    let planned = l.planned().await;
    let res = l
        .post(&planned, "cancel", &w.worker, &json!({ "reason": "  " }))
        .await;
    res.assert_problem(422, "validation_failed");
    assert_eq!(res.error_fields(), vec!["reason"]);
    let res = l
        .post(
            &planned,
            "cancel",
            &w.worker,
            &json!({ "reason": "not well enough today" }),
        )
        .await;
    res.assert_status(200);
    let c = res.json();
    assert_eq!(c["state"], "cancelled");
    assert_eq!(c["cancelled_by"], w.worker.id.to_string());
    assert_eq!(c["cancel_reason"], "not well enough today");
    assert!(c["cancelled_at"].is_string());

    let authorised = l.reached("authorised").await;
    let res = l
        .post(
            &authorised,
            "cancel",
            &l.nurse,
            &json!({ "reason": "ward too busy" }),
        )
        .await;
    res.assert_status(200);
    assert_eq!(res.json()["cancelled_by_name"], "Test ward_staff");
    let manager = w.app.user(Role::Manager, &[]).await;
    let third = l.planned().await;
    l.post(&third, "cancel", &manager, &json!({ "reason": "x" }))
        .await
        .assert_problem(403, "forbidden");
    // A manager reads the ward's leave, every state.
    let all = w
        .app
        .get(
            &format!("/api/v1/leaves?ward_id={}", w.ward),
            &manager.token,
        )
        .await
        .json();
    assert_eq!(all["items"].as_array().unwrap().len(), 3);
    assert_eq!(w.app.audit_count("leave_cancel", "leave").await, 2);
}

#[actix_web::test]
async fn bad_input_is_named_field_by_field() {
    let l = Leave::new().await;
    let w = &l.w;
    let mut body = l.plan_body();
    body["expected_minutes"] = json!(0);
    body["service_user_id"] = json!(w.stranger);
    body["planned_out_at"] = json!(ts(Utc::now() + Duration::days(30)));
    body["purpose"] = json!("x".repeat(201));
    let res = w.app.post("/api/v1/leaves", &w.worker.token, &body).await;
    res.assert_problem(422, "validation_failed");
    let mut fields = res.error_fields();
    fields.sort();
    assert_eq!(
        fields,
        vec![
            "expected_minutes",
            "planned_out_at",
            "purpose",
            "service_user_id"
        ]
    );
    let mut body = l.plan_body();
    body["destination"] = json!("the moon");
    let res = w.app.post("/api/v1/leaves", &w.worker.token, &body).await;
    res.assert_status(422);
    assert_eq!(res.error_fields(), vec!["destination"]);
    let mut body = l.plan_body();
    body["ward_id"] = json!(w.other_ward);
    let res = w.app.post("/api/v1/leaves", &w.worker.token, &body).await;
    res.assert_status(422);
    assert!(res.error_fields().contains(&"ward_id".to_string()));

    let out = l.reached("authorised").await;
    let res = l
        .post(
            &out,
            "depart",
            &w.worker,
            &json!({ "departed_at": ts(Utc::now() + Duration::hours(1)) }),
        )
        .await;
    res.assert_problem(422, "validation_failed");
    assert_eq!(res.error_fields(), vec!["departed_at"]);
    // Nobody leaves before the nurse authorised the leave.
    let res = l
        .post(
            &out,
            "depart",
            &w.worker,
            &json!({ "departed_at": ts(Utc::now() - Duration::hours(2)) }),
        )
        .await;
    assert_eq!(res.json()["errors"][0]["code"], "before_authorised");
    l.post(&out, "depart", &w.worker, &json!({}))
        .await
        .assert_status(200);
    let res = l
        .post(
            &out,
            "return",
            &w.worker,
            &json!({ "returned_at": ts(Utc::now() - Duration::hours(2)), "incident_reference": "INC-1" }),
        )
        .await;
    res.assert_problem(422, "validation_failed");
    let mut fields = res.error_fields();
    fields.sort();
    assert_eq!(fields, vec!["incident_reference", "returned_at"]);
    assert_eq!(l.escorted_leave_activities().await, 0);
    w.app
        .get("/api/v1/leaves?state=gone", &w.worker.token)
        .await
        .assert_problem(422, "validation_failed");
}
