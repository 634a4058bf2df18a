//! `/api/v1/wards/{id}/workers`: who a worker can name as a co-worker.

use peerlog::auth::Role;
use peerlog::models::ward::ServiceLine;
use serde_json::json;

use crate::common::TestApp;

#[actix_web::test]
async fn a_ward_lists_its_active_peer_workers_to_those_on_the_ward_only() {
    let app = TestApp::new().await;
    let ash = app.ward("ASH", ServiceLine::Adult).await;
    let oak = app.ward("OAK", ServiceLine::Adult).await;
    let worker = app.user(Role::PeerSupportWorker, &[ash]).await;
    let leader = app.user(Role::PeerTeamLeader, &[ash, oak]).await;
    let nurse = app.user(Role::WardStaff, &[ash]).await;
    let elsewhere = app.user(Role::PeerSupportWorker, &[oak]).await;
    let gone = app.user(Role::PeerSupportWorker, &[ash]).await;
    let admin = app.user(Role::Admin, &[]).await;
    app.patch(
        &format!("/api/v1/users/{}", gone.id),
        &admin.token,
        &json!({ "active": false }),
    )
    .await
    .assert_status(200);

    let path = format!("/api/v1/wards/{ash}/workers");
    for reader in [&worker, &nurse, &admin] {
        let res = app.get(&path, &reader.token).await;
        res.assert_status(200);
        let mut ids: Vec<String> = res
            .json()
            .as_array()
            .unwrap()
            .iter()
            .map(|w| w["id"].as_str().unwrap().to_string())
            .collect();
        ids.sort();
        let mut expected = vec![worker.id.to_string(), leader.id.to_string()];
        expected.sort();
        // Ward staff are not peer workers; a disabled account is not offered.
        assert_eq!(ids, expected, "{}", reader.role);
    }
    // A worker on another ward is told the ward does not exist.
    app.get(&path, &elsewhere.token)
        .await
        .assert_problem(404, "not_found");
    let integration = app.user(Role::Integration, &[]).await;
    app.get(&path, &integration.token)
        .await
        .assert_problem(403, "forbidden");
}
