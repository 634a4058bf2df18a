//! The whole Bulk Data flow with a Backend Services token, scoped to one
//! ward; then an incremental export from the first's transactionTime while
//! writes land during the exports: every change in exactly one of them.

use std::collections::HashMap;

use peerlog::auth::Role;
use serde_json::{json, Value};

use super::{ids_of, Setup};
use crate::events::settle;

/// Records an activity on the other ward (by a worker there).
async fn record_elsewhere(s: &Setup) -> Value {
    let worker =
        s.w.app
            .user(Role::PeerSupportWorker, &[s.w.other_ward])
            .await;
    let mut body = s.w.body("one_to_one");
    body["ward_id"] = json!(s.w.other_ward);
    body["service_user_ids"] = json!([s.w.stranger]);
    let res =
        s.w.app
            .post("/api/v1/activities", &worker.token, &body)
            .await;
    res.assert_status(201);
    res.json()
}

#[actix_web::test]
async fn a_system_exports_its_ward_and_nothing_of_another() {
    let s = Setup::new().await;
    let one = s.w.record(&s.w.body("one_to_one")).await;
    let group = s.w.record(&s.w.body("group_session")).await;
    let elsewhere = record_elsewhere(&s).await;
    settle(&s.w.app).await;
    s.start_runner();

    let status = s
        .kick_off("?_outputFormat=application%2Ffhir%2Bndjson", &s.token)
        .await;
    let manifest = s.manifest(&status, &s.token).await;
    assert_eq!(manifest["requiresAccessToken"], true);
    assert!(manifest["request"]
        .as_str()
        .unwrap()
        .ends_with("/fhir/R4/$export?_outputFormat=application%2Ffhir%2Bndjson"));
    assert!(manifest["transactionTime"].as_str().unwrap().ends_with('Z'));
    assert_eq!(manifest["error"], json!([]));
    let resources = s.download(&manifest, &s.token).await;

    let mut ours = vec![
        one["id"].as_str().unwrap().to_string(),
        group["id"].as_str().unwrap().to_string(),
    ];
    ours.sort();
    assert_eq!(ids_of(&resources, "Encounter"), ours);
    assert_eq!(ids_of(&resources, "Procedure"), ours);
    assert_eq!(
        ids_of(&resources, "Group"),
        vec![group["id"].as_str().unwrap().to_string()]
    );
    let mut people: Vec<String> = s.w.people.iter().map(|p| p.to_string()).collect();
    people.sort();
    assert_eq!(ids_of(&resources, "Patient"), people);
    assert_eq!(ids_of(&resources, "Location"), vec![s.w.ward.to_string()]);
    assert_eq!(ids_of(&resources, "Organization").len(), 1);
    let text = serde_json::to_string(&resources).unwrap();
    assert!(!text.contains(elsewhere["id"].as_str().unwrap()));
    assert!(!text.contains(&s.w.stranger.to_string()));
    assert!(!text.contains(&s.w.other_ward.to_string()));

    // Another caller, even a trust-wide one, gets nothing of this export.
    let manager = s.w.app.user(Role::Manager, &[]).await;
    s.fhir_get(&status, &manager.token).await.assert_status(404);
    let file = manifest["output"][0]["url"]
        .as_str()
        .unwrap()
        .strip_prefix(crate::common::smart::PUBLIC_URL)
        .unwrap();
    let res = s.w.app.get(file, &manager.token).await;
    res.assert_status(404);
    assert_eq!(res.json()["resourceType"], "OperationOutcome");
    assert_eq!(s.w.app.audit_count("export", "fhir_bulk_export").await, 1);
    assert!(s.w.app.audit_count("download", "fhir_bulk_export").await >= 1);
}

#[actix_web::test]
async fn since_the_last_transaction_time_gives_every_change_exactly_once() {
    let s = Setup::new().await;
    let before: Vec<Value> = vec![
        s.w.record(&s.w.body("one_to_one")).await,
        s.w.record(&s.w.body("crisis_support")).await,
    ];
    settle(&s.w.app).await;
    // The first export is started; its runner is not yet going, so every
    // write below lands while it is under way.
    let first_status = s.kick_off("?_type=Encounter", &s.token).await;
    let during_new = s.w.record(&s.w.body("wellbeing")).await;
    let amended =
        s.w.amend(
            &before[0],
            json!({ "reason": "typo", "note": "changed while exporting" }),
        )
        .await;
    s.start_runner();
    let first = s.manifest(&first_status, &s.token).await;
    let after_new = s.w.record(&s.w.body("advocacy")).await;
    settle(&s.w.app).await;
    let since = first["transactionTime"].as_str().unwrap().to_string();
    let second_status = s
        .kick_off(
            &format!("?_type=Encounter&_since={}", urlencode(&since)),
            &s.token,
        )
        .await;
    let second = s.manifest(&second_status, &s.token).await;

    let versions = |resources: &[Value]| -> HashMap<String, String> {
        resources
            .iter()
            .map(|r| {
                (
                    r["id"].as_str().unwrap().to_string(),
                    r["meta"]["versionId"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    let a = versions(&s.download(&first, &s.token).await);
    let b = versions(&s.download(&second, &s.token).await);
    let id = |v: &Value| v["id"].as_str().unwrap().to_string();
    // The first export: the two activities as they stood at its start.
    assert_eq!(a.len(), 2, "{a:?}");
    assert_eq!(a[&id(&before[0])], "1");
    assert_eq!(a[&id(&before[1])], "1");
    // The second: exactly what changed after, each once, newest version.
    assert_eq!(b.len(), 3, "{b:?}");
    assert_eq!(b[&id(&amended)], "2");
    assert!(b.contains_key(&id(&during_new)) && b.contains_key(&id(&after_new)));
    assert!(!b.contains_key(&id(&before[1])));
    // Nothing changed since the second: a third export is empty.
    let third_since = second["transactionTime"].as_str().unwrap().to_string();
    let third_status = s
        .kick_off(
            &format!("?_type=Encounter&_since={}", urlencode(&third_since)),
            &s.token,
        )
        .await;
    let third = s.manifest(&third_status, &s.token).await;
    assert_eq!(third["output"], json!([]));
}

fn urlencode(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

#[actix_web::test]
async fn a_group_export_holds_the_sessions_members_only() {
    let s = Setup::new().await;
    let mut body = s.w.body("group_session");
    body["service_user_ids"] = json!([s.w.people[0]]);
    let group = s.w.record(&body).await;
    // Only the second person, who is not a member.
    let other = s.w.record(&s.w.body("crisis_support")).await;
    settle(&s.w.app).await;
    s.start_runner();
    let gid = group["id"].as_str().unwrap();
    let res = s
        .fhir_get(
            &format!("/fhir/R4/Group/{gid}/$export?_type=Patient,Encounter"),
            &s.token,
        )
        .await;
    res.assert_status(202);
    let status = res.header("content-location").unwrap();
    let status = status
        .strip_prefix(crate::common::smart::PUBLIC_URL)
        .unwrap();
    let resources = s
        .download(&s.manifest(status, &s.token).await, &s.token)
        .await;
    assert_eq!(
        ids_of(&resources, "Patient"),
        vec![s.w.people[0].to_string()]
    );
    let encounters = ids_of(&resources, "Encounter");
    assert!(encounters.contains(&gid.to_string()));
    assert!(!encounters.contains(&other["id"].as_str().unwrap().to_string()));
}
