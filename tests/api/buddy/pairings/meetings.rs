//! `/api/v1/buddy/pairings/{id}/meetings`: planning meetings, and an
//! online meeting's join link (allowed hosts only; never shown to managers
//! or written to the audit log).

use peerlog::auth::Role;
use serde_json::json;

use crate::buddy::{pairing_with_accounts, plan, LINK};
use crate::common::TestApp;

#[actix_web::test]
async fn an_online_meeting_carries_an_allowed_https_link_that_managers_do_not_see() {
    let app = TestApp::new().await;
    let (coordinator, jo, _, p) = pairing_with_accounts(&app).await;
    let when = "2027-03-01T10:00:00Z";
    for (body, field) in [
        (
            json!({ "planned_at": when, "mode": "online_video", "topic": "introductions", "link": "http://teams.microsoft.com/l/x" }),
            "link",
        ),
        (
            json!({ "planned_at": when, "mode": "online_video", "topic": "introductions", "link": "https://evil.example/teams" }),
            "link",
        ),
        (
            json!({ "planned_at": when, "mode": "in_person", "topic": "introductions", "link": LINK }),
            "link",
        ),
        (
            json!({ "planned_at": when, "mode": "online_video", "topic": "introductions", "place": "Room 2" }),
            "place",
        ),
    ] {
        let res = plan(&app, &coordinator.token, &p, body).await;
        res.assert_problem(422, "validation_failed");
        assert_eq!(res.error_fields(), vec![field]);
    }
    let res = plan(&app, &coordinator.token, &p, json!({ "planned_at": when, "mode": "online_video", "topic": "introductions", "link": LINK })).await;
    res.assert_status(201);
    let meeting = res.json()["id"].as_str().unwrap().to_string();
    let path = format!("/api/v1/buddy/meetings/{meeting}");

    // The student reads the link; a manager reads the meeting without it.
    assert_eq!(app.get(&path, &jo.token).await.json()["link"], LINK);
    let manager = app.user(Role::Manager, &[]).await;
    let seen = app.get(&path, &manager.token).await;
    seen.assert_status(200);
    assert!(seen.json()["link"].is_null());
    let listed = app
        .get(
            &format!("/api/v1/buddy/pairings/{p}/meetings"),
            &manager.token,
        )
        .await;
    assert!(listed.json()["items"][0]["link"].is_null());
    assert!(!listed.text().contains("teams.microsoft.com"));

    // Changing the link is audited without the link in the log; moving to
    // in person drops it, and a place may be given.
    let moved = app
        .patch(
            &path,
            &coordinator.token,
            &json!({ "mode": "in_person", "place": "Recovery College" }),
        )
        .await;
    moved.assert_status(200);
    assert!(moved.json()["link"].is_null());
    assert_eq!(moved.json()["place"], "Recovery College");
    let mut conn = app.conn().await;
    let details: Vec<serde_json::Value> = {
        use diesel::prelude::*;
        use diesel_async::RunQueryDsl;
        use peerlog::schema::audit_log;
        audit_log::table
            .filter(audit_log::entity_type.eq("buddy_meeting"))
            .filter(audit_log::action.eq("update"))
            .select(audit_log::details)
            .load(&mut conn)
            .await
            .unwrap()
    };
    assert_eq!(details.len(), 1);
    assert_eq!(details[0]["link_changed"], true);
    assert!(!details[0].to_string().contains("teams.microsoft.com"));
}
