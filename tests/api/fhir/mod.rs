//! `/fhir/R4`: the FHIR read API. Ward scoping as the REST API's (read,
//! search, `_include`, history, `$everything`), OperationOutcome errors,
//! the audit of every read of a person's record, versions and paging.

mod answers;

use peerlog::auth::Role;
use serde_json::{json, Value};

use crate::activities::Ward;
use crate::common::{Resp, TestApp};

/// An activity of a kind on the other ward, recorded by a worker there,
/// naming the person on that ward.
async fn record_on_other_ward(w: &Ward) -> Value {
    let there = w.app.user(Role::PeerSupportWorker, &[w.other_ward]).await;
    let mut body = w.body("one_to_one");
    body["ward_id"] = json!(w.other_ward);
    body["service_user_ids"] = json!([w.stranger]);
    let res = w.app.post("/api/v1/activities", &there.token, &body).await;
    res.assert_status(201);
    res.json()
}

/// Asserts an OperationOutcome of this status and issue code.
fn outcome(res: &Resp, status: u16, code: &str) -> Value {
    res.assert_status(status);
    assert_eq!(
        res.header("content-type").as_deref(),
        Some("application/fhir+json")
    );
    let body = res.json();
    assert_eq!(body["resourceType"], "OperationOutcome", "{body}");
    assert_eq!(body["issue"][0]["code"], code, "{body}");
    body
}

fn ids(bundle: &Value, resource_type: &str) -> Vec<String> {
    bundle["entry"]
        .as_array()
        .map(|es| {
            es.iter()
                .filter(|e| e["resource"]["resourceType"] == resource_type)
                .map(|e| e["resource"]["id"].as_str().unwrap().to_string())
                .collect()
        })
        .unwrap_or_default()
}

#[actix_web::test]
async fn a_worker_on_one_ward_gets_nothing_of_another_by_read_search_include_or_history() {
    let w = Ward::new().await;
    let mine = w.record(&w.body("one_to_one")).await;
    let theirs = record_on_other_ward(&w).await;
    let (app, t) = (&w.app, &w.worker.token);
    let their_id = theirs["id"].as_str().unwrap();

    for path in [
        format!("/fhir/R4/Encounter/{their_id}"),
        format!("/fhir/R4/Procedure/{their_id}"),
        format!("/fhir/R4/Encounter/{their_id}/_history"),
        format!("/fhir/R4/Encounter/{their_id}/_history/1"),
        format!("/fhir/R4/Patient/{}", w.stranger),
        format!("/fhir/R4/Location/{}", w.other_ward),
    ] {
        outcome(&app.get(&path, t).await, 404, "not-found");
    }
    let all = app.get("/fhir/R4/Encounter?_count=200", t).await;
    all.assert_status(200);
    assert_eq!(
        ids(&all.json(), "Encounter"),
        vec![mine["id"].as_str().unwrap()]
    );
    let there = app
        .get(&format!("/fhir/R4/Encounter?location={}", w.other_ward), t)
        .await;
    assert!(ids(&there.json(), "Encounter").is_empty());
    let by_id = app
        .get(&format!("/fhir/R4/Encounter?_id={their_id}"), t)
        .await;
    assert!(ids(&by_id.json(), "Encounter").is_empty());
    let patients = app.get("/fhir/R4/Patient", t).await.json();
    assert!(!ids(&patients, "Patient").contains(&w.stranger.to_string()));

    // The person in my record moves to the other ward: the Encounter stays
    // mine (it is on my ward), but their Patient is no longer included.
    let integration = app.user(Role::Integration, &[]).await;
    app.put(
        "/api/v1/service-users/RX-1",
        &integration.token,
        &json!({ "display_label": "A.B.", "ward_id": w.other_ward, "admitted_on": "2020-01-01" }),
    )
    .await
    .assert_status(200);
    let with = app
        .get(
            "/fhir/R4/Encounter?_include=Encounter:patient&_include=Encounter:location",
            t,
        )
        .await
        .json();
    assert_eq!(ids(&with, "Encounter").len(), 1);
    assert!(ids(&with, "Patient").is_empty(), "{with}");
    assert_eq!(ids(&with, "Location"), vec![w.ward.to_string()]);

    // A manager sees both wards.
    let manager = app.user(Role::Manager, &[]).await;
    let both = app.get("/fhir/R4/Encounter", &manager.token).await.json();
    assert_eq!(ids(&both, "Encounter").len(), 2);
}

