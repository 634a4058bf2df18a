//! Every HTTP route, registered through utoipa-actix-web so that the
//! OpenAPI document is built from the same registrations that serve
//! requests: a route cannot exist without being documented.

pub mod activities;
pub mod app_config;
pub mod audit;
pub mod auth;
pub mod buddy;
pub mod events;
pub mod exports;
pub mod health;
pub mod me;
pub mod reports;
pub mod service_users;
pub mod sync;
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
                .service(auth::oidc::oidc_token)
                .service(me::me)
                .service(app_config::app_config)
                .service(wards::list_wards)
                .service(wards::create_ward)
                .service(wards::get_ward)
                .service(wards::update_ward)
                .service(wards::list_ward_workers)
                .service(users::list_users)
                .service(users::create_user)
                .service(users::get_user)
                .service(users::update_user)
                .service(users::set_user_wards)
                .service(audit::list_audit)
                .service(vocabulary::vocabulary)
                .service(service_users::index::list_service_users)
                .service(service_users::by_id::get_service_user)
                .service(service_users::by_reference::upsert_service_user)
                .service(activities::batch::create_activity_batch)
                .service(activities::index::list_activities)
                .service(activities::index::create_activity)
                .service(activities::by_id::get_activity)
                .service(activities::by_id::amend_activity)
                .service(activities::history::activity_history)
                .service(activities::entered_in_error::void_activity)
                .service(activities::leave_confirmation::confirm_leave)
                .service(buddy::list_cohorts)
                .service(buddy::create_cohort)
                .service(buddy::get_cohort)
                .service(buddy::update_cohort)
                .service(buddy::list_students)
                .service(buddy::create_student)
                .service(buddy::get_student)
                .service(buddy::update_student)
                .service(buddy::list_buddies)
                .service(buddy::create_buddy)
                .service(buddy::get_buddy)
                .service(buddy::update_buddy)
                .service(buddy::list_pairings)
                .service(buddy::create_pairing)
                .service(buddy::get_pairing)
                .service(buddy::transition_pairing)
                .service(buddy::list_meetings)
                .service(buddy::pairing_calendar)
                .service(buddy::subscribe_calendar)
                .service(buddy::unsubscribe_calendar)
                .service(buddy::subscribed_calendar)
                .service(buddy::create_meeting)
                .service(buddy::get_meeting)
                .service(buddy::update_meeting)
                .service(buddy::get_reflection)
                .service(buddy::create_reflection)
                .service(buddy::list_feedback)
                .service(buddy::create_feedback)
                .service(buddy::cohort_report)
                .service(sync::activities::sync_activities)
                .service(events::list_events)
                .service(exports::export_activities)
                .service(reports::activity_summary_report)
                .service(reports::escorted_leave_report)
                .service(reports::de_escalation_report)
                .service(reports::groups_report)
                .service(reports::ward_overview_report),
        );
}
