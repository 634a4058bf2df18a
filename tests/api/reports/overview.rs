//! `/api/v1/reports/ward/{id}/overview`: one ward's month at a glance, on
//! the known data set (see `mod.rs`).

use serde_json::json;

use super::Pilot;

#[actix_web::test]
async fn a_wards_month_at_a_glance() {
    let p = Pilot::new().await;
    let o = p
        .report(
            &p.leader,
            &format!("/api/v1/reports/ward/{}/overview?month=2026-04", p.w.ward),
        )
        .await;
    assert_eq!(o["ward"]["code"], "ASH");
    assert_eq!(
        o["totals"],
        json!({ "activities": 3, "minutes": 240, "service_users": 2, "workers": 2 })
    );
    let kinds: Vec<(&str, i64)> = o["by_kind"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["kind"].as_str().unwrap(), r["minutes"].as_i64().unwrap()))
        .collect();
    assert_eq!(
        kinds,
        [
            ("de_escalation", 30),
            ("escorted_leave", 150),
            ("group_session", 60)
        ]
    );
    assert_eq!(o["escorted_leave"]["leave_hours"], 1.5);
    assert_eq!(o["de_escalation"]["restraint_avoided"], 1);
    assert_eq!(o["groups"][0]["unnamed_attendance"], 4);
    assert_eq!(o["entered_in_error"], 1);

    let quiet = p
        .report(
            &p.manager,
            &format!("/api/v1/reports/ward/{}/overview?month=2025-01", p.w.ward),
        )
        .await;
    assert_eq!(quiet["totals"]["activities"], 0);
    assert_eq!(quiet["escorted_leave"], json!(null));
}
