//! `/api/v1/wards`: scoping by assignment, admin-only writes, pagination.
//! Stories across the ward URLs here; each URL's own in its file.

mod index;
mod workers;

use peerlog::auth::Role;
use peerlog::models::ward::ServiceLine;
use serde_json::json;

use crate::common::TestApp;

#[actix_web::test]
async fn each_role_sees_exactly_the_wards_it_may() {
    let app = TestApp::new().await;
    let ash = app.ward("ASH", ServiceLine::Adult).await;
    let oak = app.ward("OAK", ServiceLine::MediumSecure).await;
    let willow = app.ward("WILLOW", ServiceLine::Camhs).await;

    let cases = [
        (Role::PeerSupportWorker, vec![ash], vec!["ASH"]),
        (Role::PeerTeamLeader, vec![ash, oak], vec!["ASH", "OAK"]),
        (Role::WardStaff, vec![willow], vec!["WILLOW"]),
        (Role::BuddyCoordinator, vec![], vec![]),
        (Role::Manager, vec![], vec!["ASH", "OAK", "WILLOW"]),
        (Role::Admin, vec![], vec!["ASH", "OAK", "WILLOW"]),
        (Role::Integration, vec![], vec!["ASH", "OAK", "WILLOW"]),
    ];
    for (role, assigned, expected) in cases {
        let user = app.user(role, &assigned).await;
        let res = app.get("/api/v1/wards", &user.token).await;
        res.assert_status(200);
        let codes: Vec<String> = res.json()["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|w| w["code"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(codes, expected, "{role}");
        for ward in [ash, oak, willow] {
            let one = app.get(&format!("/api/v1/wards/{ward}"), &user.token).await;
            let visible = codes
                .iter()
                .any(|c| one.status == 200 && one.json()["code"] == c.as_str());
            if one.status == 200 {
                assert!(visible, "{role} read a ward not in its list");
            } else {
                one.assert_problem(404, "not_found");
            }
        }
    }
}

#[actix_web::test]
async fn only_admins_create_and_change_wards_and_it_is_audited() {
    let app = TestApp::new().await;
    let admin = app.user(Role::Admin, &[]).await;
    let body = json!({ "code": "MSU-OAK", "name": "Oak Ward", "service_line": "medium_secure" });

    for role in [
        Role::Manager,
        Role::PeerTeamLeader,
        Role::PeerSupportWorker,
        Role::WardStaff,
        Role::Integration,
        Role::BuddyCoordinator,
    ] {
        let user = app.user(role, &[]).await;
        app.post("/api/v1/wards", &user.token, &body)
            .await
            .assert_problem(403, "forbidden");
    }
    let created = app.post("/api/v1/wards", &admin.token, &body).await;
    created.assert_status(201);
    let ward = created.json();
    assert_eq!(ward["code"], "MSU-OAK");
    assert_eq!(ward["active"], true);
    assert_eq!(
        created.header("location").unwrap(),
        format!("/api/v1/wards/{}", ward["id"].as_str().unwrap())
    );

    app.post("/api/v1/wards", &admin.token, &body)
        .await
        .assert_problem(409, "ward_code_taken");

    let path = format!("/api/v1/wards/{}", ward["id"].as_str().unwrap());
    let manager = app.user(Role::Manager, &[]).await;
    app.patch(&path, &manager.token, &json!({ "active": false }))
        .await
        .assert_problem(403, "forbidden");
    let updated = app
        .patch(
            &path,
            &admin.token,
            &json!({ "name": "Oak Ward (MSU)", "active": false }),
        )
        .await;
    updated.assert_status(200);
    assert_eq!(updated.json()["name"], "Oak Ward (MSU)");
    assert_eq!(updated.json()["active"], false);
    assert_eq!(updated.json()["code"], "MSU-OAK");

    assert_eq!(app.audit_count("create", "ward").await, 1);
    assert_eq!(app.audit_count("update", "ward").await, 1);
}
