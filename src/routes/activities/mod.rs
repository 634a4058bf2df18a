//! `/api/v1/activities`: recording, reading, listing, amending and voiding
//! peer-support activities. Ward scoping everywhere: a record on a ward the
//! caller is not assigned to answers 404 and never appears in a list.
//!
//! One file per URL path: `index` (`/activities`), `by_id`
//! (`/activities/{id}`), and the sub-paths by their last segment. The
//! rules and transactions are in `crate::domain::activities`.

pub mod batch;
pub mod by_id;
pub mod entered_in_error;
pub mod history;
pub mod index;
pub mod leave_confirmation;
