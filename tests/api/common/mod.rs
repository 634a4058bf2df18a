//! The test harness: an app of its own per test (own database, same code as
//! production, requests sent in-process), and shortcuts for creating
//! wards, users and tokens.

#![allow(dead_code)]

pub mod db;
pub mod smart;

use std::sync::OnceLock;

use actix_http::Request;
use actix_service::boxed::{self, BoxService};
use actix_service::{Service, ServiceExt};
use actix_web::body::BoxBody;
use actix_web::dev::ServiceResponse;
use actix_web::http::header::HeaderMap;
use actix_web::http::{Method, StatusCode};
use actix_web::test::TestRequest;
use actix_web::web::Bytes;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use serde_json::Value;
use uuid::Uuid;

use peerlog::auth::Role;
use peerlog::config::Config;
use peerlog::metrics::Metrics;
use peerlog::models::ward::ServiceLine;
use peerlog::schema::{users, ward_assignments, wards};
use peerlog::state::AppState;

pub use db::TestDb;

/// The password of users made by [`TestApp::user`].
pub const PASSWORD: &str = "correct-horse-battery";

fn password_hash() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| peerlog::identity::password::hash(PASSWORD).unwrap())
}

/// A running app on its own database.
pub struct TestApp {
    pub state: AppState,
    service: BoxService<Request, ServiceResponse<BoxBody>, actix_web::Error>,
    pub db: TestDb,
}

/// A user made for a test, with a valid access token.
#[derive(Debug, Clone)]
pub struct TestUser {
    pub id: Uuid,
    pub username: String,
    pub role: Role,
    pub token: String,
}

/// A response, read whole.
#[derive(Debug)]
pub struct Resp {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Resp {
    /// The body as JSON; panics with the body text when it is not.
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).to_string()
    }

    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    }

    /// Asserts the status, showing the body when it differs.
    #[track_caller]
    pub fn assert_status(&self, expected: u16) -> &Self {
        assert_eq!(
            self.status.as_u16(),
            expected,
            "unexpected status; body: {}",
            self.text()
        );
        self
    }

    /// Asserts a problem+json answer with this status and code.
    #[track_caller]
    pub fn assert_problem(&self, status: u16, code: &str) -> Value {
        self.assert_status(status);
        assert_eq!(
            self.header("content-type").as_deref(),
            Some("application/problem+json"),
            "problem content type; body: {}",
            self.text()
        );
        let body = self.json();
        assert_eq!(body["code"], code, "problem code; body: {body}");
        assert_eq!(body["status"], status);
        body
    }

    /// The `field` of every validation error.
    pub fn error_fields(&self) -> Vec<String> {
        self.json()["errors"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|e| e["field"].as_str().unwrap_or("").to_string())
                    .collect()
            })
            .unwrap_or_default()
    }
}

impl TestApp {
    /// A fresh app on a fresh database.
    pub async fn new() -> TestApp {
        Self::with_config(|_| {}).await
    }

    /// A fresh app whose configuration the test adjusts.
    pub async fn with_config(adjust: impl FnOnce(&mut Config)) -> TestApp {
        let db = TestDb::create().await;
        let mut config = Config::for_tests(&db.url);
        adjust(&mut config);
        let pool = peerlog::db::pool(&db.url, config.pool_size).unwrap();
        let state = AppState::new(config, pool);
        let app = peerlog::app(state.clone(), Metrics::new().unwrap());
        let service = actix_web::test::init_service(app).await;
        let service =
            boxed::service(service.map(|res: ServiceResponse<_>| res.map_into_boxed_body()));
        TestApp { state, service, db }
    }

    /// The same app on the same database with its state adjusted by the
    /// test (a standby's pool, a primary that has turned read-only).
    pub async fn rebuilt(self, adjust: impl FnOnce(&mut AppState)) -> TestApp {
        let TestApp { mut state, db, .. } = self;
        adjust(&mut state);
        let app = peerlog::app(state.clone(), Metrics::new().unwrap());
        let service = actix_web::test::init_service(app).await;
        let service =
            boxed::service(service.map(|res: ServiceResponse<_>| res.map_into_boxed_body()));
        TestApp { state, service, db }
    }

