//! The integration suite: every test runs the real app, in-process, on a
//! PostgreSQL database of its own. Files mirror the URL tree.

mod common;

mod audit;
mod auth;
mod buddy;
mod errors;
mod health;
mod openapi;
mod users;
mod wards;
