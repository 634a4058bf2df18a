//! `/api/v1/users`: accounts and their ward assignments (admin only). The
//! rules and transactions are [`crate::domain::users`]'s.

pub mod by_id;
pub mod index;
pub mod wards;