#[actix_web::test]
async fn bad_requests_get_operation_outcomes_with_the_right_status() {
    let w = Ward::new().await;
    let (app, t) = (&w.app, &w.worker.token);
    let o = outcome(
        &app.get("/fhir/R4/Encounter?colour=red", t).await,
        400,
        "invalid",
    );
    assert_eq!(o["issue"][0]["expression"][0], "colour");
    outcome(
        &app.get("/fhir/R4/Encounter?date=2026-13-45", t).await,
        400,
        "invalid",
    );
    outcome(
        &app.get("/fhir/R4/Encounter?_lastUpdated=yesterday", t)
            .await,
        400,
        "invalid",
    );
    for n in ["0", "201", "many"] {
        let o = outcome(
            &app.get(&format!("/fhir/R4/Encounter?_count={n}"), t).await,
            400,
            "invalid",
        );
        assert_eq!(o["issue"][0]["expression"][0], "_count");
    }
    outcome(
        &app.get("/fhir/R4/Encounter?status=bogus", t).await,
        400,
        "invalid",
    );
    outcome(
        &app.get("/fhir/R4/Encounter?_cursor=forged", t).await,
        400,
        "invalid",
    );
    outcome(&app.get("/fhir/R4/Widget", t).await, 404, "not-supported");
    outcome(&app.get("/fhir/R4/Widget/1", t).await, 404, "not-supported");
    outcome(
        &app.get("/fhir/R4/Encounter/not-a-uuid", t).await,
        404,
        "not-found",
    );
    outcome(
        &app.get(&format!("/fhir/R4/Encounter/{}", uuid::Uuid::new_v4()), t)
            .await,
        404,
        "not-found",
    );
    let anon = app
        .send(TestApp::req(
            actix_web::http::Method::GET,
            "/fhir/R4/Encounter",
            None,
        ))
        .await;
    outcome(&anon, 401, "login");
    // Admins see no clinical content; the worker's role is not approved
    // for $everything.
    let admin = app.user(Role::Admin, &[]).await;
    outcome(
        &app.get("/fhir/R4/Encounter", &admin.token).await,
        403,
        "forbidden",
    );
    let path = format!("/fhir/R4/Patient/{}/$everything", w.people[0]);
    outcome(&app.get(&path, t).await, 403, "forbidden");
}

#[actix_web::test]
async fn every_read_of_a_persons_record_is_audited() {
    let w = Ward::new().await;
    let a = w.record(&w.body("one_to_one")).await;
    let (app, t) = (&w.app, &w.worker.token);
    let id = a["id"].as_str().unwrap();
    app.get(&format!("/fhir/R4/Encounter/{id}"), t)
        .await
        .assert_status(200);
    assert_eq!(app.audit_count("fhir_read", "activity").await, 1);
    app.get(&format!("/fhir/R4/Patient/{}", w.people[0]), t)
        .await
        .assert_status(200);
    assert_eq!(app.audit_count("fhir_read", "service_user").await, 1);
    app.get("/fhir/R4/Procedure", t).await.assert_status(200);
    assert_eq!(app.audit_count("fhir_search", "activity").await, 1);
    app.get("/fhir/R4/Encounter?_include=Encounter:patient", t)
        .await
        .assert_status(200);
    assert_eq!(app.audit_count("fhir_include", "service_user").await, 1);
    app.get(&format!("/fhir/R4/Encounter/{id}/_history"), t)
        .await
        .assert_status(200);
    assert_eq!(app.audit_count("fhir_history", "activity").await, 1);
    let integration = app.user(Role::Integration, &[]).await;
    let path = format!("/fhir/R4/Patient/{}/$everything", w.people[0]);
    let all = app.get(&path, &integration.token).await;
    all.assert_status(200);
    assert_eq!(app.audit_count("fhir_everything", "service_user").await, 1);
    let all = all.json();
    assert_eq!(all["type"], "collection");
    assert_eq!(ids(&all, "Patient"), vec![w.people[0].to_string()]);
    assert_eq!(ids(&all, "Encounter"), vec![id.to_string()]);
}

