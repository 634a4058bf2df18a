//! The integration suite: every test runs the real app, in-process, on a
//! PostgreSQL database of its own. Files mirror the URL tree.

mod common;

mod activities;
mod app_config;
mod audit;
mod auth;
mod buddy;
mod bulk;
mod demo;
mod errors;
mod events;
mod exports;
mod fhir;
mod health;
mod integration_clients;
mod leaves;
mod measures;
mod oauth;
mod oidc;
mod openapi;
mod read_pool;
mod reports;
mod schema;
mod service_users;
mod sync;
mod tablets;
mod users;
mod vocabulary;
mod wards;
mod web_app;
