//! The demo data: every kind on every ward, and loading twice changes nothing.

use crate::common::TestApp;

#[actix_web::test]
async fn demo_data_covers_every_kind_on_every_ward_and_loads_once() {
    let app = TestApp::new().await;
    let mut conn = app.conn().await;
    let first = peerlog::demo::load(&mut conn).await.unwrap();
    assert!(first > 400, "{first}");
    assert_eq!(peerlog::demo::load(&mut conn).await.unwrap(), 0);
    use diesel::prelude::*;
    use diesel_async::RunQueryDsl;
    use peerlog::schema::activities;
    let pairs: i64 = activities::table
        .select(diesel::dsl::sql::<diesel::sql_types::BigInt>(
            "count(DISTINCT (ward_id, kind))",
        ))
        .first(&mut conn)
        .await
        .unwrap();
    assert_eq!(pairs, 10 * 12);
}

#[actix_web::test]
async fn the_demo_accounts_sign_in_with_the_documented_password_and_see_their_wards() {
    let app = TestApp::new().await;
    let mut conn = app.conn().await;
    peerlog::demo::load(&mut conn).await.unwrap();
    drop(conn);
    for (username, role, wards) in [
        ("admin", "admin", 0),
        ("psw", "peer_support_worker", 2),
        ("psw2", "peer_support_worker", 2),
        ("nurse", "ward_staff", 1),
        ("manager", "manager", 0),
    ] {
        let res = app
            .post_anon(
                "/api/v1/auth/token",
                &serde_json::json!({ "username": username, "password": peerlog::demo::DEMO_PASSWORD }),
            )
            .await;
        res.assert_status(200);
        let me = app
            .get("/api/v1/me", res.json()["access_token"].as_str().unwrap())
            .await
            .json();
        assert_eq!(me["role"], role, "{username}");
        assert_eq!(me["wards"].as_array().unwrap().len(), wards, "{username}");
    }
    let manager_wards = app
        .post_anon(
            "/api/v1/auth/token",
            &serde_json::json!({ "username": "manager", "password": peerlog::demo::DEMO_PASSWORD }),
        )
        .await
        .json();
    let wards = app
        .get(
            "/api/v1/wards",
            manager_wards["access_token"].as_str().unwrap(),
        )
        .await
        .json();
    assert_eq!(
        wards["items"].as_array().unwrap().len(),
        10,
        "the pilot's ten wards"
    );
}

#[actix_web::test]
async fn create_admin_bootstraps_an_account_that_can_sign_in_once() {
    let app = TestApp::new().await;
    let mut conn = app.conn().await;
    let weak = peerlog::demo::create_admin(&mut conn, "root", "Root", "short".into()).await;
    assert!(weak.unwrap_err().contains("at least 12"));
    let id = peerlog::demo::create_admin(
        &mut conn,
        "trust-admin",
        "Trust Admin",
        "a long admin passphrase".into(),
    )
    .await
    .unwrap();
    let again = peerlog::demo::create_admin(
        &mut conn,
        "trust-admin",
        "Other",
        "a long admin passphrase".into(),
    )
    .await;
    assert!(again.unwrap_err().contains("taken"));
    let res = app
        .post_anon(
            "/api/v1/auth/token",
            &serde_json::json!({ "username": "trust-admin", "password": "a long admin passphrase" }),
        )
        .await;
    res.assert_status(200);
    let me = app
        .get("/api/v1/me", res.json()["access_token"].as_str().unwrap())
        .await
        .json();
    assert_eq!(me["id"], id.to_string());
    assert_eq!(me["role"], "admin");
    assert_eq!(app.audit_count("create", "user").await, 1);
}

/// The demo evidence fills the impact screen and the board report: your say
/// with shared quotes, ONS4 twice for five people a ward, six months of ward
/// figures, and escorted leave that would otherwise have been cancelled.
#[actix_web::test]
async fn demo_evidence_has_answers_change_ward_figures_and_leave_enabled() {
    use diesel_async::RunQueryDsl;
    let app = TestApp::new().await;
    let mut conn = app.conn().await;
    peerlog::demo::load(&mut conn).await.unwrap();
    let count = |sql: &'static str| diesel::dsl::sql::<diesel::sql_types::BigInt>(sql);
    let q = |sql: &'static str| diesel::select(count(sql));
    let your_say: i64 = q(
        "(SELECT count(*) FROM measure_responses r JOIN measure_definitions d \
                           ON d.id = r.definition_id WHERE d.code = 'your_say')",
    )
    .get_result(&mut conn)
    .await
    .unwrap();
    assert_eq!(your_say, 10 * 6 * 5);
    let quotes: i64 = q("(SELECT count(*) FROM measure_responses WHERE quote IS NOT NULL)")
        .get_result(&mut conn)
        .await
        .unwrap();
    assert_eq!(quotes, 10 * 3);
    let ons4_twice: i64 = q("(SELECT count(*) FROM (SELECT service_user_id FROM measure_responses r \
                            JOIN measure_definitions d ON d.id = r.definition_id WHERE d.code = 'ons4' \
                            GROUP BY 1 HAVING count(*) = 2) x)")
        .get_result(&mut conn)
        .await
        .unwrap();
    assert_eq!(ons4_twice, 10 * 5);
    let figures: i64 = q("(SELECT count(*) FROM ward_figures)")
        .get_result(&mut conn)
        .await
        .unwrap();
    assert_eq!(figures, 10 * 6);
    let enabled: i64 = q(
        "(SELECT count(*) FROM activities WHERE kind = 'escorted_leave' \
                          AND (details ->> 'would_have_been_cancelled')::boolean)",
    )
    .get_result(&mut conn)
    .await
    .unwrap();
    assert!(enabled >= 10, "{enabled}");
}
