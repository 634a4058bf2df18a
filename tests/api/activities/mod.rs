//! `/api/v1/activities`: every kind, the rules, tablet-safe writes,
//! amendments, lists and ward scoping. One file per URL: `index`
//! (`/activities`), `by_id` (`/activities/{id}`), and the sub-paths by their
//! last segment; the shared fixtures are here. (`{id}/history` has no file
//! of its own: its stories are told in `by_id`, `entered_in_error` and
//! `leave_confirmation`.)

mod batch;
mod by_id;
mod entered_in_error;
mod index;
mod leave_confirmation;

use actix_web::http::Method;
use chrono::{DateTime, Duration, Utc};
use peerlog::auth::Role;
use peerlog::models::ward::ServiceLine;
use serde_json::{json, Value};
use uuid::Uuid;

use crate::common::{TestApp, TestUser};

/// Every kind, in the order of DESIGN.md.
pub const KINDS: [&str; 12] = [
    "escorted_leave",
    "one_to_one",
    "advocacy",
    "group_session",
    "de_escalation",
    "crisis_support",
    "suicide_prevention",
    "wellbeing",
    "ward_review_support",
    "discharge_support",
    "awareness",
    "staff_support",
];

/// A ward with a worker, a team leader, a nurse, two service users on it,
/// and a second ward the worker is not assigned to.
pub struct Ward {
    pub app: TestApp,
    pub ward: Uuid,
    pub other_ward: Uuid,
    pub worker: TestUser,
    pub leader: TestUser,
    pub people: Vec<Uuid>,
    /// A service user on the other ward.
    pub stranger: Uuid,
}

