//! `/api/v1/wards`: scoping by assignment, admin-only writes, pagination.

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

#[actix_web::test]
async fn invalid_wards_name_every_bad_field() {
    let app = TestApp::new().await;
    let admin = app.user(Role::Admin, &[]).await;
    let res = app
        .post(
            "/api/v1/wards",
            &admin.token,
            &json!({ "code": "bad code", "name": "", "service_line": "adult" }),
        )
        .await;
    res.assert_problem(422, "validation_failed");
    assert_eq!(res.error_fields(), vec!["code", "name"]);

    let res = app
        .post(
            "/api/v1/wards",
            &admin.token,
            &json!({ "code": "OK", "name": "x", "service_line": "paediatric" }),
        )
        .await;
    res.assert_problem(422, "validation_failed");
    assert_eq!(res.error_fields(), vec!["service_line"]);

    let res = app
        .post(
            "/api/v1/wards",
            &admin.token,
            &json!({ "code": "OK", "name": "x", "service_line": "adult", "beds": 12 }),
        )
        .await;
    res.assert_problem(422, "validation_failed");
    assert_eq!(res.error_fields(), vec!["beds"]);
    assert_eq!(app.audit_count("create", "ward").await, 0);
}

#[actix_web::test]
async fn pages_walk_every_ward_once_even_with_inserts_between_pages() {
    let app = TestApp::new().await;
    let manager = app.user(Role::Manager, &[]).await;
    for i in 0..7 {
        app.ward(&format!("W{i:02}"), ServiceLine::Adult).await;
    }
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    let mut inserted = false;
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/v1/wards?limit=3&cursor={c}"),
            None => "/api/v1/wards?limit=3".to_string(),
        };
        let page = app.get(&path, &manager.token).await;
        page.assert_status(200);
        let page = page.json();
        for w in page["items"].as_array().unwrap() {
            seen.push(w["code"].as_str().unwrap().to_string());
        }
        if !inserted {
            // One before the cursor (not seen: already passed) and one after (seen).
            app.ward("A00", ServiceLine::Adult).await;
            app.ward("Z99", ServiceLine::Adult).await;
            inserted = true;
        }
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => break,
        }
    }
    let expected: Vec<String> = (0..7)
        .map(|i| format!("W{i:02}"))
        .chain(["Z99".to_string()])
        .collect();
    assert_eq!(seen, expected);

    let filtered = app
        .get("/api/v1/wards?service_line=camhs", &manager.token)
        .await;
    assert_eq!(filtered.json()["items"].as_array().unwrap().len(), 0);
    app.get("/api/v1/wards?limit=0", &manager.token)
        .await
        .assert_problem(400, "invalid_query");
    app.get("/api/v1/wards?limit=201", &manager.token)
        .await
        .assert_problem(400, "invalid_query");
    let forged = app.get("/api/v1/wards?cursor=forged", &manager.token).await;
    forged.assert_problem(422, "validation_failed");
    assert_eq!(forged.error_fields(), vec!["cursor"]);
}

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
