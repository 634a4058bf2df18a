//! What every handler shares: the pool, the token keys, the configuration.

use std::sync::Arc;

use crate::auth::jwt::TokenKeys;
use crate::config::Config;
use crate::db::DbPool;

/// Application state, cloned cheaply into each worker.
#[derive(Clone)]
pub struct AppState {
    pub pool: DbPool,
    pub keys: TokenKeys,
    pub config: Arc<Config>,
}

impl AppState {
    pub fn new(config: Config, pool: DbPool) -> Self {
        AppState {
            keys: TokenKeys::new(&config),
            pool,
            config: Arc::new(config),
        }
    }
}
