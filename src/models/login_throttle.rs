//! Slowing down password guessing: after too many failures for one
//! username within the lock window, that username is locked for the window.
//! Counted per attempted username whether or not it exists, so the answer
//! never tells which usernames are real.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Integer, Text};
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::schema::login_throttle;

/// The throttle's verdict on one sign-in attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attempt {
    /// Within the limit: check the password.
    Allowed,
    /// Over the limit: refuse without checking, until this instant.
    Locked(DateTime<Utc>),
}

#[derive(QueryableByName)]
struct Counted {
    #[diesel(sql_type = Integer)]
    failures: i32,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Timestamptz>)]
    locked_until: Option<DateTime<Utc>>,
}

/// Counts an attempt before its password is checked, in one atomic
/// statement on the username's row, so parallel guesses cannot slip past
/// the limit: the first `max_failures` attempts of a window are allowed
/// (the last of them sets the lock), later ones are refused. A success
/// then [`clear`]s the count. A window older than the lock period, or an
/// expired lock, starts over.
pub async fn count_attempt(
    conn: &mut AsyncPgConnection,
    username: &str,
    max_failures: i32,
    lock_secs: i64,
) -> QueryResult<Attempt> {
    let counted: Counted = diesel::sql_query(
        "INSERT INTO login_throttle AS t (username, failures, window_start, locked_until)
         VALUES ($1, 1, now(),
                 CASE WHEN $2 <= 1 THEN now() + make_interval(secs => $3) END)
         ON CONFLICT (username) DO UPDATE SET
           failures = CASE WHEN t.window_start < now() - make_interval(secs => $3)
                             OR t.locked_until <= now()
                           THEN 1 ELSE t.failures + 1 END,
           window_start = CASE WHEN t.window_start < now() - make_interval(secs => $3)
                                 OR t.locked_until <= now()
                               THEN now() ELSE t.window_start END,
           locked_until = CASE WHEN (CASE WHEN t.window_start < now() - make_interval(secs => $3)
                                            OR t.locked_until <= now()
                                          THEN 1 ELSE t.failures + 1 END) >= $2
                               THEN now() + make_interval(secs => $3)
                               ELSE NULL END
         RETURNING failures, locked_until",
    )
    .bind::<Text, _>(username)
    .bind::<Integer, _>(max_failures)
    .bind::<BigInt, _>(lock_secs)
    .get_result(conn)
    .await?;
    Ok(match counted.locked_until {
        Some(until) if counted.failures > max_failures => Attempt::Locked(until),
        _ => Attempt::Allowed,
    })
}

/// Forgets failures after a successful sign-in.
pub async fn clear(conn: &mut AsyncPgConnection, username: &str) -> QueryResult<()> {
    diesel::delete(login_throttle::table.find(username))
        .execute(conn)
        .await
        .map(|_| ())
}
