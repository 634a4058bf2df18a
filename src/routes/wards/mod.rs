//! `/api/v1/wards`: the wards of the trust. Everyone signed in reads the
//! wards they may see (managers, admins and integrations: all; others: their
//! assignments); only admins create and change them, by the rules of
//! [`crate::domain::wards`].

pub mod by_id;
pub mod index;
pub mod measures_due;
pub mod workers;
