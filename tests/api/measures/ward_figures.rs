//! `/api/v1/ward-figures`: loads of the trust's own ward figures, as JSON
//! or CSV, idempotent by ward and month, all or nothing.

use actix_web::http::Method;
use actix_web::test::TestRequest;
use chrono::{Datelike, Utc};
use serde_json::json;

use super::manager;
use crate::activities::Ward;
use crate::common::{Resp, TestApp, TestUser};
use peerlog::auth::Role;

async fn put_csv(app: &TestApp, user: &TestUser, csv: &str) -> Resp {
    let req: TestRequest = TestApp::req(Method::PUT, "/api/v1/ward-figures", Some(&user.token))
        .insert_header(("content-type", "text/csv"))
        .set_payload(csv.to_string());
    app.send(req).await
}

const HEADER: &str = "ward_code,month,restraint_incidents,occupied_bed_days,discharges\n";

#[actix_web::test]
async fn a_csv_load_is_idempotent_by_ward_and_month() {
    let w = Ward::new().await;
    let m = manager(&w).await;
    let csv = format!("{HEADER}ASH,2026-09,4,540,3\nASH,2026-10,2,551,5\nOAK,2026-10,0,300,1\n");
    let res = put_csv(&w.app, &m, &csv).await;
    res.assert_status(200);
    assert_eq!(res.json()["loaded"], 3);
    put_csv(&w.app, &m, &csv).await.assert_status(200);
    assert_eq!(
        w.count("ward_figures").await,
        3,
        "the same load twice is the same rows"
    );
    // A corrected month replaces the old figures.
    put_csv(&w.app, &m, &format!("{HEADER}ASH,2026-10,3,551,5\n"))
        .await
        .assert_status(200);
    let rows = w
        .app
        .get(
            "/api/v1/ward-figures?from=2026-09-01&to=2026-11-01",
            &m.token,
        )
        .await
        .json();
    let ash_oct = rows
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["month"] == "2026-10-01" && r["ward_id"] == json!(w.ward))
        .unwrap();
    assert_eq!(ash_oct["restraint_incidents"], 3);
    assert_eq!(w.count("ward_figures").await, 3);
    // JSON loads the same way, and an integration may load.
    let integration = w.app.user(Role::Integration, &[]).await;
    let res = w
        .app
        .put("/api/v1/ward-figures", &integration.token, &json!({ "rows": [
            { "ward_code": "OAK", "month": "2026-09", "restraint_incidents": 1, "occupied_bed_days": 290, "discharges": 2 }
        ]}))
        .await;
    res.assert_status(200);
    assert_eq!(w.count("ward_figures").await, 4);
    // Workers may not.
    put_csv(&w.app, &w.worker, &csv).await.assert_status(403);
}

#[actix_web::test]
async fn bad_rows_are_named_by_line_and_nothing_is_half_loaded() {
    let w = Ward::new().await;
    let m = manager(&w).await;
    let now = Utc::now();
    let next = if now.month() == 12 {
        format!("{}-01", now.year() + 1)
    } else {
        format!("{}-{:02}", now.year(), now.month() + 1)
    };
    let csv = format!(
        "{HEADER}ASH,2026-09,4,540,3\nELM,2026-09,1,1,1\nASH,2026-9x,1,1,1\nASH,{next},1,1,1\nOAK,2026-09,two,1,1\nOAK,2026-08,-1,1,1\nASH,2026-09,1,1,1\nASH,2026-07,1,1\n"
    );
    let res = put_csv(&w.app, &m, &csv).await;
    res.assert_problem(422, "validation_failed");
    assert_eq!(
        res.error_fields(),
        [
            "lines[6].restraint_incidents",
            "lines[9]",
            "lines[3].ward_code",
            "lines[4].month",
            "lines[5].month",
            "lines[7].restraint_incidents",
            "lines[8].month",
        ]
    );
    assert_eq!(
        w.count("ward_figures").await,
        0,
        "nothing of a bad load is written"
    );
    let res = put_csv(&w.app, &m, "ward,month\nASH,2026-09\n").await;
    assert_eq!(res.error_fields(), ["lines[1]"]);
    let res = w
        .app
        .put("/api/v1/ward-figures", &m.token, &json!({ "rows": [
            { "ward_code": "ASH", "month": "2026-09", "restraint_incidents": 1, "occupied_bed_days": 200000, "discharges": 0 }
        ]}))
        .await;
    assert_eq!(res.error_fields(), ["rows[0].occupied_bed_days"]);
    let res = w
        .app
        .send(
            TestApp::req(Method::PUT, "/api/v1/ward-figures", Some(&m.token))
                .insert_header(("content-type", "text/plain"))
                .set_payload("x"),
        )
        .await;
    res.assert_status(415);
}
