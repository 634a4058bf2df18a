//! `/api/v1/reports/impact/…` and `/api/v1/reports/board`: the people's
//! answers in aggregate, with fewer than 5 people never shown; outcome
//! change per person; the ward's own figures beside peer support.

use actix_web::http::Method;
use chrono::{Duration, Utc};
use serde_json::{json, Value};
use uuid::Uuid;

use super::{manager, submit, this_year, ward_with_people, your_say};
use crate::activities::ts;
use crate::common::TestApp;

fn row<'a>(rows: &'a Value, group: &str, item: &str, answer: i64) -> &'a Value {
    rows["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["group"] == group && r["item"] == item && r["answer"] == answer)
        .unwrap_or_else(|| panic!("no row {group} {item} {answer} in {rows}"))
}

#[actix_web::test]
async fn fewer_than_five_people_are_shown_as_less_than_five_in_json_csv_and_the_board_report() {
    let (w, people) = ward_with_people(4).await;
    // Six people: five say "very good", one "poor"; all felt listened to.
    for (i, p) in people.iter().enumerate() {
        let experience = if i == 5 { 2 } else { 5 };
        submit(&w, &w.worker, &your_say(*p, experience, 2))
            .await
            .assert_status(201);
    }
    let m = manager(&w).await;
    let url = format!("/api/v1/reports/impact/your-say?{}", this_year());
    let rows = w.app.get(&url, &m.token).await.json();
    assert_eq!(row(&rows, "ASH", "experience", 5)["people"], 5);
    assert_eq!(row(&rows, "ASH", "experience", 2)["people"], "<5");
    assert_eq!(row(&rows, "ASH", "experience", 2)["responses"], "<5");
    assert_eq!(row(&rows, "All wards", "listened", 2)["people"], 6);
    assert_eq!(row(&rows, "ASH", "experience", 5)["label"], "Very good");

    let csv = w
        .app
        .send(TestApp::req(
            Method::GET,
            &format!("{url}&format=csv"),
            Some(&m.token),
        ))
        .await;
    let text = csv.text();
    assert!(
        text.starts_with("group,item,question,answer,label,responses,people\n"),
        "{text}"
    );
    assert!(
        text.lines()
            .any(|l| l.starts_with("ASH,experience,") && l.ends_with(",Poor,<5,<5")),
        "{text}"
    );
    assert!(
        !text.lines().any(|l| l.ends_with(",1,1")),
        "no count of one person anywhere: {text}"
    );

    let today = Utc::now().date_naive();
    let board = w
        .app
        .get(&format!("/api/v1/reports/board?quarter={today}"), &m.token)
        .await
        .json();
    let all = &board["sections"][0];
    assert_eq!(all["group"], "All wards");
    let fig = |key: &str| {
        all["figures"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["key"] == key)
            .unwrap()
            .clone()
    };
    assert_eq!(fig("your_say_people")["value"], 6.0);
    // 5 of 6 scored "good or very good".
    assert_eq!(fig("your_say_experience")["value"], 83.3);
    assert_eq!(fig("your_say_listened")["value"], 100.0);
    // The quarter before had nobody: shown as 0, with a trend.
    assert_eq!(fig("your_say_people")["previous"], 0.0);
    assert_eq!(fig("your_say_people")["trend"], "up");
}

#[actix_web::test]
async fn a_small_group_is_suppressed_in_the_board_report() {
    let (w, people) = ward_with_people(0).await;
    for p in &people {
        submit(&w, &w.worker, &your_say(*p, 5, 2))
            .await
            .assert_status(201);
    }
    w.record(&w.body("one_to_one")).await;
    let m = manager(&w).await;
    let today = Utc::now().date_naive();
    let board = w
        .app
        .get(&format!("/api/v1/reports/board?quarter={today}"), &m.token)
        .await
        .json();
    let all = &board["sections"][0];
    let fig = |key: &str| {
        all["figures"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["key"] == key)
            .unwrap()
            .clone()
    };
    assert_eq!(fig("your_say_people")["suppressed"], true);
    assert_eq!(fig("your_say_people")["value"], Value::Null);
    assert_eq!(fig("people_supported")["suppressed"], true);
    // A share of fewer than five people is not shown at all.
    assert_eq!(fig("your_say_experience")["value"], Value::Null);
    assert_eq!(
        fig("contacts")["value"],
        1.0,
        "counts of records are not people"
    );
}

