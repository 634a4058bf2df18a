//! What `/metrics` says about backups and the standby: the age of the
//! newest pgBackRest backup and of the last archived WAL segment, failed
//! archive attempts, the standbys streaming from the primary and how far
//! the read pool's standby lags. Sampled in the background (every
//! [`SAMPLE_EVERY`]; the repository every [`BACKUP_SAMPLE_EVERY`]), so a
//! scrape never waits for the database or the repository, and `/ready`
//! stays about serving. An unknown value is NaN: alert on it as on a bad one.

use std::time::Duration;

use diesel::sql_types::{BigInt, Double, Nullable};
use diesel::QueryableByName;
use diesel_async::RunQueryDsl;
use prometheus::{Gauge, Registry};

use crate::config::Continuity;
use crate::db::DbPool;

/// How often the database gauges are refreshed.
pub const SAMPLE_EVERY: Duration = Duration::from_secs(5);
/// How often pgBackRest's repository is asked for its newest backup.
pub const BACKUP_SAMPLE_EVERY: Duration = Duration::from_secs(15);

/// The gauges, registered in the service's registry.
#[derive(Clone)]
pub struct ContinuityGauges {
    backup_age: Gauge,
    wal_archive_age: Gauge,
    wal_archive_failures: Gauge,
    standbys: Gauge,
    replication_lag_bytes: Gauge,
    replication_lag_seconds: Gauge,
}

impl ContinuityGauges {
    /// Registers the gauges, every one NaN until first sampled.
    pub fn register(registry: &Registry) -> Result<Self, String> {
        let gauge = |name: &str, help: &str| -> Result<Gauge, String> {
            let g = Gauge::new(name, help).map_err(|e| e.to_string())?;
            g.set(f64::NAN);
            registry
                .register(Box::new(g.clone()))
                .map_err(|e| e.to_string())?;
            Ok(g)
        };
        Ok(ContinuityGauges {
            backup_age: gauge(
                "peerlog_backup_age_seconds",
                "Seconds since the newest pgBackRest backup finished (NaN: unknown)",
            )?,
            wal_archive_age: gauge(
                "peerlog_wal_archive_age_seconds",
                "Seconds since the primary last archived a WAL segment (NaN: archiving off or never)",
            )?,
            wal_archive_failures: gauge(
                "peerlog_wal_archive_failures",
                "Failed WAL archive attempts since the primary's statistics were reset",
            )?,
            standbys: gauge(
                "peerlog_replication_standbys",
                "Standbys streaming from the primary",
            )?,
            replication_lag_bytes: gauge(
                "peerlog_replication_lag_bytes",
                "WAL bytes the furthest-behind standby has not yet replayed",
            )?,
            replication_lag_seconds: gauge(
                "peerlog_replication_lag_seconds",
                "Seconds the read pool's standby is behind (0 when caught up; NaN: no standby configured)",
            )?,
        })
    }

    /// Reads the primary's archiver and replication statistics and the
    /// standby's replay position once. A database that cannot be asked
    /// leaves its gauges NaN.
    pub async fn sample_database(&self, primary: &DbPool, standby: Option<&DbPool>) {
        match primary_status(primary).await {
            Ok(s) => {
                self.wal_archive_age.set(s.archive_age.unwrap_or(f64::NAN));
                self.wal_archive_failures.set(s.archive_failures as f64);
                self.standbys.set(s.standbys as f64);
                self.replication_lag_bytes
                    .set(s.lag_bytes.unwrap_or(f64::NAN));
            }
            Err(e) => {
                log::warn!("continuity metrics: the primary could not be sampled: {e}");
                for g in [
                    &self.wal_archive_age,
                    &self.standbys,
                    &self.replication_lag_bytes,
                ] {
                    g.set(f64::NAN);
                }
            }
        }
        let lag = match standby {
            Some(pool) => standby_lag(pool).await.unwrap_or_else(|e| {
                log::warn!("continuity metrics: the standby could not be sampled: {e}");
                f64::NAN
            }),
            None => f64::NAN,
        };
        self.replication_lag_seconds.set(lag);
    }

