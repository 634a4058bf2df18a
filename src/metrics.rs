//! Prometheus metrics: requests by route pattern and status and a latency
//! histogram (from actix-web-prom), plus the database pools' use (every
//! worker's pool, summed), sampled when `/metrics` is scraped, and the
//! backup and replication gauges of [`crate::continuity`].

use std::sync::{Arc, Mutex};

use crate::continuity::ContinuityGauges;
use crate::db::DbPool;

use actix_web_prom::{PrometheusMetrics, PrometheusMetricsBuilder};
use prometheus::{IntGauge, Registry};

/// The registry and the gauges this service sets itself.
#[derive(Clone)]
pub struct Metrics {
    pub middleware: PrometheusMetrics,
    pub registry: Registry,
    pool_size: IntGauge,
    pool_available: IntGauge,
    pool_waiting: IntGauge,
    /// Backups, WAL archiving and replication (see [`crate::continuity`]).
    pub continuity: ContinuityGauges,
    /// The pools to sample: one per worker.
    pools: Arc<Mutex<Vec<DbPool>>>,
}

impl Metrics {
    /// Builds a fresh registry (one per app, so tests do not share counters).
    pub fn new() -> Result<Self, String> {
        let registry = Registry::new();
        let middleware = PrometheusMetricsBuilder::new("peerlog")
            .registry(registry.clone())
            .mask_unmatched_patterns("UNKNOWN")
            .build()
            .map_err(|e| e.to_string())?;
        let gauge = |name: &str, help: &str| -> Result<IntGauge, String> {
            let g = IntGauge::new(name, help).map_err(|e| e.to_string())?;
            registry
                .register(Box::new(g.clone()))
                .map_err(|e| e.to_string())?;
            Ok(g)
        };
        Ok(Metrics {
            pool_size: gauge(
                "peerlog_db_pool_connections",
                "Connections open in the pool",
            )?,
            pool_available: gauge("peerlog_db_pool_available", "Idle connections in the pool")?,
            pool_waiting: gauge(
                "peerlog_db_pool_waiting",
                "Requests waiting for a connection",
            )?,
            continuity: ContinuityGauges::register(&registry)?,
            middleware,
            registry,
            pools: Arc::default(),
        })
    }

    /// Adds a pool to those the gauges sum.
    pub fn watch(&self, pool: DbPool) {
        if let Ok(mut pools) = self.pools.lock() {
            pools.push(pool);
        }
    }

    /// The text exposition, with pool gauges sampled now.
    pub fn render(&self) -> String {
        let (mut size, mut available, mut waiting) = (0, 0, 0);
        if let Ok(pools) = self.pools.lock() {
            for status in pools.iter().map(DbPool::status) {
                size += status.size as i64;
                available += status.available as i64;
                waiting += status.waiting as i64;
            }
        }
        self.pool_size.set(size);
        self.pool_available.set(available);
        self.pool_waiting.set(waiting);
        let mut out = String::new();
        let encoder = prometheus::TextEncoder::new();
        if let Err(e) = encoder.encode_utf8(&self.registry.gather(), &mut out) {
            log::error!("metrics encoding failed: {e}");
        }
        out
    }
}