    /// A database connection for setting up or checking rows directly.
    pub async fn conn(&self) -> peerlog::db::DbConn {
        self.state.pool.get().await.unwrap()
    }

    /// Sends a request and reads the whole response.
    pub async fn send(&self, req: TestRequest) -> Resp {
        let res = match self.service.call(req.to_request()).await {
            Ok(res) => res,
            Err(err) => {
                let res = err.error_response();
                ServiceResponse::new(
                    actix_web::test::TestRequest::default().to_http_request(),
                    res,
                )
                .map_into_boxed_body()
            }
        };
        let status = res.status();
        let headers = res.headers().clone();
        let body = actix_web::body::to_bytes(res.into_body())
            .await
            .unwrap_or_default();
        Resp {
            status,
            headers,
            body,
        }
    }

    /// A request with an optional bearer token.
    pub fn req(method: Method, path: &str, token: Option<&str>) -> TestRequest {
        let mut req = TestRequest::default().method(method).uri(path);
        if let Some(t) = token {
            req = req.insert_header(("authorization", format!("Bearer {t}")));
        }
        req
    }

    pub async fn get(&self, path: &str, token: &str) -> Resp {
        self.send(Self::req(Method::GET, path, Some(token))).await
    }

    pub async fn post(&self, path: &str, token: &str, body: &Value) -> Resp {
        self.send(Self::req(Method::POST, path, Some(token)).set_json(body))
            .await
    }

    pub async fn patch(&self, path: &str, token: &str, body: &Value) -> Resp {
        self.send(Self::req(Method::PATCH, path, Some(token)).set_json(body))
            .await
    }

    pub async fn put(&self, path: &str, token: &str, body: &Value) -> Resp {
        self.send(Self::req(Method::PUT, path, Some(token)).set_json(body))
            .await
    }

    /// POST without a token.
    pub async fn post_anon(&self, path: &str, body: &Value) -> Resp {
        self.send(Self::req(Method::POST, path, None).set_json(body))
            .await
    }

    /// Creates a ward directly in the database.
    pub async fn ward(&self, code: &str, line: ServiceLine) -> Uuid {
        let id = Uuid::now_v7();
        diesel::insert_into(wards::table)
            .values((
                wards::id.eq(id),
                wards::code.eq(code),
                wards::name.eq(format!("{code} ward")),
                wards::service_line.eq(line),
            ))
            .execute(&mut self.conn().await)
            .await
            .unwrap();
        id
    }

    /// Creates a user with a role and wards, and an access token for them.
    pub async fn user(&self, role: Role, ward_ids: &[Uuid]) -> TestUser {
        let id = Uuid::now_v7();
        let username = format!(
            "{}-{}",
            role.as_str().replace('_', "-"),
            &id.simple().to_string()[24..]
        );
        let mut conn = self.conn().await;
        diesel::insert_into(users::table)
            .values((
                users::id.eq(id),
                users::username.eq(&username),
                users::display_name.eq(format!("Test {}", role.as_str())),
                users::password_hash.eq(password_hash()),
                users::role.eq(role),
            ))
            .execute(&mut conn)
            .await
            .unwrap();
        for w in ward_ids {
            diesel::insert_into(ward_assignments::table)
                .values((
                    ward_assignments::user_id.eq(id),
                    ward_assignments::ward_id.eq(*w),
                ))
                .execute(&mut conn)
                .await
                .unwrap();
        }
        drop(conn);
        let token = self.token_for(id, role).await;
        TestUser {
            id,
            username,
            role,
            token,
        }
    }

    /// A new sign-in for an existing user, and its access token.
    pub async fn token_for(&self, id: Uuid, role: Role) -> String {
        let sid = peerlog::models::sign_in::create(
            &mut *self.conn().await,
            id,
            peerlog::models::sign_in::Method::Password,
        )
        .await
        .unwrap();
        self.state.keys.issue(id, role, sid).unwrap()
    }

    /// Counts audit rows matching an action and entity type.
    pub async fn audit_count(&self, action: &str, entity_type: &str) -> i64 {
        use peerlog::schema::audit_log;
        audit_log::table
            .filter(audit_log::action.eq(action))
            .filter(audit_log::entity_type.eq(entity_type))
            .count()
            .get_result(&mut self.conn().await)
            .await
            .unwrap()
    }
}
