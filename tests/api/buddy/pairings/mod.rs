//! `/api/v1/buddy/pairings…`.

mod index;
mod meetings;
mod meetings_ics;
mod status;
