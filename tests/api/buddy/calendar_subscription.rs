//! `/api/v1/buddy/calendar-subscription` and the calendar it issues,
//! `/api/v1/buddy/calendar/{token}.ics`: a personal subscription serves
//! one's own meetings without a bearer token until replaced or revoked.

use actix_web::http::Method;
use serde_json::json;

use crate::buddy::{pairing_with_accounts, plan, unfold, LINK};
use crate::common::TestApp;

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
