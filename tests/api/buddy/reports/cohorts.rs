//! `/api/v1/buddy/reports/cohorts`: the evaluation report, on data whose
//! numbers are worked out by hand.

use actix_web::http::Method;
use peerlog::auth::Role;
use serde_json::{json, Value};

use crate::buddy::*;
use crate::common::{TestApp, TestUser};

const OT_COHORT: &str = "Occupational therapy, \"Spring\" 2027";

/// Builds the known scheme:
/// - cohort "Empty 2027" (medicine): no students yet;
/// - cohort "Nursing 2027": one student with a proposed pairing (6 planned);
/// - cohort OT_COHORT: three OT students and one social-work student:
///   P1 (2 planned) completed with 2 held; feedback student 4/5, buddy 5/3;
///   P2 (3 planned) withdrawn with its 1 planned meeting cancelled; student feedback 2/3;
///   P3 (4 planned) active: 1 held, 1 did not attend, 1 still planned;
///   the social-work student has no pairing.
async fn known_scheme(app: &TestApp, c: &TestUser) -> (String, String) {
    let t = &c.token;
    let ot = cohort(app, t, OT_COHORT, "occupational_therapy").await;
    let nursing = cohort(app, t, "Nursing 2027", "mental_health_nursing").await;
    cohort(app, t, "Empty 2027", "medicine").await;
    let b = buddy(app, t, true, 5).await;
    let s1 = student(app, t, &ot, "Ann").await;
    let s2 = student(app, t, &ot, "Ben").await;
    let s3 = student(app, t, &ot, "Cat").await;
    app.post(
        "/api/v1/buddy/students",
        t,
        &json!({ "cohort_id": ot, "full_name": "Dan", "discipline": "social_work", "email": "dan@uni.example.ac.uk" }),
    )
    .await
    .assert_status(201);
    let s5 = student(app, t, &nursing, "Eve").await;

    let p1 = active_pairing(app, t, &s1, &b, 2).await;
    for (days, minutes) in [(20, 60), (10, 45)] {
        let m = meeting(app, t, &p1, days).await;
        outcome(app, t, &m, "held", Some(minutes))
            .await
            .assert_status(200);
    }
    feedback(
        app,
        t,
        &p1,
        json!({ "respondent": "student", "overall_rating": 4, "support_rating": 5 }),
    )
    .await
    .assert_status(201);
    feedback(
        app,
        t,
        &p1,
        json!({ "respondent": "buddy", "overall_rating": 5, "support_rating": 3 }),
    )
    .await
    .assert_status(201);

    let p2 = active_pairing(app, t, &s2, &b, 3).await;
    meeting(app, t, &p2, -5).await;
    set_status(app, t, &p2, "withdrawn", Some("Moved placement"))
        .await
        .assert_status(200);
    feedback(
        app,
        t,
        &p2,
        json!({ "respondent": "student", "overall_rating": 2, "support_rating": 3 }),
    )
    .await
    .assert_status(201);

    let p3 = active_pairing(app, t, &s3, &b, 4).await;
    let held = meeting(app, t, &p3, 9).await;
    outcome(app, t, &held, "held", Some(30))
        .await
        .assert_status(200);
    let dna = meeting(app, t, &p3, 4).await;
    outcome(app, t, &dna, "did_not_attend", None)
        .await
        .assert_status(200);
    meeting(app, t, &p3, -4).await;

    propose(app, t, &s5, &b, 6).await.assert_status(201);
    (ot, nursing)
}

