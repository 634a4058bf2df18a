//! `/api/v1/buddy/calendar/…`: subscribed calendars.

pub mod by_token;
