//! `/health`, `/ready`, `/metrics`, `/docs`.

use actix_web::http::Method;
use peerlog::auth::Role;

use crate::common::TestApp;

#[actix_web::test]
async fn health_and_ready_answer_without_a_token() {
    let app = TestApp::new().await;
    let res = app.send(TestApp::req(Method::GET, "/health", None)).await;
    res.assert_status(200);
    assert_eq!(res.json()["status"], "ok");
    let res = app.send(TestApp::req(Method::GET, "/ready", None)).await;
    res.assert_status(200);
    assert_eq!(res.json()["status"], "ready");
}

#[actix_web::test]
async fn ready_is_503_when_the_database_is_unreachable() {
    let app = TestApp::with_config(|c| {
        c.database_url = peerlog::config::Secret::new("postgres://postgres@127.0.0.1:1/none");
    })
    .await;
    // The harness built the pool from the test database; swap in a dead one.
    let dead = peerlog::db::pool("postgres://postgres@127.0.0.1:1/none", 1).unwrap();
    let state = peerlog::state::AppState::new((*app.state.config).clone(), dead);
    let service = actix_web::test::init_service(peerlog::app(
        state,
        peerlog::metrics::Metrics::new().unwrap(),
    ))
    .await;
    let res = actix_web::test::call_service(
        &service,
        actix_web::test::TestRequest::get()
            .uri("/ready")
            .to_request(),
    )
    .await;
    assert_eq!(res.status().as_u16(), 503);
    let body: serde_json::Value = actix_web::test::read_body_json(res).await;
    assert_eq!(body["code"], "database_unavailable");
}

#[actix_web::test]
async fn metrics_count_requests_by_route_pattern_and_show_the_pool() {
    let app = TestApp::new().await;
    let manager = app.user(Role::Manager, &[]).await;
    app.get("/api/v1/wards", &manager.token)
        .await
        .assert_status(200);
    app.get(
        &format!("/api/v1/wards/{}", uuid::Uuid::new_v4()),
        &manager.token,
    )
    .await
    .assert_status(404);
    let res = app.send(TestApp::req(Method::GET, "/metrics", None)).await;
    res.assert_status(200);
    let text = res.text();
    assert!(text.contains(r#"endpoint="/api/v1/wards/{id}""#), "{text}");
    assert!(text.contains("peerlog_http_requests_duration_seconds_bucket"));
    assert!(text.contains("peerlog_db_pool_connections"));
    assert!(!text.contains(&manager.token));
}

#[actix_web::test]
async fn docs_are_served_at_both_addresses() {
    let app = TestApp::new().await;
    let res = app.send(TestApp::req(Method::GET, "/docs", None)).await;
    assert_eq!(res.status.as_u16(), 308);
    assert_eq!(res.header("location").as_deref(), Some("/docs/"));
    let res = app.send(TestApp::req(Method::GET, "/docs/", None)).await;
    res.assert_status(200);
    assert!(res.text().contains("swagger"), "{}", res.text());
    let res = app
        .send(TestApp::req(
            Method::GET,
            "/docs/swagger-initializer.js",
            None,
        ))
        .await;
    res.assert_status(200);
    assert!(res.text().contains("/openapi.json"));
}

/// Each worker has a pool of its own (`main.rs`); `/metrics` shows their sum.
#[actix_web::test]
async fn the_pool_gauges_sum_every_workers_pool() {
    let app = TestApp::new().await;
    let metrics = peerlog::metrics::Metrics::new().unwrap();
    let pools: Vec<_> = (0..2)
        .map(|_| peerlog::db::pool(&app.db.url, 2).unwrap())
        .collect();
    for pool in &pools {
        metrics.watch(pool.clone());
    }
    // Two connections out of the first pool and one out of the second,
    // the first pool's two then handed back.
    let (a, b) = (pools[0].get().await.unwrap(), pools[0].get().await.unwrap());
    let held = pools[1].get().await.unwrap();
    drop((a, b));
    let text = metrics.render();
    let gauge = |name: &str| -> i64 {
        text.lines()
            .find_map(|l| l.strip_prefix(&format!("{name} ")))
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("{name} missing: {text}"))
    };
    assert_eq!(gauge("peerlog_db_pool_connections"), 3);
    assert_eq!(gauge("peerlog_db_pool_available"), 2);
    assert_eq!(gauge("peerlog_db_pool_waiting"), 0);
    drop(held);
}

/// The continuity gauges (backups, WAL archiving, replication) are NaN
/// until known, then say what the primary and the read pool's server are:
/// here one server, no standby streaming from it, so nothing lags.
#[actix_web::test]
async fn metrics_show_the_standbys_and_their_lag_once_sampled() {
    let app = TestApp::new().await;
    let metrics = peerlog::metrics::Metrics::new().unwrap();
    let gauge = |text: &str, name: &str| -> String {
        text.lines()
            .find_map(|l| l.strip_prefix(&format!("{name} ")))
            .unwrap_or_else(|| panic!("{name} missing: {text}"))
            .to_string()
    };
    let text = metrics.render();
    for name in [
        "peerlog_backup_age_seconds",
        "peerlog_wal_archive_age_seconds",
        "peerlog_replication_lag_seconds",
    ] {
        assert_eq!(gauge(&text, name), "NaN");
    }
    let pool = peerlog::db::pool(&app.db.url, 1).unwrap();
    metrics.continuity.sample_database(&pool, Some(&pool)).await;
    // No repository to ask: the backup age stays unknown, and nothing fails.
    let nowhere = peerlog::config::Continuity {
        read_url: None,
        pgbackrest_stanza: Some("no-such-stanza".into()),
        pgbackrest_config: Some("/nonexistent/pgbackrest.conf".into()),
    };
    metrics.continuity.sample_backups(&nowhere).await;
    let text = metrics.render();
    assert_eq!(gauge(&text, "peerlog_replication_standbys"), "0");
    assert_eq!(gauge(&text, "peerlog_replication_lag_seconds"), "0");
    assert_eq!(gauge(&text, "peerlog_backup_age_seconds"), "NaN");
    assert!(gauge(&text, "peerlog_wal_archive_failures")
        .parse::<f64>()
        .is_ok());
}
