//! Online meetings' links, and meetings in people's own calendars:
//! `/api/v1/buddy/pairings/{id}/meetings.ics`, the personal subscription
//! (`/api/v1/buddy/calendar-subscription`, `/api/v1/buddy/calendar/{token}.ics`).
//! (The iCalendar text itself is also parsed by Python's `icalendar` in
//! `scripts/clients`, across the October clock change.)

use actix_web::http::Method;
use peerlog::auth::Role;
use serde_json::json;

use super::{active_pairing, buddy, cohort, student};
use crate::common::{TestApp, TestUser};

const LINK: &str = "https://teams.microsoft.com/l/meetup-join/19%3ameeting_abc%40thread.v2/0";

/// A pairing whose student and buddy have accounts; answers (coordinator,
/// student account, buddy account, pairing id).
async fn pairing_with_accounts(app: &TestApp) -> (TestUser, TestUser, TestUser, String) {
    let coordinator = app.user(Role::BuddyCoordinator, &[]).await;
    let jo = app.user(Role::BuddyStudent, &[]).await;
    let robin = app.user(Role::BuddyVolunteer, &[]).await;
    let c = cohort(app, &coordinator.token, "OT 2027", "occupational_therapy").await;
    let s = student(app, &coordinator.token, &c, "Jo").await;
    let b = buddy(app, &coordinator.token, true, 2).await;
    for (path, account) in [
        (format!("/api/v1/buddy/students/{s}"), &jo),
        (format!("/api/v1/buddy/buddies/{b}"), &robin),
    ] {
        app.patch(&path, &coordinator.token, &json!({ "user_id": account.id }))
            .await
            .assert_status(200);
    }
    let p = active_pairing(app, &coordinator.token, &s, &b, 4).await;
    (coordinator, jo, robin, p)
}

/// RFC 5545 folds lines over 75 octets; a reader unfolds them.
fn unfold(text: &str) -> String {
    text.replace("\r\n ", "")
}

async fn plan(
    app: &TestApp,
    token: &str,
    pairing: &str,
    body: serde_json::Value,
) -> crate::common::Resp {
    app.post(
        &format!("/api/v1/buddy/pairings/{pairing}/meetings"),
        token,
        &body,
    )
    .await
}

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

#[actix_web::test]
async fn a_pairings_calendar_is_for_its_student_buddy_and_coordinator_only() {
    let app = TestApp::new().await;
    let (coordinator, jo, robin, p) = pairing_with_accounts(&app).await;
    let first = plan(&app, &coordinator.token, &p, json!({ "planned_at": "2027-10-29T09:00:00Z", "mode": "online_video", "topic": "introductions", "link": LINK })).await;
    let first = first.json()["id"].as_str().unwrap().to_string();
    plan(&app, &coordinator.token, &p, json!({ "planned_at": "2027-11-05T10:00:00Z", "mode": "in_person", "topic": "family", "place": "Room 2" }))
        .await
        .assert_status(201);
    let path = format!("/api/v1/buddy/pairings/{p}/meetings.ics");
    let before = app.get(&path, &jo.token).await;
    before.assert_status(200);
    assert_eq!(
        before.header("content-type").as_deref(),
        Some("text/calendar; charset=utf-8")
    );
    let text = unfold(&before.text());
    assert_eq!(text.matches("BEGIN:VEVENT").count(), 2);
    assert!(text.contains(&format!("UID:{first}@peerlog")));
    assert!(text.contains("DTSTART:20271029T090000Z") && text.contains("SEQUENCE:0"));
    assert!(text.contains(&format!("URL:{LINK}")) && text.contains("LOCATION:Room 2"));

    // Moving a meeting keeps its UID and bumps its SEQUENCE; cancelling one
    // marks it CANCELLED.
    app.patch(
        &format!("/api/v1/buddy/meetings/{first}"),
        &coordinator.token,
        &json!({ "planned_at": "2027-10-29T13:00:00Z" }),
    )
    .await
    .assert_status(200);
    app.patch(
        &format!("/api/v1/buddy/meetings/{first}"),
        &robin.token,
        &json!({ "status": "cancelled_by_buddy" }),
    )
    .await
    .assert_status(200);
    let after = unfold(&app.get(&path, &coordinator.token).await.text());
    assert!(after.contains(&format!("UID:{first}@peerlog")));
    assert!(after.contains("DTSTART:20271029T130000Z") && after.contains("SEQUENCE:2"));
    assert!(after.contains("STATUS:CANCELLED"));

    // Another pairing's student, a manager and a ward worker get nothing.
    let other = app.user(Role::BuddyStudent, &[]).await;
    app.get(&path, &other.token)
        .await
        .assert_problem(404, "not_found");
    let manager = app.user(Role::Manager, &[]).await;
    app.get(&path, &manager.token)
        .await
        .assert_problem(403, "forbidden");
    let worker = app.user(Role::PeerSupportWorker, &[]).await;
    app.get(&path, &worker.token)
        .await
        .assert_problem(403, "forbidden");
    assert_eq!(app.audit_count("read", "buddy_calendar").await, 2);
}

#[actix_web::test]
async fn a_personal_subscription_serves_ones_own_meetings_until_revoked() {
    let app = TestApp::new().await;
    let (coordinator, jo, _, p) = pairing_with_accounts(&app).await;
    plan(&app, &coordinator.token, &p, json!({ "planned_at": "2027-10-29T09:00:00Z", "mode": "online_video", "topic": "introductions", "link": LINK }))
        .await
        .assert_status(201);
    let coordinator_try = app
        .send(TestApp::req(
            Method::PUT,
            "/api/v1/buddy/calendar-subscription",
            Some(&coordinator.token),
        ))
        .await;
    coordinator_try.assert_problem(403, "forbidden");

    let issued = app
        .send(TestApp::req(
            Method::PUT,
            "/api/v1/buddy/calendar-subscription",
            Some(&jo.token),
        ))
        .await;
    issued.assert_status(200);
    let url = issued.json()["path"].as_str().unwrap().to_string();
    assert!(url.starts_with("/api/v1/buddy/calendar/") && url.ends_with(".ics"));
    // No bearer token: the URL is the credential.
    let feed = app.send(TestApp::req(Method::GET, &url, None)).await;
    feed.assert_status(200);
    assert!(unfold(&feed.text()).contains(&format!("URL:{LINK}")));
    assert_eq!(
        app.audit_count("read", "buddy_calendar_subscription").await,
        1
    );

    // A new subscription replaces the old one; revoking ends it.
    let again = app
        .send(TestApp::req(
            Method::PUT,
            "/api/v1/buddy/calendar-subscription",
            Some(&jo.token),
        ))
        .await;
    let url2 = again.json()["path"].as_str().unwrap().to_string();
    app.send(TestApp::req(Method::GET, &url, None))
        .await
        .assert_problem(404, "not_found");
    app.send(TestApp::req(Method::GET, &url2, None))
        .await
        .assert_status(200);
    app.send(TestApp::req(
        Method::DELETE,
        "/api/v1/buddy/calendar-subscription",
        Some(&jo.token),
    ))
    .await
    .assert_status(204);
    app.send(TestApp::req(Method::GET, &url2, None))
        .await
        .assert_problem(404, "not_found");
    let forged = format!("/api/v1/buddy/calendar/{}.ics", "A".repeat(43));
    app.send(TestApp::req(Method::GET, &forged, None))
        .await
        .assert_problem(404, "not_found");
}
