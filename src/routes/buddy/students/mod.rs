//! `/api/v1/buddy/students…`: the scheme's students.

pub mod by_id;
pub mod index;
