//! `/api/v1/reports/escorted-leave`: the figures on the known data set
//! (see `mod.rs`).

use serde_json::json;

use super::{rows, Pilot, APRIL};

#[actix_web::test]
async fn escorted_leave_by_ward_and_month() {
    let p = Pilot::new().await;
    let leave = p
        .report(
            &p.manager,
            &format!("/api/v1/reports/escorted-leave?{APRIL}"),
        )
        .await;
    assert_eq!(
        rows(&leave),
        [
            json!({ "ward_code": "ASH", "month": "2026-04", "episodes": 1, "leave_hours": 1.5,
                 "returned_as_planned": 1, "not_returned_as_planned": 0 })
        ]
    );
}
