//! `/api/v1/buddy/meetings/{id}…`.

mod by_id;
mod calendar_ics;
