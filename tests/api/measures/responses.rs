//! `POST /api/v1/measure-responses`: the person's answers, locked on
//! submit, never read back one by one; quotes kept only with consent and
//! withdrawn on request; measures due on a ward.

use peerlog::auth::Role;
use serde_json::json;
use uuid::Uuid;

use super::{manager, submit, this_year, your_say};
use crate::activities::Ward;

#[actix_web::test]
async fn an_answer_is_locked_on_submit_and_only_a_receipt_comes_back() {
    let w = Ward::new().await;
    let body = your_say(w.people[0], 5, 2);
    let res = submit(&w, &w.worker, &body).await;
    res.assert_status(201);
    let receipt = res.json();
    assert_eq!(receipt["locked"], true);
    assert_eq!(receipt["measure"], "your_say");
    assert!(
        receipt.get("answers").is_none(),
        "the receipt never repeats the answers"
    );
    // A retry from an offline tablet is the same answer.
    submit(&w, &w.worker, &body).await.assert_status(200);
    // The same id with other answers is refused: nothing is changed.
    let mut changed = body.clone();
    changed["answers"]["items"]["experience"] = json!(1);
    submit(&w, &w.worker, &changed)
        .await
        .assert_problem(409, "id_conflict");
    // There is no way to read it back, and the database refuses a change.
    let id = body["id"].as_str().unwrap();
    let read = w
        .app
        .get(&format!("/api/v1/measure-responses/{id}"), &w.worker.token)
        .await;
    assert!(
        matches!(read.status.as_u16(), 404 | 405),
        "no individual read: {}",
        read.status
    );
    let mut conn = w.app.conn().await;
    let refused = diesel_async::RunQueryDsl::execute(
        diesel::sql_query(format!(
            "UPDATE measure_responses SET answers = '{{}}' WHERE id = '{id}'"
        )),
        &mut conn,
    )
    .await;
    assert!(refused.unwrap_err().to_string().contains("locked"));
    assert_eq!(w.count("measure_responses").await, 1);
    assert_eq!(w.app.audit_count("create", "measure_response").await, 1);
}

#[actix_web::test]
async fn a_worker_cannot_read_answers_and_reports_are_for_managers() {
    let w = Ward::new().await;
    submit(&w, &w.worker, &your_say(w.people[0], 5, 2))
        .await
        .assert_status(201);
    let url = format!("/api/v1/reports/impact/your-say?{}", this_year());
    w.app.get(&url, &w.worker.token).await.assert_status(403);
    let nurse = w.app.user(Role::WardStaff, &[w.ward]).await;
    w.app.get(&url, &nurse.token).await.assert_status(403);
    w.app
        .get(&url, &manager(&w).await.token)
        .await
        .assert_status(200);
}

#[actix_web::test]
async fn bad_answers_are_named_and_nothing_is_stored() {
    let w = Ward::new().await;
    let mut body = your_say(w.people[0], 9, 2);
    body["answers"]["items"]["mood"] = json!(3);
    body["in_own_words"] = json!("x".repeat(501));
    body["share_quote"] = json!(true);
    body["completed_at"] = json!("2999-01-01T00:00:00Z");
    let res = submit(&w, &w.worker, &body).await;
    res.assert_problem(422, "validation_failed");
    assert_eq!(
        res.error_fields(),
        [
            "completed_at",
            "answers.items.experience",
            "answers.items.mood",
            "in_own_words"
        ]
    );
    // A person on another ward does not exist for this worker.
    let res = submit(&w, &w.worker, &your_say(w.stranger, 5, 2)).await;
    assert_eq!(res.error_fields(), ["service_user_id"]);
    // "Prefer not to say" to everything is an answer of its own.
    let mut declined = your_say(w.people[0], 5, 2);
    declined["answers"] = json!({});
    declined["declined"] = json!(true);
    submit(&w, &w.worker, &declined).await.assert_status(201);
    let mut empty = your_say(w.people[0], 5, 2);
    empty["answers"] = json!({});
    assert_eq!(
        submit(&w, &w.worker, &empty).await.error_fields(),
        ["answers"]
    );
    // Nurses hand over nothing; the unknown measure is named.
    let nurse = w.app.user(Role::WardStaff, &[w.ward]).await;
    submit(&w, &nurse, &your_say(w.people[0], 5, 2))
        .await
        .assert_status(403);
    let mut unknown = your_say(w.people[0], 5, 2);
    unknown["measure"] = json!("nope");
    assert_eq!(
        submit(&w, &w.worker, &unknown).await.error_fields(),
        ["measure"]
    );
    assert_eq!(w.count("measure_responses").await, 1);
}

