//! `/api/v1/sync`: one file per URL.

mod activities;
mod activities_start;