#[actix_web::test]
async fn versions_come_from_the_stored_history_and_pages_follow_next_links() {
    let w = Ward::new().await;
    let a = w.record(&w.body("one_to_one")).await;
    w.amend(&a, json!({ "note": "Amended note.", "reason": "typo" }))
        .await;
    w.record(&w.body("wellbeing")).await;
    let voided = w.record(&w.body("crisis_support")).await;
    w.void(&voided).await;
    let (app, t) = (&w.app, &w.worker.token);
    let id = a["id"].as_str().unwrap();

    let now = app.get(&format!("/fhir/R4/Procedure/{id}"), t).await;
    assert_eq!(now.header("etag").as_deref(), Some("W/\"2\""));
    assert_eq!(now.json()["note"][0]["text"], "Amended note.");
    let v1 = app
        .get(&format!("/fhir/R4/Procedure/{id}/_history/1"), t)
        .await
        .json();
    assert_eq!(v1["meta"]["versionId"], "1");
    assert_eq!(v1["note"][0]["text"], "Went well.");
    outcome(
        &app.get(&format!("/fhir/R4/Procedure/{id}/_history/9"), t)
            .await,
        404,
        "not-found",
    );
    let h = app
        .get(&format!("/fhir/R4/Encounter/{id}/_history"), t)
        .await
        .json();
    assert_eq!(h["type"], "history");
    assert_eq!(h["total"], 2);
    assert_eq!(h["entry"][0]["resource"]["meta"]["versionId"], "2");

    // Two pages of one, then none left; the voided one only on asking.
    let first = app.get("/fhir/R4/Encounter?_count=1", t).await.json();
    let next = first["link"][1]["url"]
        .as_str()
        .expect("a next link")
        .to_string();
    assert_eq!(first["link"][1]["relation"], "next");
    let path = next.split_once("/fhir/R4").unwrap().1;
    let second = app.get(&format!("/fhir/R4{path}"), t).await.json();
    assert_eq!(ids(&second, "Encounter").len(), 1);
    assert_ne!(ids(&first, "Encounter"), ids(&second, "Encounter"));
    assert!(second["link"]
        .as_array()
        .unwrap()
        .iter()
        .all(|l| l["relation"] != "next"));
    let since = app
        .get("/fhir/R4/Encounter?_lastUpdated=ge2020-01-01", t)
        .await
        .json();
    assert_eq!(ids(&since, "Encounter").len(), 2);
    let future = app
        .get("/fhir/R4/Encounter?_lastUpdated=gt2999-01-01", t)
        .await
        .json();
    assert!(ids(&future, "Encounter").is_empty());
    let person = format!(
        "/fhir/R4/Procedure?patient=Patient/{}&date=ge2020",
        w.people[0]
    );
    assert_eq!(
        ids(&app.get(&person, t).await.json(), "Procedure"),
        vec![id]
    );
    let eie = app
        .get("/fhir/R4/Encounter?status=entered-in-error", t)
        .await
        .json();
    assert_eq!(ids(&eie, "Encounter"), vec![voided["id"].as_str().unwrap()]);
    assert_eq!(eie["entry"][0]["resource"]["status"], "entered-in-error");
}

