//! Work the service does in the background, beside the requests: the
//! Bulk Data export runner. It takes waiting export jobs one at a time on
//! a connection of its own, so an export never holds a request's
//! connection; at start it first puts back the jobs a stopped service left
//! running, so every job survives a restart. Each minute it deletes the
//! files of exports past their time.

use std::time::{Duration, Instant};

use crate::config::Config;
use crate::db::DbPool;
use crate::domain::bulk_export::run::{self, RunSettings};
use crate::models::bulk_export as jobs;

/// How often the runner looks for waiting jobs when it found none.
const IDLE_POLL: Duration = Duration::from_millis(500);
/// How often expired exports are swept.
const SWEEP_EVERY: Duration = Duration::from_secs(60);

/// The runner's settings from the configuration.
pub fn bulk_settings(config: &Config) -> RunSettings {
    RunSettings {
        trust: config.fhir.trust.clone(),
        dir: config.bulk_export_dir.clone(),
        ttl_secs: config.bulk_export_ttl_secs,
        chunk: 1000,
    }
}

/// Starts the export runner on the current runtime.
pub fn spawn_bulk_exports(pool: DbPool, settings: RunSettings) {
    actix_web::rt::spawn(async move {
        match pool.get().await {
            Ok(mut conn) => match jobs::requeue_interrupted(&mut conn).await {
                Ok(n) if n > 0 => log::info!("bulk export: {n} interrupted exports resumed"),
                Ok(_) => {}
                Err(e) => log::warn!("bulk export: interrupted exports not resumed: {e}"),
            },
            Err(e) => log::warn!("bulk export: no connection at start: {e}"),
        }
        let mut last_sweep: Option<Instant> = None;
        loop {
            let mut conn = match pool.get().await {
                Ok(c) => c,
                Err(e) => {
                    log::warn!("bulk export runner: {e}");
                    tokio::time::sleep(Duration::from_secs(5)).await;
                    continue;
                }
            };
            if last_sweep.is_none_or(|t| t.elapsed() >= SWEEP_EVERY) {
                last_sweep = Some(Instant::now());
                if let Err(e) = run::expire(&mut conn, &settings.dir).await {
                    log::warn!("bulk export: expired files not swept: {e}");
                }
            }
            match run::run_next(&mut conn, &settings).await {
                Ok(true) => {}
                Ok(false) => {
                    drop(conn);
                    tokio::time::sleep(IDLE_POLL).await;
                }
                Err(e) => {
                    log::warn!("bulk export runner: {e}");
                    drop(conn);
                    tokio::time::sleep(Duration::from_secs(1)).await;
                }
            }
        }
    });
}
