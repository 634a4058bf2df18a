//! `/api/v1/wards`: the wards of the trust. Everyone signed in reads the
//! wards they may see (managers, admins and integrations: all; others: their
//! assignments); only admins create and change them.

mod read;
mod workers;
mod write;

pub use read::*;
pub use workers::*;
pub use write::*;
