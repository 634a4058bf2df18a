//! `/api/v1/service-users`: the people on the wards, synchronised from the
//! trust's system by pseudonymous reference. Reads are ward-scoped, and
//! every read of one person's record is audited.

mod read;
mod upsert;

pub use read::*;
pub use upsert::*;
