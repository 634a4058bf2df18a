//! `/api/v1/buddy/cohorts…`: intakes of students.

pub mod by_id;
pub mod index;