#[actix_web::test]
async fn wards_carry_an_ods_site_code_checked_in_shape_and_locations_show_it() {
    let w = Ward::new().await;
    let app = &w.app;
    let admin = app.user(Role::Admin, &[]).await;
    let path = format!("/api/v1/wards/{}", w.ward);
    let bad = app
        .patch(&path, &admin.token, &json!({ "ods_site_code": "rx-4e" }))
        .await;
    bad.assert_status(422);
    assert_eq!(bad.error_fields(), vec!["ods_site_code"]);
    let good = app
        .patch(&path, &admin.token, &json!({ "ods_site_code": "RX4E4" }))
        .await;
    good.assert_status(200);
    assert_eq!(good.json()["ods_site_code"], "RX4E4");
    let l = app
        .get(&format!("/fhir/R4/Location/{}", w.ward), &w.worker.token)
        .await
        .json();
    assert_eq!(
        l["identifier"][0]["system"],
        "https://fhir.nhs.uk/Id/ods-site-code"
    );
    assert_eq!(l["identifier"][0]["value"], "RX4E4");
    let created = app
        .post(
            "/api/v1/wards",
            &admin.token,
            &json!({ "code": "ELM", "name": "Elm", "service_line": "adult", "ods_site_code": "RX4E5" }),
        )
        .await;
    created.assert_status(201);
    assert_eq!(created.json()["ods_site_code"], "RX4E5");
}

#[actix_web::test]
async fn practitioners_are_peer_workers_seen_only_from_their_wards() {
    let w = Ward::new().await;
    let app = &w.app;
    let there = app.user(Role::PeerSupportWorker, &[w.other_ward]).await;
    let mine = format!("/fhir/R4/PractitionerRole/{}", w.leader.id);
    let role = app.get(&mine, &w.worker.token).await.json();
    assert_eq!(
        role["code"][0]["coding"][0]["code"],
        "peer-support-team-leader"
    );
    assert_eq!(
        role["location"][0]["reference"],
        format!("Location/{}", w.ward)
    );
    let theirs = format!("/fhir/R4/Practitioner/{}", there.id);
    outcome(&app.get(&theirs, &w.worker.token).await, 404, "not-found");
    let manager = app.user(Role::Manager, &[]).await;
    app.get(&theirs, &manager.token).await.assert_status(200);
    // Other accounts are not practitioners of peer support.
    outcome(
        &app.get(
            &format!("/fhir/R4/Practitioner/{}", manager.id),
            &manager.token,
        )
        .await,
        404,
        "not-found",
    );
    let org = app
        .get("/fhir/R4/Organization/ZZZ99", &w.worker.token)
        .await
        .json();
    assert_eq!(org["identifier"][0]["value"], "ZZZ99");
}

#[actix_web::test]
async fn the_vocabulary_shows_each_values_fhir_coding() {
    let w = Ward::new().await;
    let v = w
        .app
        .get("/api/v1/vocabulary", &w.worker.token)
        .await
        .json();
    let kinds = v["codings"]["activity_kinds"].as_array().unwrap();
    assert_eq!(kinds.len(), 12);
    assert_eq!(kinds[1]["code"], "one_to_one");
    assert_eq!(
        kinds[1]["system"],
        "https://fhir.peerlog.org.uk/CodeSystem/activity-kind"
    );
    assert!(v["codings"]["topics"]
        .as_array()
        .unwrap()
        .iter()
        .all(|t| t["system"] != "http://snomed.info/sct"));
    assert_eq!(
        v["codings"]["practitioner_roles"][0]["code"],
        "peer-support-worker"
    );
    let capability = w
        .app
        .send(TestApp::req(
            actix_web::http::Method::GET,
            "/fhir/R4/metadata",
            None,
        ))
        .await;
    capability.assert_status(200);
    assert_eq!(capability.json()["fhirVersion"], "4.0.1");
}
