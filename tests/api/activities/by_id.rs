//! `/api/v1/activities/{id}`: `GET` reads one record within the caller's
//! ward scope, audited when it names service users; `PATCH` amends it with
//! `If-Match` and a reason, keeping the previous version.

use actix_web::http::Method;
use peerlog::auth::Role;
use serde_json::json;

use super::{amend_v1, patch_with, Ward};
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

#[actix_web::test]
async fn an_amendment_needs_the_current_etag_and_a_reason_and_keeps_the_previous_version() {
    let w = Ward::new().await;
    let created = w.record(&w.body("one_to_one")).await;
    let path = format!("/api/v1/activities/{}", created["id"].as_str().unwrap());
    let change =
        json!({ "reason": "Wrong topic recorded", "details": { "topics": ["hearing_voices"] } });

    patch_with(&w, &path, &w.worker.token, None, change.clone())
        .await
        .assert_problem(428, "if_match_required");
    let no_reason = patch_with(
        &w,
        &path,
        &w.worker.token,
        Some("\"v1\""),
        json!({ "note": "x" }),
    )
    .await;
    no_reason.assert_problem(422, "validation_failed");
    let bad = patch_with(
        &w,
        &path,
        &w.worker.token,
        Some("\"v1\""),
        json!({ "reason": "typo", "details": { "topics": [] } }),
    )
    .await;
    assert_eq!(bad.error_fields(), ["details.topics"]);

    let ok = patch_with(&w, &path, &w.worker.token, Some("\"v1\""), change.clone()).await;
    ok.assert_status(200);
    assert_eq!(ok.header("etag").as_deref(), Some("\"v2\""));
    let amended = ok.json();
    assert_eq!(amended["status"], "amended");
    assert_eq!(amended["details"]["topics"], json!(["hearing_voices"]));
    assert_eq!(amended["note"], created["note"]);

    let stale = patch_with(&w, &path, &w.worker.token, Some("\"v1\""), change).await;
    let problem = stale.assert_problem(412, "version_mismatch");
    assert_eq!(problem["current"], amended);

    let history = w.app.get(&format!("{path}/history"), &w.worker.token).await;
    history.assert_status(200);
    let versions = history.json()["items"].as_array().unwrap().clone();
    assert_eq!(versions.len(), 2);
    assert_eq!(versions[0]["change"], "created");
    assert_eq!(versions[0]["snapshot"], created);
    assert_eq!(versions[1]["change"], "amended");
    assert_eq!(versions[1]["reason"], "Wrong topic recorded");
    assert_eq!(versions[1]["changed_by"], w.worker.id.to_string());
    assert_eq!(versions[1]["snapshot"], amended);

    assert_eq!(
        w.count("activity_events WHERE event_type = 'amended' AND version = 2")
            .await,
        1
    );
    assert_eq!(w.app.audit_count("amend", "activity").await, 1);
}

#[actix_web::test]
async fn workers_amend_their_own_records_and_team_leaders_any_on_their_wards() {
    let w = Ward::new().await;
    let created = w.record(&w.body("wellbeing")).await;
    let path = format!("/api/v1/activities/{}", created["id"].as_str().unwrap());
    let colleague = w
        .app
        .user(peerlog::auth::Role::PeerSupportWorker, &[w.ward])
        .await;
    let nurse = w.app.user(peerlog::auth::Role::WardStaff, &[w.ward]).await;
    let body = json!({ "reason": "Duration was longer", "duration_minutes": 90 });
    patch_with(&w, &path, &colleague.token, Some("\"v1\""), body.clone())
        .await
        .assert_problem(403, "forbidden");
    patch_with(&w, &path, &nurse.token, Some("\"v1\""), body.clone())
        .await
        .assert_problem(403, "forbidden");
    let ok = patch_with(&w, &path, &w.leader.token, Some("\"v1\""), body).await;
    ok.assert_status(200);
    assert_eq!(ok.json()["duration_minutes"], 90);
}

#[actix_web::test]
async fn a_leader_cannot_name_the_recorder_as_a_co_worker() {
    let w = Ward::new().await;
    let stored = w.record(&w.body("one_to_one")).await;
    let res = amend_v1(
        &w,
        &w.leader.token,
        &stored,
        json!({ "reason": "fix", "co_worker_ids": [w.worker.id] }),
    )
    .await;
    res.assert_problem(422, "validation_failed");
    assert_eq!(res.error_fields(), vec!["co_worker_ids[0]"]);
}

#[actix_web::test]
async fn amendment_reasons_stay_out_of_the_audit_log_admins_read() {
    let w = Ward::new().await;
    let admin = w.app.user(Role::Admin, &[]).await;
    let stored = w.record(&w.body("one_to_one")).await;
    amend_v1(
        &w,
        &w.worker.token,
        &stored,
        json!({ "reason": "disclosed self-harm history", "note": "updated" }),
    )
    .await
    .assert_status(200);
    let audit = w
        .app
        .get("/api/v1/audit?entity_type=activity&limit=200", &admin.token)
        .await;
    audit.assert_status(200);
    assert!(!audit.text().contains("self-harm"), "{}", audit.text());
    assert!(audit.text().contains("\"reason_given\":true"));
}
