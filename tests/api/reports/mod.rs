//! `/api/v1/reports/…`: each report against figures worked out by hand on
//! a small known data set (one file per report URL), CSV, and who may see
//! what (`access.rs`, across every report); the rollups the summary reads
//! (`rollups.rs`).
//!
//! The data set (April 2026 is the period most tests read; British Summer
//! Time began on 29 March 2026):
//!
//! | # | ward | kind           | by      | people  | starts (UTC)      | local day | min | notes |
//! |---|------|----------------|---------|---------|-------------------|-----------|-----|-------|
//! | 1 | ASH  | one_to_one     | w1      | p1      | 03-10 10:00       | 03-10     | 60  | |
//! | 7 | ASH  | one_to_one     | w1      | p1      | 03-31 22:30       | 03-31     | 30  | 23:30 BST: still March |
//! | 2 | ASH  | de_escalation  | w1 + w2 | p1, p2  | 03-31 23:30       | 04-01     | 30  | 00:30 BST: April; restraint avoided |
//! | 6 | OAK  | de_escalation  | w2      | p3      | 04-05 12:00       | 04-05     | 20  | staff called |
//! | 3 | ASH  | escorted_leave | w1      | p2      | 04-15 09:00       | 04-15     | 150 | amended from 120; 90 min off the ward |
//! | 4 | ASH  | group_session  | w2      | p1, p2  | 04-20 14:00       | 04-20     | 60  | music, 4 unnamed |
//! | 5 | ASH  | one_to_one     | w1      | p1      | 04-22 10:00       | 04-22     | 45  | entered in error |
//! | 8 | ASH  | one_to_one     | w1      | p2      | 04-30 23:30       | 05-01     | 30  | May |

mod access;
mod activity_summary;
mod de_escalation;
mod escorted_leave;
mod groups;
mod overview;
mod properties;
mod rollups;

use peerlog::auth::Role;
use serde_json::{json, Value};
use uuid::Uuid;

use crate::activities::Ward;
use crate::common::{TestApp, TestUser};

/// The period most tests read.
pub const APRIL: &str = "from=2026-04-01&to=2026-05-01";

/// The data set above, with who is who.
pub struct Pilot {
    pub w: Ward,
    /// `w1`: the fixture's worker, on ASH.
    pub w1: TestUser,
    /// `w2`: a worker on ASH and OAK.
    pub w2: TestUser,
    pub manager: TestUser,
    /// The fixture's team leader, on ASH only.
    pub leader: TestUser,
    pub p1: Uuid,
    pub p2: Uuid,
    pub p3: Uuid,
}

impl Pilot {
    pub async fn new() -> Pilot {
        let app = TestApp::with_config(|c| c.activity_max_age_days = 3650).await;
        let w = Ward::on(app).await;
        let w2 = w
            .app
            .user(Role::PeerSupportWorker, &[w.ward, w.other_ward])
            .await;
        let manager = w.app.user(Role::Manager, &[]).await;
        let (p1, p2, p3) = (w.people[0], w.people[1], w.stranger);
        let w1 = w.worker.clone();
        let leader = w.leader.clone();
        let pilot = Pilot {
            w,
            w1,
            w2,
            manager,
            leader,
            p1,
            p2,
            p3,
        };
        pilot.load().await;
        pilot
    }

    /// A body of a kind on a ward at an instant, for some people.
    pub fn body(
        &self,
        kind: &str,
        ward: Uuid,
        start: &str,
        minutes: i64,
        people: &[Uuid],
    ) -> Value {
        let mut body = self.w.body(kind);
        body["ward_id"] = json!(ward);
        body["started_at"] = json!(start);
        body["duration_minutes"] = json!(minutes);
        body["service_user_ids"] = json!(people);
        body
    }

    async fn record_as(&self, user: &TestUser, body: &Value) -> Value {
        let res = self
            .w
            .app
            .post("/api/v1/activities", &user.token, body)
            .await;
        res.assert_status(201);
        res.json()
    }

    async fn load(&self) {
        let (ash, oak) = (self.w.ward, self.w.other_ward);
        let one =
            |start: &str, minutes: i64, p: Uuid| self.body("one_to_one", ash, start, minutes, &[p]);
        self.w
            .record(&one("2026-03-10T10:00:00Z", 60, self.p1))
            .await;
        self.w
            .record(&one("2026-03-31T22:30:00Z", 30, self.p1))
            .await;

        let mut calm = self.body(
            "de_escalation",
            ash,
            "2026-03-31T23:30:00Z",
            30,
            &[self.p1, self.p2],
        );
        calm["co_worker_ids"] = json!([self.w2.id]);
        self.w.record(&calm).await;

        let mut called = self.body("de_escalation", oak, "2026-04-05T12:00:00Z", 20, &[self.p3]);
        called["details"]["restraint_avoided"] = json!(false);
        called["details"]["staff_called"] = json!(true);
        self.record_as(&self.w2, &called).await;

        let mut leave = self.body(
            "escorted_leave",
            ash,
            "2026-04-15T09:00:00Z",
            120,
            &[self.p2],
        );
        leave["details"]["departed_at"] = json!("2026-04-15T09:05:00Z");
        leave["details"]["returned_at"] = json!("2026-04-15T10:35:00Z");
        let leave = self.w.record(&leave).await;
        self.w
            .amend(
                &leave,
                json!({ "reason": "Longer than first written", "duration_minutes": 150 }),
            )
            .await;

        let group = self.body(
            "group_session",
            ash,
            "2026-04-20T14:00:00Z",
            60,
            &[self.p1, self.p2],
        );
        self.record_as(&self.w2, &group).await;

        let wrong = self
            .w
            .record(&one("2026-04-22T10:00:00Z", 45, self.p1))
            .await;
        self.w.void(&wrong).await;

        self.w
            .record(&one("2026-04-30T23:30:00Z", 30, self.p2))
            .await;
    }

    /// GET as a user, expecting 200 JSON.
    pub async fn report(&self, user: &TestUser, path: &str) -> Value {
        let res = self.w.app.get(path, &user.token).await;
        res.assert_status(200);
        res.json()
    }
}

/// The rows of a report, without ward names and ids (checked elsewhere).
pub fn rows(report: &Value) -> Vec<Value> {
    report["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let mut r = r.clone();
            for k in ["ward_id", "ward_name", "worker_id"] {
                r.as_object_mut().unwrap().remove(k);
            }
            r
        })
        .collect()
}
