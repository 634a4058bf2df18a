//! FHIR Bulk Data export: a trust system kicks off, polls, downloads and
//! cancels, with its Backend Services token; writes land while exports
//! run; bad requests get OperationOutcomes.

mod export;
mod refusals;

use std::time::Duration;

use actix_web::http::Method;
use peerlog::auth::Role;
use serde_json::Value;

use crate::activities::Ward;
use crate::common::smart::{self, rs384};
use crate::common::{Resp, TestApp};

/// A ward with activities, an app whose exports go to a folder of its own,
/// and a client registered on the ward with `system/*.rs`.
pub struct Setup {
    pub w: Ward,
    pub token: String,
    pub admin: String,
    pub dir: tempdir::Dir,
}

/// A folder removed when the test ends.
pub mod tempdir {
    pub struct Dir(pub std::path::PathBuf);
    impl Dir {
        pub fn new() -> Dir {
            let p =
                std::env::temp_dir().join(format!("peerlog-bulk-test-{}", uuid::Uuid::new_v4()));
            std::fs::create_dir_all(&p).unwrap();
            Dir(p)
        }
    }
    impl Drop for Dir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

impl Setup {
    pub async fn new() -> Setup {
        let dir = tempdir::Dir::new();
        let path = dir.0.clone();
        let app = TestApp::with_config(|c| {
            c.public_url = Some(smart::PUBLIC_URL.into());
            c.bulk_export_dir = path;
        })
        .await;
        let w = Ward::on(app).await;
        let admin = w.app.user(Role::Admin, &[]).await.token;
        let key = rs384("bulk-key");
        w.app
            .register_client(&admin, "warehouse", &[&key], &["system/*.rs"], &[w.ward])
            .await;
        let token = w.app.system_token("warehouse", &key, "system/*.rs").await;
        Setup {
            w,
            token,
            admin,
            dir,
        }
    }

    /// Starts the export runner, as the service does at start.
    pub fn start_runner(&self) {
        let mut settings = peerlog::jobs::bulk_settings(&self.w.app.state.config);
        settings.chunk = 2;
        peerlog::jobs::spawn_bulk_exports(self.w.app.state.pool.clone(), settings);
    }

    /// `GET` with the export headers, as a Bulk Data client sends them.
    pub async fn fhir_get(&self, path_and_query: &str, token: &str) -> Resp {
        self.w
            .app
            .send(
                TestApp::req(Method::GET, path_and_query, Some(token))
                    .insert_header(("accept", "application/fhir+json"))
                    .insert_header(("prefer", "respond-async")),
            )
            .await
    }

    /// Kicks off; answers the status path.
    pub async fn kick_off(&self, query: &str, token: &str) -> String {
        let res = self
            .fhir_get(&format!("/fhir/R4/$export{query}"), token)
            .await;
        res.assert_status(202);
        let url = res.header("content-location").expect("Content-Location");
        url.strip_prefix(smart::PUBLIC_URL).unwrap().to_string()
    }

    /// Polls a status path until the manifest.
    pub async fn manifest(&self, status: &str, token: &str) -> Value {
        for _ in 0..600 {
            let res = self.fhir_get(status, token).await;
            match res.status.as_u16() {
                202 => {
                    assert!(res.header("x-progress").is_some());
                    assert_eq!(res.header("retry-after").as_deref(), Some("2"));
                    actix_web::rt::time::sleep(Duration::from_millis(50)).await;
                }
                200 => return res.json(),
                other => panic!("status {other}: {}", res.text()),
            }
        }
        panic!("the export did not complete")
    }

    /// Every resource of a manifest, by type.
    pub async fn download(&self, manifest: &Value, token: &str) -> Vec<Value> {
        let mut all = Vec::new();
        for out in manifest["output"].as_array().unwrap() {
            let path = out["url"]
                .as_str()
                .unwrap()
                .strip_prefix(smart::PUBLIC_URL)
                .unwrap();
            let res = self.w.app.get(path, token).await;
            res.assert_status(200);
            assert_eq!(
                res.header("content-type").as_deref(),
                Some("application/fhir+ndjson")
            );
            let lines: Vec<Value> = res
                .text()
                .lines()
                .map(|l| serde_json::from_str(l).unwrap())
                .collect();
            assert_eq!(lines.len() as u64, out["count"].as_u64().unwrap());
            for r in &lines {
                assert_eq!(r["resourceType"], out["type"]);
            }
            all.extend(lines);
        }
        all
    }
}

/// The ids of the resources of one type.
pub fn ids_of(resources: &[Value], resource_type: &str) -> Vec<String> {
    let mut ids: Vec<String> = resources
        .iter()
        .filter(|r| r["resourceType"] == resource_type)
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect();
    ids.sort();
    ids
}
