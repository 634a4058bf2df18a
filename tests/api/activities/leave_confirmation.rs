//! Ward staff confirm an escorted leave's authorisation: once, on their own
//! ward, with who and when kept in the record and its history.

use actix_web::http::Method;
use peerlog::auth::Role;
use serde_json::json;

use super::Ward;
use crate::common::TestApp;

#[actix_web::test]
async fn a_nurse_on_the_ward_confirms_an_escorted_leave_once() {
    let w = Ward::new().await;
    let nurse = w.app.user(Role::WardStaff, &[w.ward]).await;
    let leave = w.body("escorted_leave");
    w.app
        .post("/api/v1/activities", &w.worker.token, &leave)
        .await
        .assert_status(201);
    let id = leave["id"].as_str().unwrap();
    let path = format!("/api/v1/activities/{id}/leave-confirmation");

    let res = w
        .app
        .send(
            TestApp::req(Method::POST, &path, Some(&nurse.token))
                .insert_header(("if-match", "\"v1\"")),
        )
        .await;
    res.assert_status(200);
    assert_eq!(res.header("etag").as_deref(), Some("\"v2\""));
    let body = res.json();
    assert_eq!(
        body["leave_confirmation"]["confirmed_by"],
        nurse.id.to_string()
    );
    assert!(body["leave_confirmation"]["confirmed_at"].is_string());
    assert_eq!(body["version"], 2);
    // The leave itself is unchanged.
    assert_eq!(body["details"]["authorised_by"], "Dr Patel (RC)");

    let again = w.app.post(&path, &nurse.token, &json!({})).await;
    again.assert_problem(409, "already_confirmed");

    let history = w
        .app
        .get(&format!("/api/v1/activities/{id}/history"), &w.leader.token)
        .await;
    history.assert_status(200);
    assert_eq!(
        history
            .text()
            .matches("escorted-leave authorisation confirmed")
            .count(),
        1
    );
    assert_eq!(w.app.audit_count("amend", "activity").await, 1);
}

#[actix_web::test]
async fn only_ward_staff_on_that_ward_may_confirm_and_only_escorted_leave() {
    let w = Ward::new().await;
    let nurse = w.app.user(Role::WardStaff, &[w.ward]).await;
    let elsewhere = w.app.user(Role::WardStaff, &[w.other_ward]).await;
    let admin = w.app.user(Role::Admin, &[]).await;
    let leave = w.body("escorted_leave");
    w.app
        .post("/api/v1/activities", &w.worker.token, &leave)
        .await
        .assert_status(201);
    let path = format!(
        "/api/v1/activities/{}/leave-confirmation",
        leave["id"].as_str().unwrap()
    );

    w.app
        .post(&path, &w.worker.token, &json!({}))
        .await
        .assert_problem(403, "forbidden");
    w.app
        .post(&path, &w.leader.token, &json!({}))
        .await
        .assert_problem(403, "forbidden");
    w.app
        .post(&path, &admin.token, &json!({}))
        .await
        .assert_problem(403, "forbidden");
    w.app
        .post(&path, &elsewhere.token, &json!({}))
        .await
        .assert_problem(404, "not_found");
    let stale = w
        .app
        .send(
            TestApp::req(Method::POST, &path, Some(&nurse.token))
                .insert_header(("if-match", "\"v7\"")),
        )
        .await;
    assert_eq!(
        stale.assert_problem(412, "version_mismatch")["current"]["version"],
        1
    );

    let talk = w.body("one_to_one");
    w.app
        .post("/api/v1/activities", &w.worker.token, &talk)
        .await
        .assert_status(201);
    let res = w
        .app
        .post(
            &format!(
                "/api/v1/activities/{}/leave-confirmation",
                talk["id"].as_str().unwrap()
            ),
            &nurse.token,
            &json!({}),
        )
        .await;
    res.assert_problem(422, "validation_failed");
    assert_eq!(res.error_fields(), vec!["kind"]);

    // A voided leave cannot be confirmed.
    let void = w
        .app
        .post(
            &format!(
                "/api/v1/activities/{}/entered-in-error",
                leave["id"].as_str().unwrap()
            ),
            &w.worker.token,
            &json!({ "reason": "wrong patient" }),
        )
        .await;
    void.assert_status(200);
    w.app
        .post(&path, &nurse.token, &json!({}))
        .await
        .assert_problem(409, "entered_in_error");
    assert_eq!(w.app.audit_count("amend", "activity").await, 0);
}
