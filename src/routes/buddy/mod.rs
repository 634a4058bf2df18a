//! `/api/v1/buddy/…`: the Buddy Scheme. A `buddy_coordinator` manages all
//! of it; a `manager` reads all of it; a student or buddy with an account
//! (`buddy_student`, `buddy_volunteer`) sees and writes only their own
//! pairings' records, and anything else answers 404 to them. Other roles
//! are refused (403).
//!
//! The tree mirrors the URLs: a folder per resource, a file per path named
//! after its last literal segment (`index.rs` for the collection, `by_id.rs`
//! for `{id}`). Handlers check the role set (`auth::policy`) and call
//! `domain::buddy`, which holds the rules, the scopes and the transactions.

pub mod buddies;
pub mod calendar;
pub mod calendar_subscription;
pub mod cohorts;
pub mod meetings;
pub mod pairings;
pub mod reports;
pub mod students;

use actix_web::HttpResponse;
use diesel_async::AsyncPgConnection;

use crate::access::{Actor, Role};
use crate::auth::CurrentUser;
use crate::domain::DomainResult;
use crate::error::ApiResult;
use crate::state::AppState;

/// What the directory handlers (`cohorts`, `students`, `buddies` by id)
/// share: refuse unless the caller holds one of `roles`, call the domain
/// with the request's connection and the caller as actor, answer 200 with
/// its result.
pub(crate) async fn answer<T: serde::Serialize>(
    state: &AppState,
    user: &CurrentUser,
    roles: &[Role],
    call: impl AsyncFnOnce(&mut AsyncPgConnection, &Actor) -> DomainResult<T>,
) -> ApiResult<HttpResponse> {
    user.require(roles)?;
    let mut conn = user.conn(&state.pool).await?;
    let found = call(&mut conn, &user.actor()).await?;
    Ok(HttpResponse::Ok().json(found))
}
