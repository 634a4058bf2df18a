//! `/api/v1/reports/de-escalation`: the figures on the known data set
//! (see `mod.rs`).

use serde_json::json;

use super::{rows, Pilot, APRIL};

#[actix_web::test]
async fn de_escalations_by_ward_and_month() {
    let p = Pilot::new().await;
    let calm = p
        .report(
            &p.manager,
            &format!("/api/v1/reports/de-escalation?{APRIL}"),
        )
        .await;
    assert_eq!(
        rows(&calm),
        [
            json!({ "ward_code": "ASH", "month": "2026-04", "de_escalations": 1, "restraint_avoided": 1,
                    "restraint_avoided_share": 1.0, "staff_called": 0 }),
            json!({ "ward_code": "OAK", "month": "2026-04", "de_escalations": 1, "restraint_avoided": 0,
                    "restraint_avoided_share": 0.0, "staff_called": 1 }),
        ]
    );
}
