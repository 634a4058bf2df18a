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
