//! `/api/v1/reports/activity-summary`: the figures on the known data set
//! (see `mod.rs`).

use serde_json::json;

use super::{rows, Pilot, APRIL};

#[actix_web::test]
async fn the_activity_summary_counts_april_by_local_dates_without_voided_records() {
    let p = Pilot::new().await;
    let url = |q: &str| format!("/api/v1/reports/activity-summary?{APRIL}{q}");

    // Whole period: #2, #6, #3 (as amended), #4; not #5 (voided), #7
    // (23:30 BST on 31 March) or #8 (00:30 BST on 1 May).
    let all = p.report(&p.manager, &url("")).await;
    assert_eq!(
        rows(&all),
        [json!({ "activities": 4, "minutes": 260, "service_users": 3, "workers": 2 })]
    );
    assert_eq!(all["from"], "2026-04-01");

    let by_ward = p.report(&p.manager, &url("&group_by=ward")).await;
    assert_eq!(
        rows(&by_ward),
        [
            json!({ "ward_code": "ASH", "activities": 3, "minutes": 240, "service_users": 2, "workers": 2 }),
            json!({ "ward_code": "OAK", "activities": 1, "minutes": 20, "service_users": 1, "workers": 1 }),
        ]
    );
    assert_eq!(by_ward["rows"][0]["ward_id"], json!(p.w.ward));

    let by_line_kind = p
        .report(&p.manager, &url("&group_by=service_line,kind"))
        .await;
    assert_eq!(
        rows(&by_line_kind),
        [
            json!({ "service_line": "adult", "kind": "de_escalation", "activities": 1, "minutes": 30, "service_users": 2, "workers": 2 }),
            json!({ "service_line": "adult", "kind": "escorted_leave", "activities": 1, "minutes": 150, "service_users": 1, "workers": 1 }),
            json!({ "service_line": "adult", "kind": "group_session", "activities": 1, "minutes": 60, "service_users": 2, "workers": 1 }),
            json!({ "service_line": "medium_secure", "kind": "de_escalation", "activities": 1, "minutes": 20, "service_users": 1, "workers": 1 }),
        ]
    );

    // A co-worker counts the activity too: w2 took part in #2, #4 and #6.
    let by_worker = p.report(&p.manager, &url("&group_by=worker")).await;
    let mut got: Vec<(String, i64, i64, i64)> = by_worker["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["worker_id"].as_str().unwrap().to_string(),
                r["activities"].as_i64().unwrap(),
                r["minutes"].as_i64().unwrap(),
                r["service_users"].as_i64().unwrap(),
            )
        })
        .collect();
    got.sort();
    let mut want = vec![
        (p.w1.id.to_string(), 2, 180, 2),
        (p.w2.id.to_string(), 3, 110, 3),
    ];
    want.sort();
    assert_eq!(got, want);

    // Weeks start on Monday, local: 1 April 00:30 BST is in the week of 30 March.
    let by_week = p.report(&p.manager, &url("&group_by=week")).await;
    assert_eq!(
        rows(&by_week),
        [
            json!({ "week": "2026-03-30", "activities": 2, "minutes": 50, "service_users": 3, "workers": 2 }),
            json!({ "week": "2026-04-13", "activities": 1, "minutes": 150, "service_users": 1, "workers": 1 }),
            json!({ "week": "2026-04-20", "activities": 1, "minutes": 60, "service_users": 2, "workers": 1 }),
        ]
    );

    // By month over spring: #7 is March, #8 is May.
    let by_month = p
        .report(
            &p.manager,
            "/api/v1/reports/activity-summary?from=2026-03-01&to=2026-06-01&group_by=month",
        )
        .await;
    assert_eq!(
        rows(&by_month),
        [
            json!({ "month": "2026-03", "activities": 2, "minutes": 90, "service_users": 1, "workers": 1 }),
            json!({ "month": "2026-04", "activities": 4, "minutes": 260, "service_users": 3, "workers": 2 }),
            json!({ "month": "2026-05", "activities": 1, "minutes": 30, "service_users": 1, "workers": 1 }),
        ]
    );

    // A team leader's unfiltered report is their ward's.
    let mine = p.report(&p.leader, &url("")).await;
    assert_eq!(
        rows(&mine),
        [json!({ "activities": 3, "minutes": 240, "service_users": 2, "workers": 2 })]
    );
}
