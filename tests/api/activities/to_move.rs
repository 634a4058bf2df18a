//! Tests that came here with the activities (from `review.rs` and
//! `create.rs`) but tell the story of another engineer's URL. Kept
//! unchanged, for the lead to move:
//! - `parallel_guesses_cannot_pass_the_login_limit`: `POST
//!   /api/v1/auth/token`, belongs with the sign-in tests in
//!   `tests/api/auth.rs`;
//! - `the_vocabulary_lists_what_validation_accepts`: `GET
//!   /api/v1/vocabulary` (and a create using its values), belongs in a
//!   `tests/api/vocabulary.rs`.

use peerlog::auth::Role;
use serde_json::json;

use super::{Ward, KINDS};
use crate::common::TestApp;

#[actix_web::test]
async fn parallel_guesses_cannot_pass_the_login_limit() {
    let app = TestApp::with_config(|c| c.login_max_failures = 5).await;
    let user = app.user(Role::PeerSupportWorker, &[]).await;
    let body = json!({ "username": user.username, "password": "wrong-password-xx" });
    let answers =
        futures_util::future::join_all((0..30).map(|_| app.post_anon("/api/v1/auth/token", &body)))
            .await;
    let checked = answers.iter().filter(|r| r.status == 401).count();
    let refused = answers.iter().filter(|r| r.status == 429).count();
    assert_eq!((checked, refused), (5, 25));
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
