//! `GET /api/v1/vocabulary`: the controlled lists the forms offer are the
//! ones validation accepts.

use serde_json::json;

use crate::activities::{Ward, KINDS};

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
