//! The person's own voice and outcome measures: definitions
//! (`/api/v1/measures`), answers locked on submit
//! (`/api/v1/measure-responses`), quote withdrawal, measures due, ward
//! figures (`/api/v1/ward-figures`) and the impact and board reports.

mod definitions;
mod impact;
mod responses;
mod ward_figures;

use chrono::{Duration, Utc};
use peerlog::auth::Role;
use serde_json::{json, Value};
use uuid::Uuid;

use crate::activities::{service_user, ts, Ward};
use crate::common::{Resp, TestUser};

/// A "your say" answer for a person, now.
pub fn your_say(person: Uuid, experience: i64, listened: i64) -> Value {
    json!({
        "id": Uuid::new_v4(),
        "measure": "your_say",
        "service_user_id": person,
        "completed_at": ts(Utc::now() - Duration::minutes(1)),
        "answers": { "items": { "experience": experience, "listened": listened } },
    })
}

/// A ward with `n` more people on it (beyond the fixture's two).
pub async fn ward_with_people(n: usize) -> (Ward, Vec<Uuid>) {
    let w = Ward::new().await;
    let mut people = w.people.clone();
    for i in 0..n {
        people.push(service_user(&w.app, &format!("RX-P{i}"), w.ward).await);
    }
    (w, people)
}

/// Submits an answer as a user.
pub async fn submit(w: &Ward, user: &TestUser, body: &Value) -> Resp {
    w.app
        .post("/api/v1/measure-responses", &user.token, body)
        .await
}

/// A manager of the fixture's app.
pub async fn manager(w: &Ward) -> TestUser {
    w.app.user(Role::Manager, &[]).await
}

/// The period that holds today.
pub fn this_year() -> String {
    let today = Utc::now().date_naive();
    format!(
        "from={}&to={}",
        today - Duration::days(300),
        today + Duration::days(1)
    )
}
