//! `/api/v1/buddy/pairings/{id}/meetings.ics`: a pairing's series in
//! people's own calendars. (The iCalendar text itself is also parsed by
//! Python's `icalendar` in `scripts/clients`, across the October clock
//! change.)

use peerlog::auth::Role;
use serde_json::json;

use crate::buddy::{pairing_with_accounts, plan, unfold, LINK};
use crate::common::TestApp;

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
