//! `/api/v1/buddy/…`: the Buddy Scheme. Shortcuts for building a scheme
//! through the API as a coordinator would.
//!
//! The files mirror the URLs: a folder per resource, a file per path named
//! after its last literal segment (`index.rs` for the collection, `by_id.rs`
//! for `{id}`), holding the stories that path tells. Two sweeps cross every
//! path and keep files of their own: `access.rs` (which roles reach what)
//! and `validation.rs` (every write's 422); `demo.rs` tests the demo loader,
//! which has no URL.

mod access;
mod calendar_subscription;
mod demo;
mod meetings;
mod pairings;
mod reports;
mod validation;

use chrono::{Duration, Utc};
use serde_json::{json, Value};

use peerlog::auth::Role;

use crate::common::{TestApp, TestUser};

/// Creates a cohort; answers its id.
pub async fn cohort(app: &TestApp, token: &str, name: &str, discipline: &str) -> String {
    let resp = app
        .post(
            "/api/v1/buddy/cohorts",
            token,
            &json!({ "name": name, "institution": "University of Exampleton", "discipline": discipline,
                     "starts_on": "2027-01-10", "ends_on": "2027-06-30" }),
        )
        .await;
    resp.assert_status(201);
    resp.json()["id"].as_str().unwrap().to_string()
}

/// Enrols a student; answers their id.
pub async fn student(app: &TestApp, token: &str, cohort_id: &str, name: &str) -> String {
    let resp = app
        .post(
            "/api/v1/buddy/students",
            token,
            &json!({ "cohort_id": cohort_id, "full_name": name, "email": "student@uni.example.ac.uk" }),
        )
        .await;
    resp.assert_status(201);
    resp.json()["id"].as_str().unwrap().to_string()
}

/// Adds a buddy, registered (verified yesterday) or pending; answers its id.
pub async fn buddy(app: &TestApp, token: &str, registered: bool, capacity: i32) -> String {
    let body = if registered {
        let yesterday = (Utc::now() - Duration::days(1)).date_naive();
        json!({ "full_name": "Robin Hart", "buddy_type": "service_user", "volunteer_status": "registered",
                "volunteer_verified_on": yesterday, "capacity": capacity })
    } else {
        json!({ "full_name": "Sam Carer", "buddy_type": "carer", "capacity": capacity })
    };
    let resp = app.post("/api/v1/buddy/buddies", token, &body).await;
    resp.assert_status(201);
    resp.json()["id"].as_str().unwrap().to_string()
}

/// Proposes a pairing; answers the response.
pub async fn propose(
    app: &TestApp,
    token: &str,
    student: &str,
    buddy: &str,
    planned: i32,
) -> crate::common::Resp {
    app.post(
        "/api/v1/buddy/pairings",
        token,
        &json!({ "student_id": student, "buddy_id": buddy, "planned_meetings": planned }),
    )
    .await
}

/// Proposes and activates a pairing; answers its id.
pub async fn active_pairing(
    app: &TestApp,
    token: &str,
    student: &str,
    buddy: &str,
    planned: i32,
) -> String {
    let resp = propose(app, token, student, buddy, planned).await;
    resp.assert_status(201);
    let id = resp.json()["id"].as_str().unwrap().to_string();
    set_status(app, token, &id, "active", None)
        .await
        .assert_status(200);
    id
}

/// Asks for a pairing status change.
pub async fn set_status(
    app: &TestApp,
    token: &str,
    pairing: &str,
    status: &str,
    reason: Option<&str>,
) -> crate::common::Resp {
    let mut body = json!({ "status": status });
    if let Some(r) = reason {
        body["reason"] = json!(r);
    }
    app.post(
        &format!("/api/v1/buddy/pairings/{pairing}/status"),
        token,
        &body,
    )
    .await
}

/// Plans a meeting `days_ago` days in the past (negative: in the future);
/// answers its id.
pub async fn meeting(app: &TestApp, token: &str, pairing: &str, days_ago: i64) -> String {
    let resp = app
        .post(
            &format!("/api/v1/buddy/pairings/{pairing}/meetings"),
            token,
            &json!({ "planned_at": Utc::now() - Duration::days(days_ago), "mode": "online_video",
                     "topic": "introductions" }),
        )
        .await;
    resp.assert_status(201);
    resp.json()["id"].as_str().unwrap().to_string()
}

/// Records a meeting's outcome.
pub async fn outcome(
    app: &TestApp,
    token: &str,
    meeting: &str,
    status: &str,
    minutes: Option<i32>,
) -> crate::common::Resp {
    let mut body = json!({ "status": status });
    if let Some(m) = minutes {
        body["duration_minutes"] = json!(m);
    }
    app.patch(&format!("/api/v1/buddy/meetings/{meeting}"), token, &body)
        .await
}

/// Records end-of-pairing feedback.
pub async fn feedback(
    app: &TestApp,
    token: &str,
    pairing: &str,
    body: Value,
) -> crate::common::Resp {
    app.post(
        &format!("/api/v1/buddy/pairings/{pairing}/feedback"),
        token,
        &body,
    )
    .await
}

/// The pairing as the coordinator sees it.
pub async fn pairing(app: &TestApp, token: &str, id: &str) -> Value {
    let resp = app
        .get(&format!("/api/v1/buddy/pairings/{id}"), token)
        .await;
    resp.assert_status(200);
    resp.json()
}

/// An online meeting's join link on a host the tests allow.
pub const LINK: &str = "https://teams.microsoft.com/l/meetup-join/19%3ameeting_abc%40thread.v2/0";

/// A pairing whose student and buddy have accounts; answers (coordinator,
/// student account, buddy account, pairing id).
pub async fn pairing_with_accounts(app: &TestApp) -> (TestUser, TestUser, TestUser, String) {
    let coordinator = app.user(Role::BuddyCoordinator, &[]).await;
    let jo = app.user(Role::BuddyStudent, &[]).await;
    let robin = app.user(Role::BuddyVolunteer, &[]).await;
    let c = cohort(app, &coordinator.token, "OT 2027", "occupational_therapy").await;
    let s = student(app, &coordinator.token, &c, "Jo").await;
    let b = buddy(app, &coordinator.token, true, 2).await;
    for (path, account) in [
        (format!("/api/v1/buddy/students/{s}"), &jo),
        (format!("/api/v1/buddy/buddies/{b}"), &robin),
    ] {
        app.patch(&path, &coordinator.token, &json!({ "user_id": account.id }))
            .await
            .assert_status(200);
    }
    let p = active_pairing(app, &coordinator.token, &s, &b, 4).await;
    (coordinator, jo, robin, p)
}

/// RFC 5545 folds lines over 75 octets; a reader unfolds them.
pub fn unfold(text: &str) -> String {
    text.replace("\r\n ", "")
}

/// Plans a meeting with this body; answers the response.
pub async fn plan(
    app: &TestApp,
    token: &str,
    pairing: &str,
    body: serde_json::Value,
) -> crate::common::Resp {
    app.post(
        &format!("/api/v1/buddy/pairings/{pairing}/meetings"),
        token,
        &body,
    )
    .await
}
