//! `POST /api/v1/activities/batch`: a tablet's queue, answered item by
//! item; the good items are committed whatever happens to the others.

use serde_json::json;
use uuid::Uuid;

use super::Ward;

#[actix_web::test]
async fn a_batch_answers_per_item_and_commits_the_good_ones() {
    let w = Ward::new().await;
    let stored = w.body("wellbeing");
    w.record(&stored).await;
    let mut bad_rule = w.body("suicide_prevention");
    bad_rule["details"]["escalated_to"] = json!(null);
    let mut no_id = w.body("advocacy");
    no_id.as_object_mut().unwrap().remove("id");
    let good = [
        w.body("one_to_one"),
        w.body("staff_support"),
        w.body("group_session"),
    ];
    let items = json!([
        good[0],
        stored,
        bad_rule,
        { "kind": "knitting" },
        good[1],
        no_id,
        good[2]
    ]);
    let res = w
        .app
        .post(
            "/api/v1/activities/batch",
            &w.worker.token,
            &json!({ "items": items }),
        )
        .await;
    res.assert_status(200);
    let outcomes: Vec<String> = res.json()["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["outcome"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        outcomes,
        [
            "created",
            "already_present",
            "rejected",
            "rejected",
            "created",
            "rejected",
            "created"
        ]
    );
    let answer = res.json();
    assert_eq!(
        answer["items"][2]["problem"]["errors"][0]["field"],
        "details.escalated_to"
    );
    assert_eq!(answer["items"][2]["id"], bad_rule["id"]);
    assert_eq!(answer["items"][5]["problem"]["errors"][0]["field"], "id");
    assert_eq!(answer["items"][0]["activity"]["id"], good[0]["id"]);
    assert_eq!(w.count("activities").await, 4);

    // Items must be objects, as documented; anything else fails the batch.
    let res = w
        .app
        .post(
            "/api/v1/activities/batch",
            &w.worker.token,
            &json!({ "items": [good[0], "not an object"] }),
        )
        .await;
    res.assert_problem(422, "validation_failed");
    assert_eq!(res.error_fields(), vec!["items[1]"]);

    // The whole batch re-sent after a lost answer stores nothing new.
    let again = w
        .app
        .post(
            "/api/v1/activities/batch",
            &w.worker.token,
            &json!({ "items": items }),
        )
        .await;
    let outcomes: Vec<String> = again.json()["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["outcome"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        outcomes,
        [
            "already_present",
            "already_present",
            "rejected",
            "rejected",
            "already_present",
            "rejected",
            "already_present"
        ]
    );
    assert_eq!(w.count("activities").await, 4);
}

#[actix_web::test]
async fn a_batch_is_bounded() {
    let w = Ward::new().await;
    let items: Vec<_> = (0..501).map(|_| json!({ "id": Uuid::new_v4() })).collect();
    let res = w
        .app
        .post(
            "/api/v1/activities/batch",
            &w.worker.token,
            &json!({ "items": items }),
        )
        .await;
    res.assert_problem(422, "validation_failed");
    assert_eq!(res.error_fields(), ["items"]);
}

#[actix_web::test]
async fn a_malformed_item_among_good_ones_is_rejected_alone() {
    let w = Ward::new().await;
    let good = [w.body("one_to_one"), w.body("wellbeing")];
    let mut mistyped = w.body("crisis_support");
    mistyped["duration_minutes"] = json!("half an hour");
    let mut unknown = w.body("advocacy");
    unknown["padding"] = json!(vec![0; 10_000]);
    let mut nul = w.body("staff_support");
    nul["note"] = json!("a\u{0}b");
    let mut bad_details = w.body("de_escalation");
    bad_details["details"] = json!([0, 0, 0]);
    let items = json!([good[0], mistyped, unknown, nul, bad_details, good[1]]);
    let res = w
        .app
        .post(
            "/api/v1/activities/batch",
            &w.worker.token,
            &json!({ "items": items }),
        )
        .await;
    res.assert_status(200);
    let answer = res.json();
    let answers: Vec<(String, String)> = answer["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["outcome"].as_str().unwrap().to_string(),
                i["problem"]["errors"][0]["field"]
                    .as_str()
                    .unwrap_or("")
                    .to_string(),
            )
        })
        .collect();
    let expected = [
        ("created", ""),
        ("rejected", "duration_minutes"),
        ("rejected", "padding"),
        ("rejected", "note"),
        ("rejected", "details[0]"),
        ("created", ""),
    ];
    assert_eq!(
        answers,
        expected.map(|(o, f)| (o.to_string(), f.to_string())),
        "{answer}"
    );
    // A rejected item is still named by its id.
    assert_eq!(answer["items"][3]["id"], nul["id"]);
    assert_eq!(
        answer["items"][3]["problem"]["errors"][0]["code"],
        "invalid_character"
    );
    assert_eq!(w.count("activities").await, 2);
}

#[actix_web::test]
async fn a_batch_that_is_not_a_list_of_objects_is_refused_at_its_first_bad_item() {
    let w = Ward::new().await;
    // The shape the fuzzer found: a large array of numbers. It is refused
    // at its first element, without reading the rest into memory.
    let body = format!(r#"{{"items":[{}0]}}"#, "0,".repeat(500_000));
    let res = w
        .app
        .send(
            crate::common::TestApp::req(
                actix_web::http::Method::POST,
                "/api/v1/activities/batch",
                Some(&w.worker.token),
            )
            .insert_header(("content-type", "application/json"))
            .set_payload(body),
        )
        .await;
    res.assert_problem(422, "validation_failed");
    assert_eq!(res.error_fields(), ["items[0]"]);
    // More than 500 objects: refused whole, naming `items`.
    let body = format!(r#"{{"items":[{}{{}}]}}"#, "{},".repeat(600));
    let res = w
        .app
        .send(
            crate::common::TestApp::req(
                actix_web::http::Method::POST,
                "/api/v1/activities/batch",
                Some(&w.worker.token),
            )
            .insert_header(("content-type", "application/json"))
            .set_payload(body),
        )
        .await;
    res.assert_problem(422, "validation_failed");
    assert_eq!(res.error_fields(), ["items"]);
    assert_eq!(w.count("activities").await, 0);
}
