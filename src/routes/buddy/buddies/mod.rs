//! `/api/v1/buddy/buddies…`: the scheme's buddies (service users and carers).

pub mod by_id;
pub mod index;
