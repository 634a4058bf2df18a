//! `/api/v1/leaves`: escorted leave as it happens on the ward. A worker
//! plans it, a nurse on the ward authorises it, the worker records leaving
//! and coming back (which records the escorted-leave activity), or either
//! cancels it before anyone leaves. Ward scoping everywhere: leave on a
//! ward the caller is not assigned to answers 404 and is never listed.
//! The state machine is `crate::domain::leave`.
//!
//! One file per URL path: `index` (`/leaves`), `by_id` (`/leaves/{id}`),
//! and `transitions` (`/leaves/{id}/authorise|depart|return|cancel`).

pub mod by_id;
pub mod index;
pub mod transitions;