    /// Asks pgBackRest for the stanza's newest backup (a blocking command,
    /// run off the workers' threads).
    pub async fn sample_backups(&self, settings: &Continuity) {
        let Some(stanza) = settings.pgbackrest_stanza.clone() else {
            return;
        };
        let config = settings.pgbackrest_config.clone();
        let age =
            tokio::task::spawn_blocking(move || newest_backup_age(&stanza, config.as_deref()))
                .await
                .map_err(|e| e.to_string())
                .and_then(|r| r);
        match age {
            Ok(age) => self.backup_age.set(age.unwrap_or(f64::NAN)),
            Err(e) => {
                log::warn!("continuity metrics: pgbackrest info failed: {e}");
                self.backup_age.set(f64::NAN);
            }
        }
    }
}

#[derive(QueryableByName)]
struct PrimaryStatus {
    #[diesel(sql_type = Nullable<Double>)]
    archive_age: Option<f64>,
    #[diesel(sql_type = BigInt)]
    archive_failures: i64,
    #[diesel(sql_type = BigInt)]
    standbys: i64,
    #[diesel(sql_type = Nullable<Double>)]
    lag_bytes: Option<f64>,
}

async fn primary_status(pool: &DbPool) -> Result<PrimaryStatus, String> {
    let mut conn = pool.get().await.map_err(|e| e.to_string())?;
    diesel::sql_query(
        "SELECT CASE WHEN current_setting('archive_mode') = 'off' THEN NULL \
                     ELSE extract(epoch FROM now() - last_archived_time)::float8 END AS archive_age, \
                failed_count AS archive_failures, \
                (SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming') AS standbys, \
                (SELECT max(pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn))::float8 \
                   FROM pg_stat_replication) AS lag_bytes \
         FROM pg_stat_archiver",
    )
    .get_result(&mut conn)
    .await
    .map_err(|e| e.to_string())
}

async fn standby_lag(pool: &DbPool) -> Result<f64, String> {
    #[derive(QueryableByName)]
    struct Lag {
        #[diesel(sql_type = Double)]
        lag: f64,
    }
    let mut conn = pool.get().await.map_err(|e| e.to_string())?;
    // Caught up (everything received is replayed) is 0, not the time since
    // the last write: an idle primary is no lag.
    let row: Lag = diesel::sql_query(
        "SELECT CASE WHEN NOT pg_is_in_recovery() \
                       OR pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0 \
                     ELSE coalesce(extract(epoch FROM now() - pg_last_xact_replay_timestamp()), 0) \
                END::float8 AS lag",
    )
    .get_result(&mut conn)
    .await
    .map_err(|e| e.to_string())?;
    Ok(row.lag)
}

/// Seconds since the newest backup of `stanza` finished, from
/// `pgbackrest info --output=json`; `None` when it has none.
pub fn newest_backup_age(stanza: &str, config: Option<&str>) -> Result<Option<f64>, String> {
    let mut command = std::process::Command::new("pgbackrest");
    if let Some(config) = config {
        command.arg(format!("--config={config}"));
    }
    let output = command
        .args([&format!("--stanza={stanza}"), "--output=json", "info"])
        .output()
        .map_err(|e| format!("cannot run pgbackrest: {e}"))?;
    if !output.status.success() {
        return Err(String::from_utf8_lossy(&output.stderr).trim().to_string());
    }
    let info: serde_json::Value =
        serde_json::from_slice(&output.stdout).map_err(|e| e.to_string())?;
    let newest = info
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|s| s["backup"].as_array())
        .flatten()
        .filter_map(|b| b["timestamp"]["stop"].as_i64())
        .max();
    let now = chrono::Utc::now().timestamp();
    Ok(newest.map(|stop| (now - stop).max(0) as f64))
}

/// Samples for as long as the server runs, on pools of its own (one
/// connection each), so sampling never takes a connection a request waits
/// for.
pub fn spawn_sampler(
    gauges: ContinuityGauges,
    settings: Continuity,
    primary: DbPool,
    standby: Option<DbPool>,
) {
    actix_web::rt::spawn(async move {
        let mut tick = tokio::time::interval(SAMPLE_EVERY);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let every = (BACKUP_SAMPLE_EVERY.as_secs() / SAMPLE_EVERY.as_secs()).max(1);
        let mut ticks = 0u64;
        loop {
            tick.tick().await;
            gauges.sample_database(&primary, standby.as_ref()).await;
            if ticks.is_multiple_of(every) {
                gauges.sample_backups(&settings).await;
            }
            ticks += 1;
        }
    });
}
