//! Counting a password sign-in attempt against its throttles before the
//! password is checked (see [`crate::models::login_throttle`] for the
//! scheme): the (username, client) pair and the address, or a known
//! device's own.

use diesel_async::AsyncPgConnection;

use crate::domain::{DomainError, DomainResult};
use crate::models::login_throttle::{self, Attempt, Keys};

/// How many failures each throttle allows, and its window
/// (`PEERLOG_LOGIN_*`).
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Failures of one (username, client) pair or device before it waits.
    pub max_failures: i32,
    /// Failures from one address, any usernames, before it waits.
    pub max_failures_per_address: i32,
    /// The longest delay, and how long a throttle is remembered.
    pub window_secs: i64,
}

/// Counts one attempt, atomically per throttle and before the (slow)
/// password check, so parallel guesses cannot slip past the limit; a
/// success takes its count back ([`login_throttle::succeeded`]). Ended
/// throttles are deleted first. Refuses with [`DomainError::Throttled`]
/// while a throttle is blocked.
pub async fn count(conn: &mut AsyncPgConnection, keys: &Keys, limits: &Limits) -> DomainResult<()> {
    login_throttle::expire(conn).await?;
    let window = limits.window_secs;
    let mut verdict =
        login_throttle::count_attempt(conn, &keys.client, limits.max_failures, window).await?;
    if let (Attempt::Allowed, Some(address)) = (verdict, &keys.address) {
        verdict =
            login_throttle::count_attempt(conn, address, limits.max_failures_per_address, window)
                .await?;
    }
    if let Attempt::Blocked(until) = verdict {
        let retry_after_secs = (until - chrono::Utc::now()).num_seconds().max(1);
        return Err(DomainError::Throttled { retry_after_secs });
    }
    Ok(())
}
