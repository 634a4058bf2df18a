//! Diesel table definitions, written by hand to match `migrations/`.
//!
//! One file per area of the service, so that the activity, buddy and
//! reporting modules each own their tables. Cross-area joins are declared
//! where the tables meet.

// `activity`, not `activities`: a module may not share its name with the
// `activities` table it exports.
mod activity;
mod buddy;
mod devices;
mod evidence;
mod foundation;
mod integration;

pub use activity::*;
pub use buddy::*;
pub use devices::*;
pub use evidence::*;
pub use foundation::*;
pub use integration::*;
