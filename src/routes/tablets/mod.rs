//! `/api/v1/tablets`: the trust's ward tablets as known devices (admin
//! only): enrol, list, relabel, revoke. The rules and transactions are
//! [`crate::domain::tablets`]'s; the tablet's own side (typing its code,
//! asking whether it is enrolled) is [`crate::routes::auth::tablet`].

pub mod by_id;
pub mod index;