#[actix_web::test]
async fn outcome_change_counts_people_improved_and_reliably_so() {
    let (w, people) = ward_with_people(4).await;
    let gbo = |p: Uuid, ago_days: i64, rating: i64| {
        json!({
            "id": Uuid::new_v4(), "measure": "gbo", "service_user_id": p,
            "completed_at": ts(Utc::now() - Duration::days(ago_days)),
            "answers": { "goals": [{ "goal": 1, "rating": rating }] },
        })
    };
    // Five improve by 3 (reliable: 2.45), one gets worse by 1.
    for (i, p) in people.iter().enumerate() {
        let (first, latest) = if i == 5 { (5, 4) } else { (2, 5) };
        submit(&w, &w.worker, &gbo(*p, 20, first))
            .await
            .assert_status(201);
        submit(&w, &w.worker, &gbo(*p, 1, latest))
            .await
            .assert_status(201);
        // Feedback after contacts is not an outcome over a stay, however
        // it moves.
        for experience in [1, 5] {
            submit(&w, &w.worker, &your_say(*p, experience, 2))
                .await
                .assert_status(201);
        }
    }
    let m = manager(&w).await;
    let res = w
        .app
        .get(
            &format!("/api/v1/reports/impact/outcomes?{}", this_year()),
            &m.token,
        )
        .await
        .json();
    let all = res["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["group"] == "All wards")
        .unwrap();
    assert!(
        res["rows"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["measure"] == "gbo"),
        "{res}"
    );
    assert_eq!(all["measure"], "gbo");
    assert_eq!(all["people"], 6);
    assert_eq!(all["improved"], 5);
    assert_eq!(all["reliably_improved"], 5);
    assert_eq!(all["worse"], "<5");
    assert_eq!(all["unchanged"], 0);
}

#[actix_web::test]
async fn de_escalations_and_leave_enabled_sit_beside_the_wards_figures() {
    let (w, _) = ward_with_people(0).await;
    w.record(&w.body("de_escalation")).await;
    let mut leave = w.body("escorted_leave");
    leave["details"]["would_have_been_cancelled"] = json!(true);
    w.record(&leave).await;
    w.record(&w.body("escorted_leave")).await;
    let m = manager(&w).await;
    let month = Utc::now().format("%Y-%m").to_string();
    let csv = format!(
        "ward_code,month,restraint_incidents,occupied_bed_days,discharges\nASH,{month},2,600,4\n"
    );
    w.app
        .send(
            TestApp::req(Method::PUT, "/api/v1/ward-figures", Some(&m.token))
                .insert_header(("content-type", "text/csv"))
                .set_payload(csv),
        )
        .await
        .assert_status(200);
    let res = w
        .app
        .get(
            &format!("/api/v1/reports/impact/ward-context?{}", this_year()),
            &m.token,
        )
        .await
        .json();
    let ash = res["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["group"] == "ASH" && r["month"] == month.as_str())
        .unwrap();
    assert_eq!(ash["de_escalations"], 1);
    assert_eq!(ash["restraint_avoided"], 1);
    assert_eq!(ash["restraint_incidents"], 2);
    assert_eq!(ash["escorted_leave"], 2);
    assert_eq!(ash["leave_enabled"], 1);
    assert_eq!(ash["peer_support_hours"], 3.0);
    assert_eq!(ash["hours_per_occupied_bed_day"], 0.005);
    let all = res["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["group"] == "All wards")
        .unwrap();
    assert_eq!(all["leave_enabled"], 1);
}
