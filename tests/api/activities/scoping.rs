//! The ward-scoping matrix: who sees and changes what.

use actix_web::http::Method;
use peerlog::auth::Role;
use serde_json::json;

use super::Ward;
use crate::common::TestApp;

#[actix_web::test]
async fn each_role_reads_exactly_what_it_may() {
    let w = Ward::new().await;
    let here = w.record(&w.body("one_to_one")).await;
    let id = here["id"].as_str().unwrap().to_string();
    // (role, assigned to the record's ward?, may read)
    let cases = [
        (Role::PeerSupportWorker, true, 200),
        (Role::PeerSupportWorker, false, 404),
        (Role::PeerTeamLeader, true, 200),
        (Role::PeerTeamLeader, false, 404),
        (Role::WardStaff, true, 200),
        (Role::WardStaff, false, 404),
        (Role::Manager, false, 200),
        (Role::Integration, false, 200),
        (Role::Admin, false, 403),
        (Role::BuddyCoordinator, false, 403),
    ];
    for (role, assigned, status) in cases {
        let wards = if assigned {
            vec![w.ward]
        } else {
            vec![w.other_ward]
        };
        let user = w.app.user(role, &wards).await;
        let one = w
            .app
            .get(&format!("/api/v1/activities/{id}"), &user.token)
            .await;
        let history = w
            .app
            .get(&format!("/api/v1/activities/{id}/history"), &user.token)
            .await;
        let list = w.app.get("/api/v1/activities", &user.token).await;
        assert_eq!(one.status.as_u16(), status, "{role} assigned={assigned}");
        assert_eq!(history.status.as_u16(), status, "{role} history");
        match status {
            200 => assert_eq!(list.json()["items"].as_array().unwrap().len(), 1, "{role}"),
            404 => {
                one.assert_problem(404, "not_found");
                assert_eq!(list.json()["items"].as_array().unwrap().len(), 0, "{role}");
                let by_ward = w
                    .app
                    .get(
                        &format!("/api/v1/activities?ward_id={}", w.ward),
                        &user.token,
                    )
                    .await;
                assert_eq!(
                    by_ward.json()["items"].as_array().unwrap().len(),
                    0,
                    "{role}"
                );
            }
            _ => {
                list.assert_problem(403, "forbidden");
            }
        };
    }
    // Nobody off the ward can amend or void it, not even by guessing its id.
    let outsider = w.app.user(Role::PeerTeamLeader, &[w.other_ward]).await;
    let req = TestApp::req(
        Method::PATCH,
        &format!("/api/v1/activities/{id}"),
        Some(&outsider.token),
    )
    .insert_header(("if-match", "\"v1\""))
    .set_json(json!({ "reason": "x" }));
    w.app.send(req).await.assert_problem(404, "not_found");
    w.app
        .post(
            &format!("/api/v1/activities/{id}/entered-in-error"),
            &outsider.token,
            &json!({ "reason": "x" }),
        )
        .await
        .assert_problem(404, "not_found");
}

#[actix_web::test]
async fn only_peer_workers_and_leaders_record_and_only_on_their_wards() {
    let w = Ward::new().await;
    for role in [
        Role::WardStaff,
        Role::Manager,
        Role::Admin,
        Role::Integration,
        Role::BuddyCoordinator,
    ] {
        let user = w.app.user(role, &[w.ward]).await;
        w.app
            .post("/api/v1/activities", &user.token, &w.body("wellbeing"))
            .await
            .assert_problem(403, "forbidden");
    }
    let res = w
        .app
        .post("/api/v1/activities", &w.leader.token, &w.body("wellbeing"))
        .await;
    res.assert_status(201);
    let elsewhere = w.app.user(Role::PeerSupportWorker, &[w.other_ward]).await;
    let res = w
        .app
        .post(
            "/api/v1/activities",
            &elsewhere.token,
            &w.body("staff_support"),
        )
        .await;
    res.assert_problem(422, "validation_failed");
    assert_eq!(res.error_fields(), ["ward_id"]);
}

#[actix_web::test]
async fn reads_naming_service_users_are_audited() {
    let w = Ward::new().await;
    let named = w.record(&w.body("one_to_one")).await;
    let unnamed = w.record(&w.body("staff_support")).await;
    w.app
        .get(
            &format!("/api/v1/activities/{}", named["id"].as_str().unwrap()),
            &w.worker.token,
        )
        .await
        .assert_status(200);
    w.app
        .get(
            &format!("/api/v1/activities/{}", unnamed["id"].as_str().unwrap()),
            &w.worker.token,
        )
        .await
        .assert_status(200);
    assert_eq!(w.app.audit_count("read", "activity").await, 1);
    w.app
        .get("/api/v1/activities", &w.worker.token)
        .await
        .assert_status(200);
    assert_eq!(w.app.audit_count("list", "activity").await, 1);
}
