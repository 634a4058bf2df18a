//! `/api/v1/users`: accounts and their ward assignments (admin only).

mod read;
mod write;

pub use read::*;
pub use write::*;
