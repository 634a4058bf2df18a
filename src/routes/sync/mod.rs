//! `/api/v1/sync`: feeds for ward tablets catching up after being offline.
//! One file per URL path.

pub mod activities;
pub mod activities_start;
