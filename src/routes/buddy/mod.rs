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
