//! `/api/v1/reports/groups`: the figures on the known data set (see
//! `mod.rs`).

use serde_json::json;

use super::{rows, Pilot, APRIL};

#[actix_web::test]
async fn groups_by_type_and_ward() {
    let p = Pilot::new().await;
    let groups = p
        .report(&p.manager, &format!("/api/v1/reports/groups?{APRIL}"))
        .await;
    assert_eq!(
        rows(&groups),
        [
            json!({ "group_type": "music", "ward_code": "ASH", "sessions": 1, "named_attendance": 2,
                 "unnamed_attendance": 4, "average_attendance": 6.0 })
        ]
    );
}
