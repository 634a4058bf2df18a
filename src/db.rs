//! The connection pool and the embedded migrations.

use diesel::Connection;
use diesel_async::async_connection_wrapper::AsyncConnectionWrapper;
use diesel_async::pooled_connection::deadpool::{Object, Pool};
use diesel_async::pooled_connection::{
    AsyncDieselConnectionManager, ManagerConfig, RecyclingMethod,
};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

use crate::error::ApiError;

/// The database pool shared by every worker.
pub type DbPool = Pool<AsyncPgConnection>;
/// A connection checked out of the pool.
pub type DbConn = Object<AsyncPgConnection>;

/// Every migration in `migrations/`, compiled into the binary.
pub const MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations");

/// Builds the pool; connections are opened lazily, so this does not fail
/// when the database is down (`/ready` says so instead).
///
/// Recycling is deadpool's fast kind: a returned connection is checked for
/// a dangling transaction and a closed socket, with no `SELECT 1` round trip
/// before every checkout. A connection the server closed is therefore found
/// out by the first statement that uses it (an error, 503) and dropped when
/// it comes back to the pool.
pub fn pool(database_url: &str, size: usize) -> Result<DbPool, String> {
    let mut config = ManagerConfig::default();
    config.recycling_method = RecyclingMethod::Fast;
    let manager =
        AsyncDieselConnectionManager::<AsyncPgConnection>::new_with_config(database_url, config);
    Pool::builder(manager)
        .max_size(size)
        .wait_timeout(Some(std::time::Duration::from_secs(5)))
        .create_timeout(Some(std::time::Duration::from_secs(5)))
        .runtime(deadpool::Runtime::Tokio1)
        .build()
        .map_err(|e| e.to_string())
}

/// Connections in each worker's pool: the configured total shared out,
/// rounded up, at least one each.
pub fn per_worker_pool_size(total: usize, workers: usize) -> usize {
    total.div_ceil(workers.max(1)).max(1)
}

/// Checks a connection out of the pool; an exhausted or unreachable pool is
/// a 503, never a panic.
pub async fn conn(pool: &DbPool) -> Result<DbConn, ApiError> {
    Ok(pool.get().await?)
}

/// The name of the restore point made just before a migration is applied:
/// `scripts/restore --before-migration VERSION` recovers to it.
pub fn restore_point_before(version: &str) -> String {
    format!("peerlog-before-{version}")
}

/// Applies every pending migration, then stores the shipped measure
/// definitions not yet stored. Runs the migrations on a blocking thread
/// because the migration harness is synchronous; idempotent.
///
/// Before the first pending migration it writes a named restore point to
/// the WAL (see [`restore_point_before`]), so that a migration that turns
/// out wrong can be undone by a point-in-time restore to just before it.
/// Where that is not allowed (not a superuser, `wal_level=minimal`) it says
/// so and migrates all the same.
pub async fn run_migrations(database_url: &str) -> Result<Vec<String>, String> {
    let url = database_url.to_string();
    let applied = tokio::task::spawn_blocking(move || {
        let mut conn = AsyncConnectionWrapper::<AsyncPgConnection>::establish(&url)
            .map_err(|e| format!("cannot connect to the database: {e}"))?;
        let pending = conn
            .pending_migrations(MIGRATIONS)
            .map_err(|e| format!("cannot read the applied migrations: {e}"))?;
        if let Some(first) = <[_]>::first(&pending) {
            let name = restore_point_before(&first.name().version().to_string());
            let query = diesel::sql_query("SELECT pg_create_restore_point($1)::text")
                .bind::<diesel::sql_types::Text, _>(&name);
            let made = diesel::RunQueryDsl::execute(query, &mut conn);
            match made {
                Ok(_) => log::info!("restore point {name} written before migrating"),
                Err(e) => log::warn!("no restore point before migrating ({name}): {e}"),
            }
        }
        conn.run_pending_migrations(MIGRATIONS)
            .map(|applied| applied.iter().map(|m| m.to_string()).collect::<Vec<_>>())
            .map_err(|e| format!("migration failed: {e}"))
    })
    .await
    .map_err(|e| e.to_string())??;
    let mut conn = <AsyncPgConnection as diesel_async::AsyncConnection>::establish(database_url)
        .await
        .map_err(|e| format!("cannot connect to the database: {e}"))?;
    crate::domain::measures::install_shipped(&mut conn)
        .await
        .map_err(|e| format!("shipped measures not installed: {e}"))?;
    Ok(applied)
}

/// How often the background compactor folds the report rollups' pending
/// deltas into their compact rows (see the `rollup_deltas` migration).
pub const ROLLUP_COMPACT_EVERY: std::time::Duration = std::time::Duration::from_secs(1);

/// Folds pending report-rollup deltas into the compact rollups once;
/// returns how many delta rows were moved (0 when another compactor holds
/// the lock). Reports are exact before and after: they add the deltas.
pub async fn compact_rollups(conn: &mut AsyncPgConnection) -> diesel::QueryResult<i64> {
    #[derive(diesel::QueryableByName)]
    struct Moved {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        moved: i64,
    }
    let row: Moved = diesel::sql_query("SELECT report_rollups_compact() AS moved")
        .get_result(conn)
        .await?;
    Ok(row.moved)
}

/// Runs [`compact_rollups`] every [`ROLLUP_COMPACT_EVERY`] for as long as
/// the server runs; a failure is logged and retried on the next tick. Give
/// it a pool of its own (one connection), so that a compaction never holds
/// a connection a request is waiting for.
pub fn spawn_rollup_compactor(pool: DbPool) {
    actix_web::rt::spawn(async move {
        let mut tick = tokio::time::interval(ROLLUP_COMPACT_EVERY);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            let moved = match pool.get().await {
                Ok(mut conn) => compact_rollups(&mut conn).await.map_err(|e| e.to_string()),
                Err(e) => Err(e.to_string()),
            };
            match moved {
                Ok(n) if n > 0 => log::debug!("report rollups: {n} delta rows compacted"),
                Ok(_) => {}
                Err(e) => log::warn!("report rollups not compacted: {e}"),
            }
        }
    });
}
