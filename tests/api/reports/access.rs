//! Who may pull reports, for which wards; bad periods; CSV.

use actix_web::http::Method;
use peerlog::auth::Role;

use super::Pilot;
use crate::common::TestApp;

const REPORTS: [&str; 4] = [
    "/api/v1/reports/activity-summary",
    "/api/v1/reports/escorted-leave",
    "/api/v1/reports/de-escalation",
    "/api/v1/reports/groups",
];

#[actix_web::test]
async fn only_managers_and_team_leaders_report_and_leaders_only_on_their_wards() {
    let p = Pilot::new().await;
    let app = &p.w.app;
    let overview = |ward| format!("/api/v1/reports/ward/{ward}/overview?month=2026-04");
    for role in [
        Role::PeerSupportWorker,
        Role::WardStaff,
        Role::Admin,
        Role::Integration,
        Role::BuddyCoordinator,
    ] {
        let user = app.user(role, &[p.w.ward]).await;
        for path in REPORTS {
            app.get(
                &format!("{path}?from=2026-04-01&to=2026-05-01"),
                &user.token,
            )
            .await
            .assert_problem(403, "forbidden");
        }
        app.get(&overview(p.w.ward), &user.token)
            .await
            .assert_problem(403, "forbidden");
    }
    for path in REPORTS {
        let other = format!(
            "{path}?from=2026-04-01&to=2026-05-01&ward_id={}",
            p.w.other_ward
        );
        app.get(&other, &p.leader.token)
            .await
            .assert_problem(404, "not_found");
        app.get(&other, &p.manager.token).await.assert_status(200);
    }
    app.get(&overview(p.w.other_ward), &p.leader.token)
        .await
        .assert_problem(404, "not_found");
    app.get(&overview(uuid::Uuid::new_v4()), &p.manager.token)
        .await
        .assert_problem(404, "not_found");
}

#[actix_web::test]
async fn periods_must_run_forwards_for_at_most_a_year_and_groupings_must_be_known() {
    let p = Pilot::new().await;
    let app = &p.w.app;
    for (query, at_fault) in [
        ("from=2026-04-01&to=2026-04-01", "to"),
        ("from=2025-01-01&to=2026-04-01", "to"),
        // Ten years are for trends by month, not by week.
        ("from=2023-01-01&to=2026-01-01&group_by=month,week", "to"),
        ("from=2015-01-01&to=2026-01-02&group_by=month", "to"),
        (
            "from=2026-04-01&to=2026-05-01&group_by=ward,fortnight",
            "group_by",
        ),
        (
            "from=2026-04-01&to=2026-05-01&group_by=ward,ward",
            "group_by",
        ),
    ] {
        let res = app
            .get(
                &format!("/api/v1/reports/activity-summary?{query}"),
                &p.manager.token,
            )
            .await;
        res.assert_problem(422, "validation_failed");
        assert_eq!(res.error_fields(), [at_fault], "{query}");
    }
    app.get("/api/v1/reports/groups?from=2026-04-01", &p.manager.token)
        .await
        .assert_problem(400, "invalid_query");
    let res = app
        .get(
            &format!("/api/v1/reports/ward/{}/overview?month=2026-13", p.w.ward),
            &p.manager.token,
        )
        .await;
    res.assert_problem(422, "validation_failed");
    assert_eq!(res.error_fields(), ["month"]);
    // Trends since the pilot began: three years by month, from the rollups,
    // counting the same activities as the year-long reports do.
    let trend = app
        .get(
            "/api/v1/reports/activity-summary?from=2024-01-01&to=2027-01-01&group_by=month",
            &p.manager.token,
        )
        .await;
    trend.assert_status(200);
    let by_month: i64 = super::rows(&trend.json())
        .iter()
        .map(|r| r["activities"].as_i64().unwrap())
        .sum();
    let year = app
        .get(
            "/api/v1/reports/activity-summary?from=2026-01-01&to=2027-01-01",
            &p.manager.token,
        )
        .await
        .json();
    let in_year: i64 = super::rows(&year)
        .iter()
        .map(|r| r["activities"].as_i64().unwrap())
        .sum();
    assert!(in_year > 0);
    assert_eq!(by_month, in_year, "the pilot's activities all fall in 2026");
    // Other reports still cover at most a year.
    app.get(
        "/api/v1/reports/escorted-leave?from=2024-01-01&to=2027-01-01",
        &p.manager.token,
    )
    .await
    .assert_problem(422, "validation_failed");
    // A leap year's full year is allowed.
    app.get(
        "/api/v1/reports/escorted-leave?from=2028-01-01&to=2029-01-01",
        &p.manager.token,
    )
    .await
    .assert_status(200);
}

#[actix_web::test]
async fn csv_has_a_header_row_quotes_awkward_names_and_a_file_name() {
    let p = Pilot::new().await;
    {
        use diesel_async::RunQueryDsl;
        diesel::sql_query(r#"UPDATE wards SET name = 'Ash, the "Quiet" Ward' WHERE code = 'ASH'"#)
            .execute(&mut p.w.app.conn().await)
            .await
            .unwrap();
    }
    let res = p
        .w
        .app
        .send(
            TestApp::req(
                Method::GET,
                "/api/v1/reports/activity-summary?from=2026-04-01&to=2026-05-01&group_by=ward,kind",
                Some(&p.manager.token),
            )
            .insert_header(("accept", "text/csv")),
        )
        .await;
    res.assert_status(200);
    assert!(res.header("content-type").unwrap().starts_with("text/csv"));
    assert_eq!(
        res.header("content-disposition").unwrap(),
        "attachment; filename=\"activity-summary-2026-04-01-to-2026-05-01.csv\""
    );
    let text = res.text();
    assert!(text.contains(r#""Ash, the ""Quiet"" Ward""#), "{text}");
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        [
            "ward_id",
            "ward_code",
            "ward_name",
            "kind",
            "activities",
            "minutes",
            "service_users",
            "workers"
        ]
    );
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), 4);
    assert_eq!(&records[0][2], r#"Ash, the "Quiet" Ward"#);
    assert_eq!(&records[0][3], "de_escalation");
    assert_eq!(&records[0][5], "30");

    for (path, header) in [
        (
            "/api/v1/reports/escorted-leave",
            "ward_id,ward_code,ward_name,month,episodes,leave_hours",
        ),
        (
            "/api/v1/reports/de-escalation",
            "ward_id,ward_code,ward_name,month,de_escalations",
        ),
        (
            "/api/v1/reports/groups",
            "group_type,ward_id,ward_code,ward_name,sessions",
        ),
    ] {
        let res =
            p.w.app
                .get(
                    &format!("{path}?from=2026-04-01&to=2026-05-01&format=csv"),
                    &p.manager.token,
                )
                .await;
        res.assert_status(200);
        assert!(res.text().starts_with(header), "{path}: {}", res.text());
        assert_eq!(
            csv::Reader::from_reader(res.text().as_bytes())
                .records()
                .count(),
            if path.ends_with("de-escalation") {
                2
            } else {
                1
            }
        );
    }
    let res =
        p.w.app
            .get(
                &format!(
                    "/api/v1/reports/ward/{}/overview?month=2026-04&format=csv",
                    p.w.ward
                ),
                &p.leader.token,
            )
            .await;
    res.assert_status(200);
    assert!(res
        .text()
        .starts_with("section,item,measure,value\ntotals,,activities,3\n"));
    assert!(res.text().contains("entered_in_error,,records,1"));
    assert!(res
        .header("content-disposition")
        .unwrap()
        .contains("ward-ASH-overview-2026-04.csv"));
}
