//! What every handler shares: the pool, the token keys, the configuration,
//! and the trust's identity provider when one is configured.

use std::sync::Arc;

use crate::body_budget::BodyBudget;
use crate::config::Config;
use crate::db::DbPool;
use crate::identity::device::DeviceKeys;
use crate::identity::jwt::TokenKeys;
use crate::identity::oidc::OidcVerifier;

/// Application state, cloned cheaply into each worker.
#[derive(Clone)]
pub struct AppState {
    /// The primary: every write, and every read that must see the
    /// caller's own writes (a tablet's list after a create, the changes
    /// feed, anything inside a transaction).
    pub pool: DbPool,
    /// The standby's pool (`PEERLOG_DATABASE_READ_URL`), when configured;
    /// use [`AppState::read_pool`].
    pub standby: Option<DbPool>,
    pub keys: TokenKeys,
    pub devices: DeviceKeys,
    /// The provider's discovery and keys, shared by every worker.
    pub oidc: Option<Arc<OidcVerifier>>,
    pub config: Arc<Config>,
    /// Request-body bytes in flight across every worker.
    pub body_budget: Arc<BodyBudget>,
}

impl AppState {
    /// The state; the provider is not asked anything yet (see
    /// [`AppState::warm_up`]).
    pub fn new(config: Config, pool: DbPool) -> Self {
        let oidc = config.oidc.clone().map(|settings| {
            Arc::new(OidcVerifier::new(settings).expect("an HTTP client can be built"))
        });
        AppState {
            keys: TokenKeys::new(config.token_settings()),
            devices: DeviceKeys::new(config.jwt_secret.expose().as_bytes()),
            oidc,
            body_budget: BodyBudget::new(config.max_inflight_body_bytes),
            pool,
            standby: None,
            config: Arc::new(config),
        }
    }

    /// The pool for reads that may lag the primary by the replication
    /// delay: reports, exports and (later) the FHIR bulk export. The
    /// standby's when one is configured, else the primary's.
    pub fn read_pool(&self) -> &DbPool {
        self.standby.as_ref().unwrap_or(&self.pool)
    }

    /// Fetches the provider's discovery document and keys at start. A
    /// provider that cannot be reached is logged, not fatal: password
    /// sign-in keeps working and the fetch is tried again on the first
    /// provider token.
    pub async fn warm_up(&self) {
        if let Some(oidc) = &self.oidc {
            let _ = oidc.refresh().await;
        }
    }
}
