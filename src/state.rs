//! What every handler shares: the pool, the token keys, the configuration.

use std::sync::Arc;

use crate::auth::jwt::TokenKeys;
use crate::config::Config;
use crate::db::DbPool;
use crate::extract::BodyBudget;

/// Application state, cloned cheaply into each worker.
#[derive(Clone)]
pub struct AppState {
    pub pool: DbPool,
    pub keys: TokenKeys,
    pub config: Arc<Config>,
    /// Request-body bytes in flight across every worker.
    pub body_budget: Arc<BodyBudget>,
}

impl AppState {
    pub fn new(config: Config, pool: DbPool) -> Self {
        AppState {
            keys: TokenKeys::new(&config),
            body_budget: BodyBudget::new(config.max_inflight_body_bytes),
            pool,
            config: Arc::new(config),
        }
    }
}
