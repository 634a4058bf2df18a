//! The `peerlog` command: serve the API (default), or one of the
//! administrative subcommands.
//!
//! ```text
//! peerlog [serve]                         migrate, optionally load demo data, serve
//! peerlog migrate                         apply pending migrations and exit
//! peerlog demo                            load demo data (development only) and exit
//! peerlog create-admin --username NAME [--display-name TEXT]
//!                                         password from PEERLOG_ADMIN_PASSWORD or stdin
//! peerlog openapi                         print the OpenAPI document
//! peerlog rule-examples                   print the cross-field rules' worked examples
//! ```

use std::io::Read;
use std::process::ExitCode;

use actix_web::HttpServer;
use peerlog::config::{Config, Environment};
use peerlog::metrics::Metrics;
use peerlog::state::AppState;
use peerlog::{db, demo, openapi};

/// jemalloc, with a background thread that gives dirty pages back to the
/// OS a second after they were freed: after a burst of large bodies the
/// process returns to its resting size, which glibc's malloc did not
/// (figures in bench/memory-last-run.txt). `_RJEM_MALLOC_CONF` overrides it.
#[cfg(feature = "jemalloc")]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// jemalloc's options, read before `main` (a C string jemalloc looks up
/// by this name).
#[cfg(feature = "jemalloc")]
#[allow(non_upper_case_globals)]
#[export_name = "_rjem_malloc_conf"]
pub static malloc_conf: Option<&'static std::ffi::c_char> =
    Some(unsafe { &*JEMALLOC_CONF.as_ptr().cast::<std::ffi::c_char>() });

#[cfg(feature = "jemalloc")]
const JEMALLOC_CONF: &[u8] = b"background_thread:true,dirty_decay_ms:1000,muzzy_decay_ms:0\0";

fn usage() -> ExitCode {
    eprintln!(
        "usage: peerlog [serve | migrate | demo | openapi | rule-examples | create-admin --username NAME [--display-name TEXT]]"
    );
    ExitCode::from(2)
}

#[actix_web::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let command = args.first().map(String::as_str).unwrap_or("serve");
    if command == "openapi" {
        print!("{}", openapi::document_json());
        return ExitCode::SUCCESS;
    }
    if command == "rule-examples" {
        print!("{}", peerlog::domain::activities::rules::examples::json());
        return ExitCode::SUCCESS;
    }
    env_logger::Builder::from_env(
        env_logger::Env::default().default_filter_or("info,actix_web_prom=error"),
    )
    .init();
    let config = match Config::from_env() {
        Ok(c) => c,
        Err(e) => {
            log::error!("refusing to start: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = match command {
        "serve" => serve(config).await,
        "migrate" => migrate(&config).await,
        "demo" => load_demo(&config).await,
        "create-admin" => create_admin(&config, &args[1..]).await,
        _ => return usage(),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            log::error!("{e}");
            ExitCode::FAILURE
        }
    }
}

async fn migrate(config: &Config) -> Result<(), String> {
    let url = config.database_url.expose().to_string();
    let applied = db::run_migrations(&url).await?;
    if applied.is_empty() {
        log::info!("database schema is up to date");
    } else {
        log::info!("applied migrations: {}", applied.join(", "));
    }
    Ok(())
}

async fn connect(config: &Config) -> Result<diesel_async::AsyncPgConnection, String> {
    let url = config.database_url.expose().to_string();
    <diesel_async::AsyncPgConnection as diesel_async::AsyncConnection>::establish(&url)
        .await
        .map_err(|e| format!("cannot connect to the database: {e}"))
}

async fn load_demo(config: &Config) -> Result<(), String> {
    if config.environment == Environment::Production {
        return Err("demo data cannot be loaded in production".into());
    }
    migrate(config).await?;
    let mut conn = connect(config).await?;
    let created = demo::load(&mut conn).await?;
    log::info!(
        "demo data loaded ({created} new rows); every demo account's password is {:?}",
        demo::DEMO_PASSWORD
    );
    Ok(())
}

async fn create_admin(config: &Config, args: &[String]) -> Result<(), String> {
    let mut username = None;
    let mut display_name = None;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--username" => username = it.next().cloned(),
            "--display-name" => display_name = it.next().cloned(),
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    let username = username.ok_or("--username is required")?;
    let password = match std::env::var("PEERLOG_ADMIN_PASSWORD") {
        Ok(p) if !p.is_empty() => p,
        _ => {
            let mut input = String::new();
            std::io::stdin()
                .read_to_string(&mut input)
                .map_err(|e| e.to_string())?;
            input.trim_end_matches(['\r', '\n']).to_string()
        }
    };
    migrate(config).await?;
    let mut conn = connect(config).await?;
    let display = display_name.unwrap_or_else(|| username.clone());
    let id = demo::create_admin(&mut conn, &username, &display, password).await?;
    log::info!("created admin {username} ({id})");
    Ok(())
}

async fn serve(config: Config) -> Result<(), String> {
    if config.environment == Environment::Development
        && config.jwt_secret.expose() == peerlog::config::DEV_JWT_SECRET
    {
        log::warn!(
            "using the public development JWT secret: set PEERLOG_JWT_SECRET for anything real"
        );
    }
    migrate(&config).await?;
    if config.load_demo {
        let mut conn = connect(&config).await?;
        let created = demo::load(&mut conn).await?;
        log::info!(
            "demo data ready ({created} new rows); demo password is {:?}",
            demo::DEMO_PASSWORD
        );
    }
    let url = config.database_url.expose().to_string();
    // The compactor has a connection of its own: a request never waits for
    // the pool while a compaction holds one of its connections.
    db::spawn_rollup_compactor(db::pool(&url, 1)?);
    // Bulk Data exports run on a connection of their own too.
    peerlog::jobs::spawn_bulk_exports(db::pool(&url, 1)?, peerlog::jobs::bulk_settings(&config));
    let bind = config.bind.clone();
    let workers = config.workers;
    let per_worker = db::per_worker_pool_size(config.pool_size, workers);
    // Built here too, so that a bad URL stops the start and the workers'
    // own pools below cannot fail to build.
    let read_url = config
        .continuity
        .read_url
        .as_ref()
        .map(|u| u.expose().to_string());
    let has_standby = read_url.is_some();
    let standby = move |size| {
        let url: Option<&String> = read_url.as_ref();
        url.map(|u| db::pool(u, size)).transpose()
    };
    let mut state = AppState::new(config, db::pool(&url, per_worker)?);
    state.standby = standby(per_worker)?;
    state.warm_up().await;
    let metrics = Metrics::new()?;
    peerlog::continuity::spawn_sampler(
        metrics.continuity.clone(),
        state.config.continuity.clone(),
        db::pool(&url, 1)?,
        standby(1)?,
    );
    if has_standby {
        log::info!("reports and exports read from PEERLOG_DATABASE_READ_URL");
    }
    log::info!(
        "peerlog listening on http://{bind} (docs at /docs); {workers} workers, \
         {per_worker} database connections each"
    );
    HttpServer::new(move || {
        // Runs on each worker's own thread. A worker has a pool of its own,
        // whose connections are opened (and their sockets then driven) on
        // that thread: a request never waits for another worker's thread
        // to hand it its database's answer.
        let mut state = state.clone();
        state.pool = db::pool(&url, per_worker).expect("checked at start");
        state.standby = standby(per_worker).expect("checked at start");
        peerlog::app(state, metrics.clone())
    })
    .workers(workers)
    .bind(&bind)
    .map_err(|e| format!("cannot listen on {bind}: {e}"))?
    .run()
    .await
    .map_err(|e| e.to_string())
}