#[actix_web::test]
async fn words_are_kept_only_when_shared_and_a_withdrawal_removes_them_everywhere() {
    let w = Ward::new().await;
    let mut shared = your_say(w.people[0], 5, 2);
    shared["in_own_words"] = json!("Someone finally listened to me.");
    shared["share_quote"] = json!(true);
    assert_eq!(
        submit(&w, &w.worker, &shared).await.json()["quote_kept"],
        true
    );
    let mut private = your_say(w.people[1], 4, 2);
    private["in_own_words"] = json!("Only for today.");
    assert_eq!(
        submit(&w, &w.worker, &private).await.json()["quote_kept"],
        false
    );

    let m = manager(&w).await;
    let quotes_url = format!("/api/v1/reports/impact/quotes?{}", this_year());
    let quotes = w.app.get(&quotes_url, &m.token).await.json();
    assert_eq!(quotes["rows"].as_array().unwrap().len(), 1);
    assert_eq!(
        quotes["rows"][0]["quote"],
        "Someone finally listened to me."
    );
    assert_eq!(quotes["rows"][0]["group"], "ASH");
    let today = chrono::Utc::now().date_naive();
    let board_url = format!("/api/v1/reports/board?quarter={today}");
    let board = w.app.get(&board_url, &m.token).await.json();
    assert_eq!(
        board["sections"][0]["quotes"],
        json!(["Someone finally listened to me."])
    );

    // The person asks for their words back.
    let res = w
        .app
        .post(
            &format!("/api/v1/service-users/{}/quote-withdrawal", w.people[0]),
            &w.worker.token,
            &json!({}),
        )
        .await;
    res.assert_status(200);
    assert_eq!(res.json()["withdrawn"], 1);
    assert_eq!(
        w.app.get(&quotes_url, &m.token).await.json()["rows"],
        json!([])
    );
    let board = w.app.get(&board_url, &m.token).await.json();
    assert!(board["sections"]
        .as_array()
        .unwrap()
        .iter()
        .all(|s| s["quotes"] == json!([])));
    let csv = w
        .app
        .send(crate::common::TestApp::req(
            actix_web::http::Method::GET,
            &format!("{quotes_url}&format=csv"),
            Some(&m.token),
        ))
        .await;
    assert!(!csv.text().contains("listened to me"));
    assert_eq!(
        w.app.audit_count("withdraw_quotes", "service_user").await,
        1
    );
    // Another ward's person does not exist for this worker.
    w.app
        .post(
            &format!("/api/v1/service-users/{}/quote-withdrawal", w.stranger),
            &w.worker.token,
            &json!({}),
        )
        .await
        .assert_status(404);
}

#[actix_web::test]
async fn a_measure_falls_due_at_first_contact_and_not_once_answered() {
    let w = Ward::new().await;
    let due_url = format!("/api/v1/wards/{}/measures-due", w.ward);
    assert_eq!(
        w.app.get(&due_url, &w.worker.token).await.json(),
        json!([]),
        "no contact yet"
    );
    w.record(&w.body("one_to_one")).await;
    let due = w.app.get(&due_url, &w.worker.token).await.json();
    let mut measures: Vec<_> = due
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["measure"].as_str().unwrap().to_string())
        .collect();
    measures.sort();
    assert_eq!(measures, ["gbo", "ons4"]);
    assert!(due
        .as_array()
        .unwrap()
        .iter()
        .all(|d| d["reason"] == "first_contact" && d["service_user_id"] == json!(w.people[0])));
    let ons4 = json!({
        "id": Uuid::new_v4(), "measure": "ons4", "service_user_id": w.people[0],
        "completed_at": crate::activities::ts(chrono::Utc::now()),
        "answers": { "items": { "life_satisfaction": 4, "worthwhile": 5, "happiness": 6, "anxiety": 7 } },
    });
    submit(&w, &w.worker, &ons4).await.assert_status(201);
    let due = w.app.get(&due_url, &w.worker.token).await.json();
    assert_eq!(
        due.as_array()
            .unwrap()
            .iter()
            .map(|d| d["measure"].clone())
            .collect::<Vec<_>>(),
        [json!("gbo")]
    );
    // Another ward's list is not this worker's to see.
    w.app
        .get(
            &format!("/api/v1/wards/{}/measures-due", w.other_ward),
            &w.worker.token,
        )
        .await
        .assert_status(404);
}
