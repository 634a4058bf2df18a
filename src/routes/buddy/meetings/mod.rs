//! `/api/v1/buddy/meetings/{id}…`: one meeting, its calendar and its
//! reflection.

pub mod by_id;
pub mod calendar_ics;
pub mod reflection;
