//! `/api/v1/measures`: the shipped definitions, and a trust's own loaded,
//! checked whole and versioned.

use serde_json::{json, Value};

use crate::activities::Ward;
use peerlog::auth::Role;

fn licensed() -> Value {
    // The shape of a licensed measure a trust might hold; the words here
    // are placeholders, never a licensed measure's text.
    json!({
        "code": "trust_wellbeing",
        "version": 1,
        "title": "A trust's licensed wellbeing measure",
        "licence": "Licensed to the trust (placeholder text)",
        "source": "The trust's licence",
        "respondents": ["service_user"],
        "schedule": { "at_first_contact": true, "every_weeks": 6, "before_discharge": true },
        "scales": { "five": { "min": 1, "max": 5, "min_label": "None of the time", "max_label": "All of the time" } },
        "items": [
            { "id": "q1", "text": "Item one", "scale": "five" },
            { "id": "q2", "text": "Item two", "scale": "five", "reverse": true }
        ],
        "scores": [{ "id": "total", "label": "Total", "items": ["q1", "q2"], "method": "sum",
                     "higher_is_better": true, "reliable_change": 3 }]
    })
}

#[actix_web::test]
async fn the_freely_usable_measures_ship_and_no_licensed_one_does() {
    let w = Ward::new().await;
    let res = w.app.get("/api/v1/measures", &w.worker.token).await;
    res.assert_status(200);
    let list = res.json();
    let codes: Vec<_> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["definition"]["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["fft", "gbo", "ons4", "your_say"]);
    assert!(list
        .as_array()
        .unwrap()
        .iter()
        .all(|m| m["shipped"] == true));
    let ons4 = w
        .app
        .get("/api/v1/measures/ons4", &w.worker.token)
        .await
        .json();
    assert_eq!(
        ons4["definition"]["licence"],
        "Open Government Licence v3.0"
    );
    assert_eq!(ons4["definition"]["items"][3]["reverse"], true);
}

#[actix_web::test]
async fn an_admin_loads_a_licensed_measure_and_a_version_is_never_changed() {
    let w = Ward::new().await;
    let admin = w.app.user(Role::Admin, &[]).await;
    let res = w
        .app
        .post("/api/v1/measures", &admin.token, &licensed())
        .await;
    res.assert_status(201);
    assert_eq!(
        res.header("location").unwrap(),
        "/api/v1/measures/trust_wellbeing?version=1"
    );
    // Loading the same code and version again changes nothing.
    let mut changed = licensed();
    changed["title"] = json!("Another title");
    w.app
        .post("/api/v1/measures", &admin.token, &changed)
        .await
        .assert_problem(409, "measure_version_exists");
    changed["version"] = json!(2);
    w.app
        .post("/api/v1/measures", &admin.token, &changed)
        .await
        .assert_status(201);
    let latest = w
        .app
        .get("/api/v1/measures/trust_wellbeing", &w.worker.token)
        .await
        .json();
    assert_eq!(latest["definition"]["version"], 2);
    let first = w
        .app
        .get(
            "/api/v1/measures/trust_wellbeing?version=1",
            &w.worker.token,
        )
        .await
        .json();
    assert_eq!(
        first["definition"]["title"],
        "A trust's licensed wellbeing measure"
    );
    assert_eq!(w.app.audit_count("load", "measure_definition").await, 2);
    // Workers cannot load definitions.
    w.app
        .post("/api/v1/measures", &w.worker.token, &licensed())
        .await
        .assert_status(403);
}

#[actix_web::test]
async fn a_bad_definition_is_refused_with_every_fault_named() {
    let w = Ward::new().await;
    let admin = w.app.user(Role::Admin, &[]).await;
    let mut bad = licensed();
    bad["items"][1]["scale"] = json!("seven");
    bad["scores"][0]["items"] = json!(["q1", "q9"]);
    bad["scales"]["five"]["max"] = json!(1);
    let res = w.app.post("/api/v1/measures", &admin.token, &bad).await;
    res.assert_problem(422, "validation_failed");
    assert_eq!(
        res.error_fields(),
        ["scales.five.max", "items[1].scale", "scores[0].items[1]"]
    );
    let mut wrong = licensed();
    wrong["items"][0]["colour"] = json!("red");
    let res = w.app.post("/api/v1/measures", &admin.token, &wrong).await;
    res.assert_problem(422, "validation_failed");
    assert_eq!(res.error_fields(), ["items[0].colour"]);
    let list = w.app.get("/api/v1/measures", &w.worker.token).await.json();
    assert_eq!(list.as_array().unwrap().len(), 4, "nothing was loaded");
}
