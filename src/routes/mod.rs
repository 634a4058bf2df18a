//! Every HTTP route, registered through utoipa-actix-web so that the
//! OpenAPI document is built from the same registrations that serve
//! requests: a route cannot exist without being documented.

pub mod activities;
pub mod audit;
pub mod auth;
pub mod health;
pub mod me;
pub mod route_table;
pub mod service_users;
pub mod users;
pub mod vocabulary;
pub mod wards;

use utoipa_actix_web::{scope, service_config::ServiceConfig};

/// Registers the versioned API and the health endpoints.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(health::health)
        .service(health::ready)
        .service(health::metrics)
        .service(
            scope::scope("/api/v1")
                .service(auth::token::token)
                .service(auth::refresh::refresh)
                .service(auth::logout::logout)
                .service(me::me)
                .service(wards::list_wards)
                .service(wards::create_ward)
                .service(wards::get_ward)
                .service(wards::update_ward)
                .service(users::list_users)
                .service(users::create_user)
                .service(users::get_user)
                .service(users::update_user)
                .service(users::set_user_wards)
                .service(audit::list_audit)
                .service(vocabulary::vocabulary)
                .service(service_users::list_service_users)
                .service(service_users::get_service_user)
                .service(service_users::upsert_service_user)
                .service(activities::create_activity_batch)
                .service(activities::list_activities)
                .service(activities::create_activity)
                .service(activities::get_activity)
                .service(activities::amend_activity)
                .service(activities::activity_history)
                .service(activities::void_activity),
        );
}

pub use route_table::{unmatched, RouteTable};
