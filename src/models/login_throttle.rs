//! Slowing down password guessing: after too many failures for one
//! username within the lock window, that username is locked for the window.
//! Counted per attempted username whether or not it exists, so the answer
//! never tells which usernames are real.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Integer, Text};
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::schema::login_throttle;

/// When the username's lock ends, if it is locked now.
pub async fn locked_until(
    conn: &mut AsyncPgConnection,
    username: &str,
) -> QueryResult<Option<DateTime<Utc>>> {
    login_throttle::table
        .find(username)
        .select(login_throttle::locked_until)
        .filter(login_throttle::locked_until.gt(diesel::dsl::now))
        .first::<Option<DateTime<Utc>>>(conn)
        .await
        .optional()
        .map(Option::flatten)
}

/// Counts one failure, atomically, and locks when the count reaches `max`.
pub async fn record_failure(
    conn: &mut AsyncPgConnection,
    username: &str,
    max_failures: i32,
    lock_secs: i64,
) -> QueryResult<()> {
    // A window older than the lock period, or an expired lock, starts over.
    diesel::sql_query(
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
                               ELSE NULL END",
    )
    .bind::<Text, _>(username)
    .bind::<Integer, _>(max_failures)
    .bind::<BigInt, _>(lock_secs)
    .execute(conn)
    .await
    .map(|_| ())
}

/// Forgets failures after a successful sign-in.
pub async fn clear(conn: &mut AsyncPgConnection, username: &str) -> QueryResult<()> {
    diesel::delete(login_throttle::table.find(username))
        .execute(conn)
        .await
        .map(|_| ())
}
