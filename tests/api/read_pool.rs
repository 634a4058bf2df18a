//! The standby's read pool (`PEERLOG_DATABASE_READ_URL`) and the database
//! outages a failover brings: reports and exports read from the standby,
//! a tablet's own records from the primary, and a primary that is gone or
//! has turned read-only answers 503 `database_unavailable` with
//! `Retry-After`, never 500, writing nothing.

use peerlog::auth::Role;

use crate::activities::Ward;
use crate::common::Resp;

/// A standby nobody listens on: whatever reads from it fails.
const DEAD_STANDBY: &str = "postgres://postgres@127.0.0.1:1/peerlog";

fn assert_database_unavailable(res: &Resp) {
    res.assert_problem(503, "database_unavailable");
    assert_eq!(res.header("retry-after").as_deref(), Some("1"));
}

#[actix_web::test]
async fn reports_and_exports_read_from_the_standby_and_a_tablets_records_from_the_primary() {
    let mut w = Ward::new().await;
    let manager = w.app.user(Role::Manager, &[]).await;
    let integration = w.app.user(Role::Integration, &[]).await;
    w.app = w
        .app
        .rebuilt(|s| s.standby = Some(peerlog::db::pool(DEAD_STANDBY, 1).unwrap()))
        .await;

    // The tablet records and sees its own record at once: the primary.
    let created = w.record(&w.body("one_to_one")).await;
    let list = w
        .app
        .get(
            &format!("/api/v1/activities?ward_id={}", w.ward),
            &w.worker.token,
        )
        .await;
    list.assert_status(200);
    assert_eq!(list.json()["items"][0]["id"], created["id"]);
    w.app
        .get(
            &format!("/api/v1/sync/activities?ward_id={}", w.ward),
            &w.worker.token,
        )
        .await
        .assert_status(200);

    // Reports and the warehouse export go to the standby, which is down.
    for path in [
        "/api/v1/reports/activity-summary",
        "/api/v1/reports/escorted-leave",
        "/api/v1/reports/de-escalation",
        "/api/v1/reports/groups",
    ] {
        let period = format!("{path}?from=2026-04-01&to=2026-05-01");
        assert_database_unavailable(&w.app.get(&period, &manager.token).await);
    }
    let before = w.app.audit_count("export", "activity").await;
    assert_database_unavailable(
        &w.app
            .get("/api/v1/exports/activities", &integration.token)
            .await,
    );
    // No export was served, so none is audited.
    assert_eq!(w.app.audit_count("export", "activity").await, before);
}

#[actix_web::test]
async fn with_a_live_standby_reports_and_exports_answer_from_it() {
    let mut w = Ward::new().await;
    let manager = w.app.user(Role::Manager, &[]).await;
    let integration = w.app.user(Role::Integration, &[]).await;
    w.record(&w.body("one_to_one")).await;
    // A second pool on the same database stands in for a caught-up standby.
    let url = w.app.db.url.clone();
    w.app = w
        .app
        .rebuilt(|s| s.standby = Some(peerlog::db::pool(&url, 1).unwrap()))
        .await;
    w.app
        .get(
            "/api/v1/reports/activity-summary?from=2026-04-01&to=2026-05-01",
            &manager.token,
        )
        .await
        .assert_status(200);
    let export = w
        .app
        .get("/api/v1/exports/activities", &integration.token)
        .await;
    export.assert_status(200);
    assert_eq!(export.text().lines().count(), 2, "{}", export.text());
    assert_eq!(w.app.audit_count("export", "activity").await, 1);
}

/// The old primary during a switch-over (or a promoted standby's old
/// primary come back as a standby): it accepts connections but refuses
/// writes with SQLSTATE 25006.
#[actix_web::test]
async fn a_primary_turned_read_only_answers_writes_503_and_writes_nothing() {
    let mut w = Ward::new().await;
    let before = w.count("activities").await;
    let read_only = format!(
        "{}?options=-c%20default_transaction_read_only%3Don",
        w.app.db.url
    );
    w.app = w
        .app
        .rebuilt(|s| s.pool = peerlog::db::pool(&read_only, 2).unwrap())
        .await;
    let body = w.body("one_to_one");
    let res = w
        .app
        .post("/api/v1/activities", &w.worker.token, &body)
        .await;
    assert_database_unavailable(&res);
    assert_eq!(w.count("activities").await, before);
}
