//! Every HTTP route, registered through utoipa-actix-web so that the
//! OpenAPI document is built from the same registrations that serve
//! requests: a route cannot exist without being documented.

pub mod activities;
pub mod app_config;
pub mod audit;
pub mod auth;
pub mod buddy;
pub mod bulk;
pub mod events;
pub mod exports;
pub mod fhir;
pub mod health;
pub mod integration_clients;
pub mod leaves;
pub mod me;
pub mod measure_responses;
pub mod measures;
pub mod oauth;
pub mod problems;
pub mod reports;
pub mod service_users;
pub mod sync;
pub mod tablets;
pub mod users;
pub mod vocabulary;
pub mod ward_figures;
pub mod wards;
pub mod well_known;

use utoipa_actix_web::{scope, service_config::ServiceConfig};

/// Registers the versioned API and the health endpoints.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(health::health)
        .service(health::ready)
        .service(health::metrics)
        .service(well_known::smart_configuration)
        .service(well_known::fhir_smart_configuration)
        .service(bulk::kick_off::export_everything)
        .service(bulk::kick_off::export_group)
        .service(bulk::status::export_status)
        .service(bulk::status::cancel_export)
        .service(bulk::files::export_file)
        .service(
            scope::scope("/api/v1")
                .service(auth::token::token)
                .service(auth::refresh::refresh)
                .service(auth::logout::logout)
                .service(auth::oidc::oidc_token)
                .service(auth::tablet::enrol_tablet)
                .service(auth::tablet::this_tablet)
                .service(me::me)
                .service(oauth::token::system_token)
                .service(integration_clients::index::list_integration_clients)
                .service(integration_clients::index::register_integration_client)
                .service(integration_clients::by_id::get_integration_client)
                .service(integration_clients::by_id::update_integration_client)
                .service(app_config::app_config)
                .service(wards::index::list_wards)
                .service(wards::index::create_ward)
                .service(wards::by_id::get_ward)
                .service(wards::by_id::update_ward)
                .service(wards::workers::list_ward_workers)
                .service(wards::measures_due::measures_due)
                .service(users::index::list_users)
                .service(users::index::create_user)
                .service(users::by_id::get_user)
                .service(users::by_id::update_user)
                .service(users::wards::set_user_wards)
                .service(tablets::index::list_tablets)
                .service(tablets::index::create_tablet)
                .service(tablets::by_id::update_tablet)
                .service(tablets::by_id::revoke_tablet)
                .service(audit::list_audit)
                .service(vocabulary::vocabulary)
                .service(service_users::index::list_service_users)
                .service(service_users::by_id::get_service_user)
                .service(service_users::by_reference::upsert_service_user)
                .service(service_users::quote_withdrawal::withdraw_quotes)
                .service(measures::index::list_measures)
                .service(measures::index::load_measure)
                .service(measures::by_code::get_measure)
                .service(measure_responses::index::submit_measure_response)
                .service(ward_figures::load_ward_figures)
                .service(ward_figures::list_ward_figures)
                .service(activities::batch::create_activity_batch)
                .service(activities::index::list_activities)
                .service(activities::index::create_activity)
                .service(activities::by_id::get_activity)
                .service(activities::by_id::amend_activity)
                .service(activities::history::activity_history)
                .service(activities::entered_in_error::void_activity)
                .service(activities::leave_confirmation::confirm_leave)
                .service(leaves::index::list_leaves)
                .service(leaves::index::plan_leave)
                .service(leaves::by_id::get_leave)
                .service(leaves::transitions::authorise_leave)
                .service(leaves::transitions::depart_leave)
                .service(leaves::transitions::return_leave)
                .service(leaves::transitions::cancel_leave)
                .service(buddy::cohorts::index::list_cohorts)
                .service(buddy::cohorts::index::create_cohort)
                .service(buddy::cohorts::by_id::get_cohort)
                .service(buddy::cohorts::by_id::update_cohort)
                .service(buddy::students::index::list_students)
                .service(buddy::students::index::create_student)
                .service(buddy::students::by_id::get_student)
                .service(buddy::students::by_id::update_student)
                .service(buddy::buddies::index::list_buddies)
                .service(buddy::buddies::index::create_buddy)
                .service(buddy::buddies::by_id::get_buddy)
                .service(buddy::buddies::by_id::update_buddy)
                .service(buddy::pairings::index::list_pairings)
                .service(buddy::pairings::index::create_pairing)
                .service(buddy::pairings::by_id::get_pairing)
                .service(buddy::pairings::status::transition_pairing)
                .service(buddy::pairings::meetings::list_meetings)
                .service(buddy::pairings::meetings_ics::pairing_calendar)
                .service(buddy::calendar_subscription::subscribe_calendar)
                .service(buddy::calendar_subscription::unsubscribe_calendar)
                .service(buddy::calendar::by_token::subscribed_calendar)
                .service(buddy::pairings::meetings::create_meeting)
                .service(buddy::meetings::by_id::get_meeting)
                .service(buddy::meetings::by_id::update_meeting)
                .service(buddy::meetings::calendar_ics::meeting_calendar)
                .service(buddy::meetings::reflection::get_reflection)
                .service(buddy::meetings::reflection::create_reflection)
                .service(buddy::pairings::feedback::list_feedback)
                .service(buddy::pairings::feedback::create_feedback)
                .service(buddy::reports::cohorts::cohort_report)
                .service(sync::activities_start::sync_activities_start)
                .service(sync::activities::sync_activities)
                .service(events::list_events)
                .service(exports::export_activities)
                .service(reports::activity_summary::activity_summary_report)
                .service(reports::escorted_leave::escorted_leave_report)
                .service(reports::de_escalation::de_escalation_report)
                .service(reports::groups::groups_report)
                .service(reports::overview::ward_overview_report)
                .service(reports::impact::your_say::your_say_report)
                .service(reports::impact::outcomes::outcomes_report)
                .service(reports::impact::ward_context::ward_context_report)
                .service(reports::impact::quotes::quotes_report)
                .service(reports::board::board_report),
        )
        .service(
            scope::scope("/fhir/R4")
                .service(fhir::metadata::metadata)
                .service(fhir::everything::patient_everything)
                .service(fhir::history::vread)
                .service(fhir::history::history)
                .service(fhir::read::read_resource)
                .service(fhir::search::search_type),
        );
}
