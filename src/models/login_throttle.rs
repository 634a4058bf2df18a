//! Slowing down password guessing without letting anyone lock a worker out.
//!
//! Every attempt is counted, before its password is checked, against two
//! throttles: the (username, client address) pair and the client address
//! alone; or, when the device presents a device token for that username
//! (see [`crate::identity::device`]), against that device token alone; or,
//! on a ward tablet an admin enrolled (see [`crate::domain::tablets`]),
//! against the (username, tablet) pair alone, never the address. Past
//! `max_failures` in a window, each further failure blocks that throttle
//! for twice as long as the one before (15 s, 30 s, 1 min … up to the
//! window),
//! and attempts while blocked are refused without a password check. So a
//! guesser elsewhere slows only themself, a guesser trying many usernames
//! from one address is slowed across all of them, and the ward's tablet,
//! enrolled or holding its device token, keeps signing in: on an enrolled
//! tablet even a person signing in there for the first time.
//!
//! Throttles are counted whether or not the username exists, so the
//! answers never tell which usernames are real. A row expires one window
//! after its last block or attempt and is deleted, so names a fuzzer sends
//! do not pile up.

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::schema::login_throttle;

/// The throttle's verdict on one sign-in attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attempt {
    /// Counted: check the password.
    Allowed,
    /// Blocked: refuse without checking, until this instant.
    Blocked(DateTime<Utc>),
}

/// The throttle keys one attempt counts against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keys {
    /// (username, client), the device token, or (username, tablet).
    pub client: String,
    /// The client address, unless a known device is signing in.
    pub address: Option<String>,
}

impl Keys {
    /// The keys for an attempt at `username` from `client_ip`, with the id
    /// of a valid device token for that username when one was presented.
    pub fn new(username: &str, client_ip: Option<&str>, device: Option<Uuid>) -> Self {
        let ip = client_ip.unwrap_or("unknown");
        match device {
            Some(id) => Keys {
                client: format!("device:{id}"),
                address: None,
            },
            None => Keys {
                client: format!("user:{username}\u{1f}{ip}"),
                address: Some(format!("address:{ip}")),
            },
        }
    }

    /// The key for an attempt at `username` on an enrolled tablet: that
    /// person on that tablet, whatever the address.
    pub fn on_tablet(username: &str, tablet: Uuid) -> Self {
        Keys {
            client: format!("tablet:{tablet}\u{1f}{username}"),
            address: None,
        }
    }
}

/// The first block, in seconds.
pub const FIRST_DELAY_SECS: i64 = 15;

/// Seconds a throttle stays blocked after its `excess`-th failure beyond
/// the free ones: 15 s, 30 s, 1 min, 2 min … never longer than the window.
pub fn delay_secs(excess: i32, window_secs: i64) -> i64 {
    FIRST_DELAY_SECS
        .checked_shl(excess.clamp(0, 32) as u32)
        .unwrap_or(i64::MAX)
        .min(window_secs)
}

/// Counts one attempt against one throttle, atomically (the row is locked
/// for the check and the count, so parallel guesses cannot slip past the
/// limit).
pub async fn count_attempt(
    conn: &mut AsyncPgConnection,
    key: &str,
    max_failures: i32,
    window_secs: i64,
) -> QueryResult<Attempt> {
    let key = key.to_string();
    conn.transaction::<_, diesel::result::Error, _>(async move |conn| {
        let now = Utc::now();
        diesel::insert_into(login_throttle::table)
            .values((
                login_throttle::key.eq(&key),
                login_throttle::failures.eq(0),
                login_throttle::expires_at.eq(now + Duration::seconds(window_secs)),
            ))
            .on_conflict_do_nothing()
            .execute(conn)
            .await?;
        let (failures, blocked_until, expires_at): (i32, Option<DateTime<Utc>>, DateTime<Utc>) =
            login_throttle::table
                .find(&key)
                .select((
                    login_throttle::failures,
                    login_throttle::blocked_until,
                    login_throttle::expires_at,
                ))
                .for_update()
                .first(conn)
                .await?;
        let (failures, blocked_until) = if expires_at <= now {
            (0, None)
        } else {
            (failures, blocked_until)
        };
        if let Some(until) = blocked_until.filter(|u| *u > now) {
            return Ok(Attempt::Blocked(until));
        }
        let failures = failures + 1;
        let blocked_until = (failures >= max_failures)
            .then(|| now + Duration::seconds(delay_secs(failures - max_failures, window_secs)));
        diesel::update(login_throttle::table.find(&key))
            .set((
                login_throttle::failures.eq(failures),
                login_throttle::blocked_until.eq(blocked_until),
                login_throttle::expires_at
                    .eq(blocked_until.unwrap_or(now) + Duration::seconds(window_secs)),
            ))
            .execute(conn)
            .await?;
        Ok(Attempt::Allowed)
    })
    .await
}

/// After a successful sign-in: forgets the (username, client) or device
/// throttle, and takes the success's own count off the address (whose
/// other failures stay, so a guesser cannot wipe them by signing in to an
/// account of their own).
pub async fn succeeded(conn: &mut AsyncPgConnection, keys: &Keys) -> QueryResult<()> {
    diesel::delete(login_throttle::table.find(&keys.client))
        .execute(conn)
        .await?;
    if let Some(address) = &keys.address {
        diesel::update(login_throttle::table.find(address))
            .filter(login_throttle::failures.gt(0))
            .set(login_throttle::failures.eq(login_throttle::failures - 1))
            .execute(conn)
            .await?;
    }
    Ok(())
}

/// Deletes throttles whose window has ended.
pub async fn expire(conn: &mut AsyncPgConnection) -> QueryResult<usize> {
    diesel::delete(login_throttle::table.filter(login_throttle::expires_at.lt(Utc::now())))
        .execute(conn)
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_double_up_to_the_window() {
        assert_eq!(delay_secs(0, 900), 15);
        assert_eq!(delay_secs(3, 900), 120);
        assert_eq!(delay_secs(10, 900), 900);
        assert_eq!(delay_secs(500, 900), 900);
    }

    #[test]
    fn a_known_device_is_throttled_on_its_own() {
        let device = Uuid::new_v4();
        let k = Keys::new("psw", Some("10.0.0.1"), Some(device));
        assert_eq!(k.client, format!("device:{device}"));
        assert_eq!(k.address, None);
        let k = Keys::new("psw", Some("10.0.0.1"), None);
        assert_eq!(k.address.as_deref(), Some("address:10.0.0.1"));
    }

    #[test]
    fn an_enrolled_tablet_counts_each_person_apart_and_never_the_address() {
        let tablet = Uuid::new_v4();
        let a = Keys::on_tablet("psw", tablet);
        let b = Keys::on_tablet("nurse", tablet);
        assert_ne!(a.client, b.client);
        assert_eq!(a.address, None);
    }
}
