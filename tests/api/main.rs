//! The integration suite: every test runs the real app, in-process, on a
//! PostgreSQL database of its own. Files mirror the URL tree.

mod common;

mod activities;
mod app_config;
mod audit;
mod auth;
mod buddy;
mod demo;
mod errors;
mod events;
mod exports;
mod health;
mod measures;
mod oidc;
mod openapi;
mod reports;
mod service_users;
mod sync;
mod users;
mod vocabulary;
mod wards;
mod web_app;