pub fn ts(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// Creates a service user through the API as the trust integration would.
pub async fn service_user(app: &TestApp, reference: &str, ward: Uuid) -> Uuid {
    let integration = app.user(Role::Integration, &[]).await;
    let res = app
        .put(
            &format!("/api/v1/service-users/{reference}"),
            &integration.token,
            &json!({ "display_label": "A.B.", "ward_id": ward, "admitted_on": "2020-01-01" }),
        )
        .await;
    res.assert_status(201);
    res.json()["id"].as_str().unwrap().parse().unwrap()
}

impl Ward {
    pub async fn new() -> Ward {
        Ward::on(TestApp::new().await).await
    }

    /// The same set-up on an app configured by the test.
    pub async fn on(app: TestApp) -> Ward {
        let ward = app.ward("ASH", ServiceLine::Adult).await;
        let other_ward = app.ward("OAK", ServiceLine::MediumSecure).await;
        let worker = app.user(Role::PeerSupportWorker, &[ward]).await;
        let leader = app.user(Role::PeerTeamLeader, &[ward]).await;
        let people = vec![
            service_user(&app, "RX-1", ward).await,
            service_user(&app, "RX-2", ward).await,
        ];
        let stranger = service_user(&app, "RX-9", other_ward).await;
        Ward {
            app,
            ward,
            other_ward,
            worker,
            leader,
            people,
            stranger,
        }
    }

    /// A valid body of a kind, started two hours ago, lasting an hour.
    pub fn body(&self, kind: &str) -> Value {
        let start = Utc::now() - Duration::hours(2);
        let at = |m: i64| ts(start + Duration::minutes(m));
        let (details, people): (Value, Vec<Uuid>) = match kind {
            "escorted_leave" => (
                json!({ "authorisation": "section_17", "authorised_by": "Dr Patel (RC)", "destination": "shops",
                        "departed_at": at(5), "returned_at": at(50), "returned_as_planned": true, "incident": false }),
                vec![self.people[0]],
            ),
            "one_to_one" => (
                json!({ "topics": ["listening", "coping_strategies"] }),
                vec![self.people[0]],
            ),
            "advocacy" => (
                json!({ "setting": "ward_review", "mode": "supporting_self_advocacy", "outcome": "views_heard" }),
                vec![self.people[0]],
            ),
            "group_session" => (
                json!({ "activity": "music", "format": "group_session", "unnamed_attendees": 4 }),
                self.people.clone(),
            ),
            "de_escalation" => (
                json!({ "situation": "between_service_users", "approaches": ["verbal_calming", "space_and_time"],
                        "restraint_avoided": true, "staff_called": false, "outcome": "resolved" }),
                self.people.clone(),
            ),
            "crisis_support" => (
                json!({ "presentation": "panic_attack", "approaches": ["breathing"], "staff_informed": true }),
                vec![self.people[1]],
            ),
            "suicide_prevention" => (
                json!({ "escalated_to": "Charge nurse J. Okafor", "escalated_at": at(40), "safety_plan_discussed": true }),
                vec![self.people[1]],
            ),
            "wellbeing" => (
                json!({ "focus": ["eating", "physical_exercise"] }),
                vec![self.people[1]],
            ),
            "ward_review_support" => (
                json!({ "support": ["preparing_questions"], "home_leave_recommended": false }),
                vec![self.people[0]],
            ),
            "discharge_support" => (
                json!({ "focus": ["housing", "home_leave"], "home_leave_recommended": true }),
                vec![self.people[0]],
            ),
            "awareness" => (
                json!({ "topic": "lgbtq_plus", "audience": "mixed", "attendees": 6 }),
                vec![],
            ),
            "staff_support" => (json!({ "reason": "overwhelmed", "staff_count": 2 }), vec![]),
            other => panic!("unknown kind {other}"),
        };
        json!({
            "id": Uuid::new_v4(),
            "ward_id": self.ward,
            "kind": kind,
            "started_at": ts(start),
            "duration_minutes": 60,
            "service_user_ids": people,
            "note": "Went well.",
            "details": details,
        })
    }

    /// Records a body as the worker; panics unless 201.
    pub async fn record(&self, body: &Value) -> Value {
        let res = self
            .app
            .post("/api/v1/activities", &self.worker.token, body)
            .await;
        res.assert_status(201);
        res.json()
    }

    /// Amends an activity as the worker (with its current ETag); panics unless 200.
    pub async fn amend(&self, activity: &Value, changes: Value) -> Value {
        let id = activity["id"].as_str().unwrap();
        let etag = format!("\"v{}\"", activity["version"]);
        let req = TestApp::req(
            actix_web::http::Method::PATCH,
            &format!("/api/v1/activities/{id}"),
            Some(&self.worker.token),
        )
        .insert_header(("if-match", etag))
        .set_json(changes);
        let res = self.app.send(req).await;
        res.assert_status(200);
        res.json()
    }

    /// Marks an activity entered in error as the worker; panics unless 200.
    pub async fn void(&self, activity: &Value) -> Value {
        let id = activity["id"].as_str().unwrap();
        let res = self
            .app
            .post(
                &format!("/api/v1/activities/{id}/entered-in-error"),
                &self.worker.token,
                &json!({ "reason": "Recorded on the wrong ward" }),
            )
            .await;
        res.assert_status(200);
        res.json()
    }

    /// Counts rows of an activity-area table.
    pub async fn count(&self, sql_table: &str) -> i64 {
        use diesel_async::RunQueryDsl;
        #[derive(diesel::QueryableByName)]
        struct N {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        let row: N = diesel::sql_query(format!("SELECT count(*) AS n FROM {sql_table}"))
            .get_result(&mut self.app.conn().await)
            .await
            .unwrap();
        row.n
    }
}

/// Sends a `PATCH` with the body, and `If-Match` when given.
pub async fn patch_with(
    w: &Ward,
    path: &str,
    token: &str,
    etag: Option<&str>,
    body: serde_json::Value,
) -> crate::common::Resp {
    let mut req = TestApp::req(Method::PATCH, path, Some(token)).set_json(body);
    if let Some(tag) = etag {
        req = req.insert_header(("if-match", tag));
    }
    w.app.send(req).await
}

/// Amends `stored`, as first recorded (`If-Match: "v1"`), as a user.
pub async fn amend_v1(
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
