//! What an export refuses, each as an OperationOutcome (never a 500, never
//! another ward's record), and what survives: cancellation before and in
//! the middle of a run, a restart, expiry.

use chrono::{Duration, Utc};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use peerlog::auth::Role;
use peerlog::schema::bulk_exports;
use serde_json::{json, Value};

use super::Setup;
use crate::common::smart::{self, rs384};
use crate::events::settle;

fn assert_outcome(res: &crate::common::Resp, status: u16, code: &str) -> Value {
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

#[actix_web::test]
async fn bad_kick_offs_get_operation_outcomes() {
    let s = Setup::new().await;
    let future =
        form_urlencoded::byte_serialize((Utc::now() + Duration::hours(1)).to_rfc3339().as_bytes())
            .collect::<String>();
    for (query, status, code, expression) in [
        (format!("?_since={future}"), 400, "invalid", "_since"),
        ("?_since=yesterday".to_string(), 400, "invalid", "_since"),
        (
            "?_type=Encounter,Medication".to_string(),
            400,
            "not-supported",
            "_type",
        ),
        (
            "?_type=Practitioner".to_string(),
            400,
            "not-supported",
            "_type",
        ),
        (
            "?_outputFormat=text%2Fcsv".to_string(),
            400,
            "not-supported",
            "_outputFormat",
        ),
        (
            "?_typeFilter=Encounter%3Fstatus%3Dfinished".to_string(),
            400,
            "not-supported",
            "_typeFilter",
        ),
    ] {
        let res = s
            .fhir_get(&format!("/fhir/R4/$export{query}"), &s.token)
            .await;
        let body = assert_outcome(&res, status, code);
        assert_eq!(body["issue"][0]["expression"][0], expression, "{query}");
    }
    // No token; a worker's token works, scoped; a Group of another ward.
    let res =
        s.w.app
            .send(crate::common::TestApp::req(
                actix_web::http::Method::GET,
                "/fhir/R4/$export",
                None,
            ))
            .await;
    assert_outcome(&res, 401, "login");
    let stranger_group =
        s.w.app
            .user(Role::PeerSupportWorker, &[s.w.other_ward])
            .await;
    let mut body = s.w.body("group_session");
    body["ward_id"] = json!(s.w.other_ward);
    body["service_user_ids"] = json!([s.w.stranger]);
    let g =
        s.w.app
            .post("/api/v1/activities", &stranger_group.token, &body)
            .await
            .json();
    let res = s
        .fhir_get(
            &format!("/fhir/R4/Group/{}/$export", g["id"].as_str().unwrap()),
            &s.token,
        )
        .await;
    assert_outcome(&res, 404, "not-found");
    let res = s
        .fhir_get("/fhir/R4/Group/not-a-uuid/$export", &s.token)
        .await;
    assert_outcome(&res, 404, "not-found");
    assert_eq!(s.w.app.audit_count("export", "fhir_bulk_export").await, 0);
}

#[actix_web::test]
async fn a_type_outside_the_clients_scopes_is_forbidden() {
    let s = Setup::new().await;
    let key = rs384("enc");
    s.w.app
        .register_client(
            &s.admin,
            "enc-only",
            &[&key],
            &["system/Encounter.rs"],
            &[s.w.ward],
        )
        .await;
    let token =
        s.w.app
            .system_token("enc-only", &key, "system/Encounter.rs")
            .await;
    let res = s.fhir_get("/fhir/R4/$export?_type=Patient", &token).await;
    assert_outcome(&res, 403, "forbidden");
    // Without _type: only what the scopes grant.
    s.w.record(&s.w.body("one_to_one")).await;
    settle(&s.w.app).await;
    s.start_runner();
    let status = s.kick_off("", &token).await;
    let manifest = s.manifest(&status, &token).await;
    let types: Vec<&str> = manifest["output"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["type"].as_str().unwrap())
        .collect();
    assert_eq!(types, ["Encounter"]);
}

#[actix_web::test]
async fn a_cancelled_export_is_gone_and_its_status_url_answers_404() {
    let s = Setup::new().await;
    s.w.record(&s.w.body("one_to_one")).await;
    settle(&s.w.app).await;
    // Cancelled while waiting: it never runs.
    let waiting = s.kick_off("", &s.token).await;
    let res =
        s.w.app
            .send(crate::common::TestApp::req(
                actix_web::http::Method::DELETE,
                &waiting,
                Some(&s.token),
            ))
            .await;
    res.assert_status(202);
    assert_outcome(&s.fhir_get(&waiting, &s.token).await, 404, "not-found");
    let again =
        s.w.app
            .send(crate::common::TestApp::req(
                actix_web::http::Method::DELETE,
                &waiting,
                Some(&s.token),
            ))
            .await;
    assert_outcome(&again, 404, "not-found");

    // Cancelled after it completed: its files go too.
    s.start_runner();
    let done = s.kick_off("", &s.token).await;
    let manifest = s.manifest(&done, &s.token).await;
    let file = manifest["output"][0]["url"]
        .as_str()
        .unwrap()
        .strip_prefix(smart::PUBLIC_URL)
        .unwrap()
        .to_string();
    s.w.app.get(&file, &s.token).await.assert_status(200);
    let res =
        s.w.app
            .send(crate::common::TestApp::req(
                actix_web::http::Method::DELETE,
                &done,
                Some(&s.token),
            ))
            .await;
    res.assert_status(202);
    assert_outcome(&s.w.app.get(&file, &s.token).await, 404, "not-found");
    assert_outcome(&s.fhir_get(&done, &s.token).await, 404, "not-found");
    let id = done.rsplit('/').next().unwrap();
    assert!(!s.dir.0.join(id).exists());
}

#[actix_web::test]
async fn an_export_cancelled_mid_way_stops_and_leaves_nothing() {
    let s = Setup::new().await;
    for _ in 0..6 {
        s.w.record(&s.w.body("one_to_one")).await;
    }
    settle(&s.w.app).await;
    let status = s.kick_off("?_type=Encounter", &s.token).await;
    let id: uuid::Uuid = status.rsplit('/').next().unwrap().parse().unwrap();
    // Two locks make the order certain however loaded the machine is: the
    // outbox is locked, so the runner claims the job and then waits at its
    // first read; the job's row is locked before the outbox is let go, so
    // the runner reads and writes its first chunk and then waits at its
    // progress update, where the client's cancellation is already made.
    let mut holder = s.w.app.conn().await;
    let mut outbox = s.w.app.conn().await;
    let mut row = s.w.app.conn().await;
    let exec = |sql: String| diesel::sql_query(sql);
    exec("BEGIN".into()).execute(&mut outbox).await.unwrap();
    exec("LOCK TABLE activity_events IN ACCESS EXCLUSIVE MODE".into())
        .execute(&mut outbox)
        .await
        .unwrap();
    s.start_runner();
    let folder = s.dir.0.join(id.to_string());
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        let running: String = bulk_exports::table
            .find(id)
            .select(bulk_exports::status)
            .first(&mut holder)
            .await
            .unwrap();
        if running == "running" && folder.join("1.ndjson").exists() {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the runner never took the job"
        );
        actix_web::rt::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    exec("BEGIN".into()).execute(&mut row).await.unwrap();
    exec(format!(
        "SELECT 1 FROM bulk_exports WHERE id = '{id}' FOR UPDATE"
    ))
    .execute(&mut row)
    .await
    .unwrap();
    exec("COMMIT".into()).execute(&mut outbox).await.unwrap();
    // The client cancels while the export is part-way through.
    exec(format!(
        "UPDATE bulk_exports SET status = 'cancelled' WHERE id = '{id}'"
    ))
    .execute(&mut row)
    .await
    .unwrap();
    exec("COMMIT".into()).execute(&mut row).await.unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while folder.exists() && std::time::Instant::now() < deadline {
        actix_web::rt::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    assert!(!folder.exists(), "a cancelled export's files are deleted");
    assert_outcome(&s.fhir_get(&status, &s.token).await, 404, "not-found");
    let files: i64 = peerlog::schema::bulk_export_files::table
        .filter(peerlog::schema::bulk_export_files::export_id.eq(id))
        .count()
        .get_result(&mut holder)
        .await
        .unwrap();
    assert_eq!(files, 0);
}

#[actix_web::test]
async fn an_export_interrupted_by_a_restart_completes_after_it() {
    let s = Setup::new().await;
    s.w.record(&s.w.body("one_to_one")).await;
    settle(&s.w.app).await;
    let status = s.kick_off("?_type=Encounter", &s.token).await;
    let id: uuid::Uuid = status.rsplit('/').next().unwrap().parse().unwrap();
    // The service stopped while it ran: the row says running, half a file.
    diesel::update(bulk_exports::table.find(id))
        .set(bulk_exports::status.eq("running"))
        .execute(&mut s.w.app.conn().await)
        .await
        .unwrap();
    std::fs::create_dir_all(s.dir.0.join(id.to_string())).unwrap();
    std::fs::write(s.dir.0.join(id.to_string()).join("1.ndjson"), "{\"half\":").unwrap();
    s.start_runner();
    let manifest = s.manifest(&status, &s.token).await;
    let resources = s.download(&manifest, &s.token).await;
    assert_eq!(resources.len(), 1);
    assert_eq!(resources[0]["resourceType"], "Encounter");
}

#[actix_web::test]
async fn expired_files_are_deleted_and_answer_404() {
    let s = Setup::new().await;
    s.w.record(&s.w.body("one_to_one")).await;
    settle(&s.w.app).await;
    s.start_runner();
    let status = s.kick_off("?_type=Encounter", &s.token).await;
    let manifest = s.manifest(&status, &s.token).await;
    let id: uuid::Uuid = status.rsplit('/').next().unwrap().parse().unwrap();
    diesel::update(bulk_exports::table.find(id))
        .set(bulk_exports::expires_at.eq(Utc::now() - Duration::seconds(1)))
        .execute(&mut s.w.app.conn().await)
        .await
        .unwrap();
    let n = peerlog::domain::bulk_export::run::expire(&mut *s.w.app.conn().await, &s.dir.0)
        .await
        .unwrap();
    assert_eq!(n, 1);
    assert!(!s.dir.0.join(id.to_string()).exists());
    assert_outcome(&s.fhir_get(&status, &s.token).await, 404, "not-found");
    let file = manifest["output"][0]["url"]
        .as_str()
        .unwrap()
        .strip_prefix(smart::PUBLIC_URL)
        .unwrap()
        .to_string();
    assert_outcome(&s.w.app.get(&file, &s.token).await, 404, "not-found");
}
