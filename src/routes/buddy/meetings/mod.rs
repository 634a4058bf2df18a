//! `/api/v1/buddy/meetings/{id}…`: one meeting and its reflection.

pub mod by_id;
pub mod reflection;
