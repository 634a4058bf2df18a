//! `/api/v1/buddy/pairings…`: pairings, their life, their meetings (as
//! records and as a calendar) and their end-of-pairing feedback.

pub mod by_id;
pub mod feedback;
pub mod index;
pub mod meetings;
pub mod meetings_ics;
pub mod status;