#[actix_web::test]
async fn the_report_counts_outcomes_meetings_and_ratings_by_cohort_and_discipline() {
    let app = TestApp::new().await;
    let c = app.user(Role::BuddyCoordinator, &[]).await;
    let (ot, nursing) = known_scheme(&app, &c).await;

    let resp = app.get("/api/v1/buddy/reports/cohorts", &c.token).await;
    resp.assert_status(200);
    let rows = resp.json()["rows"].clone();
    let expected = json!([
        { "cohort_name": "Empty 2027", "discipline": "medicine",
          "students": 0, "pairings": 0, "proposed": 0, "active": 0, "completed": 0, "withdrawn": 0,
          "completion_rate": null, "series_target": 0, "meetings_planned": 0, "meetings_held": 0,
          "meetings_cancelled": 0, "meetings_did_not_attend": 0,
          "student_overall_rating": null, "student_support_rating": null,
          "buddy_overall_rating": null, "buddy_support_rating": null },
        { "cohort_id": nursing, "cohort_name": "Nursing 2027", "discipline": "mental_health_nursing",
          "students": 1, "pairings": 1, "proposed": 1, "active": 0, "completed": 0, "withdrawn": 0,
          "completion_rate": null, "series_target": 6, "meetings_planned": 0, "meetings_held": 0,
          "meetings_cancelled": 0, "meetings_did_not_attend": 0,
          "student_overall_rating": null, "student_support_rating": null,
          "buddy_overall_rating": null, "buddy_support_rating": null },
        { "cohort_id": ot, "cohort_name": OT_COHORT, "discipline": "occupational_therapy",
          "students": 3, "pairings": 3, "proposed": 0, "active": 1, "completed": 1, "withdrawn": 1,
          "completion_rate": 0.5, "series_target": 9, "meetings_planned": 6, "meetings_held": 3,
          "meetings_cancelled": 1, "meetings_did_not_attend": 1,
          "student_overall_rating": 3.0, "student_support_rating": 4.0,
          "buddy_overall_rating": 5.0, "buddy_support_rating": 3.0 },
        { "cohort_id": ot, "cohort_name": OT_COHORT, "discipline": "social_work",
          "students": 1, "pairings": 0, "proposed": 0, "active": 0, "completed": 0, "withdrawn": 0,
          "completion_rate": null, "series_target": 0, "meetings_planned": 0, "meetings_held": 0,
          "meetings_cancelled": 0, "meetings_did_not_attend": 0,
          "student_overall_rating": null, "student_support_rating": null,
          "buddy_overall_rating": null, "buddy_support_rating": null },
    ]);
    let mut rows = rows;
    rows[0].as_object_mut().unwrap().remove("cohort_id");
    assert_eq!(rows, expected);

    // One cohort only.
    let one = app
        .get(
            &format!("/api/v1/buddy/reports/cohorts?cohort_id={nursing}"),
            &c.token,
        )
        .await
        .json();
    assert_eq!(one["rows"], json!([expected[1].clone()]));
}

fn parse_csv(text: &str) -> Vec<Vec<String>> {
    csv::Reader::from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

#[actix_web::test]
async fn the_report_comes_as_well_formed_csv_on_request() {
    let app = TestApp::new().await;
    let c = app.user(Role::BuddyCoordinator, &[]).await;
    let (ot, _) = known_scheme(&app, &c).await;
    let json_rows: Value = app
        .get("/api/v1/buddy/reports/cohorts", &c.token)
        .await
        .json()["rows"]
        .clone();

    let by_param = app
        .get("/api/v1/buddy/reports/cohorts?format=csv", &c.token)
        .await;
    let by_accept = app
        .send(
            TestApp::req(Method::GET, "/api/v1/buddy/reports/cohorts", Some(&c.token))
                .insert_header(("accept", "text/csv")),
        )
        .await;
    for resp in [&by_param, &by_accept] {
        resp.assert_status(200);
        assert!(resp.header("content-type").unwrap().starts_with("text/csv"));
        let disposition = resp.header("content-disposition").unwrap();
        assert!(
            disposition.starts_with("attachment;") && disposition.contains("filename="),
            "{disposition}"
        );
    }
    let text = by_param.text();
    assert_eq!(text, by_accept.text());
    let header = text.lines().next().unwrap();
    assert!(
        header.starts_with("cohort_id,cohort_name,discipline,students,pairings,"),
        "{header}"
    );
    // The name with a comma and quotes is quoted, its quotes doubled.
    assert!(
        text.contains("\"Occupational therapy, \"\"Spring\"\" 2027\""),
        "{text}"
    );

    let rows = parse_csv(&text);
    assert_eq!(rows.len(), json_rows.as_array().unwrap().len());
    let ot_row = rows
        .iter()
        .find(|r| r[0] == ot && r[2] == "occupational_therapy")
        .unwrap();
    assert_eq!(ot_row[1], OT_COHORT);
    assert_eq!(
        &ot_row[3..15],
        ["3", "3", "0", "1", "1", "1", "0.5", "9", "6", "3", "1", "1"]
    );
    assert_eq!(&ot_row[15..], ["3", "4", "5", "3"]);
    let sw_row = rows.iter().find(|r| r[2] == "social_work").unwrap();
    assert_eq!(sw_row[9], "", "no completion rate without ended pairings");

    // `format=json` wins over Accept.
    let forced = app
        .send(
            TestApp::req(
                Method::GET,
                "/api/v1/buddy/reports/cohorts?format=json",
                Some(&c.token),
            )
            .insert_header(("accept", "text/csv")),
        )
        .await;
    assert_eq!(forced.json()["rows"], json_rows);
}
