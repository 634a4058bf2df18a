//! The Buddy Scheme's demo data: every discipline, both buddy types, every
//! pairing status; loading twice changes nothing.

use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use peerlog::auth::Role;
use peerlog::schema::{buddies, buddy_cohorts, buddy_meetings, buddy_pairings, users};

use crate::common::TestApp;

/// How many cohorts, pairings and meetings there are.
async fn row_counts(conn: &mut diesel_async::AsyncPgConnection) -> (i64, i64, i64) {
    (
        buddy_cohorts::table.count().get_result(conn).await.unwrap(),
        buddy_pairings::table
            .count()
            .get_result(conn)
            .await
            .unwrap(),
        buddy_meetings::table
            .count()
            .get_result(conn)
            .await
            .unwrap(),
    )
}

#[actix_web::test]
async fn demo_data_covers_the_scheme_and_loads_once() {
    let app = TestApp::new().await;
    let mut conn = app.conn().await;
    assert!(peerlog::demo::load(&mut conn).await.unwrap() > 0);
    let before = row_counts(&mut conn).await;
    assert_eq!(
        peerlog::demo::load(&mut conn).await.unwrap(),
        0,
        "a second load adds nothing"
    );
    let after = row_counts(&mut conn).await;
    assert_eq!(before, after);

    let mut disciplines: Vec<String> = buddy_cohorts::table
        .select(buddy_cohorts::discipline)
        .load(&mut conn)
        .await
        .unwrap();
    disciplines.sort();
    disciplines.dedup();
    assert_eq!(disciplines.len(), 6, "a cohort per discipline");
    let mut types: Vec<String> = buddies::table
        .select(buddies::buddy_type)
        .load(&mut conn)
        .await
        .unwrap();
    types.sort();
    types.dedup();
    assert_eq!(types, vec!["carer", "service_user"]);
    let unregistered: i64 = buddies::table
        .filter(buddies::volunteer_status.ne("registered"))
        .count()
        .get_result(&mut conn)
        .await
        .unwrap();
    assert!(unregistered >= 1);
    let mut statuses: Vec<String> = buddy_pairings::table
        .select(buddy_pairings::status)
        .load(&mut conn)
        .await
        .unwrap();
    statuses.sort();
    statuses.dedup();
    assert_eq!(
        statuses,
        vec!["active", "completed", "proposed", "withdrawn"]
    );

    // The demo student account sees its one pairing; the report adds up.
    let student: uuid::Uuid = users::table
        .filter(users::username.eq("student"))
        .select(users::id)
        .first(&mut conn)
        .await
        .unwrap();
    let token = app.token_for(student, Role::BuddyStudent).await;
    let mine = app.get("/api/v1/buddy/pairings", &token).await.json();
    assert_eq!(mine["items"].as_array().unwrap().len(), 1);
    let mgr = app.user(Role::Manager, &[]).await;
    let report = app
        .get("/api/v1/buddy/reports/cohorts", &mgr.token)
        .await
        .json();
    let pairings: i64 = report["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["pairings"].as_i64().unwrap())
        .sum();
    assert_eq!(pairings, after.1);
}
