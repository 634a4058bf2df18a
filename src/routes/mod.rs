//! Every HTTP route, registered through utoipa-actix-web so that the
//! OpenAPI document is built from the same registrations that serve
//! requests: a route cannot exist without being documented.

pub mod audit;
pub mod auth;
pub mod buddy;
pub mod health;
pub mod me;
pub mod users;
pub mod wards;

use actix_web::http::header::ALLOW;
use actix_web::{web, HttpRequest, HttpResponse};
use utoipa_actix_web::{scope, service_config::ServiceConfig};

use crate::error::ApiError;

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
                .service(buddy::create_meeting)
                .service(buddy::get_meeting)
                .service(buddy::update_meeting)
                .service(buddy::get_reflection)
                .service(buddy::create_reflection)
                .service(buddy::list_feedback)
                .service(buddy::create_feedback)
                .service(buddy::cohort_report),
        );
}

/// The documented paths and their methods, to tell "no such path" (404)
/// from "no such method on this path" (405 with `Allow`).
#[derive(Debug, Default)]
pub struct RouteTable {
    routes: Vec<(Vec<String>, Vec<&'static str>)>,
}

impl RouteTable {
    /// Reads the paths of the OpenAPI document.
    pub fn from_document(api: &utoipa::openapi::OpenApi) -> Self {
        let routes = api
            .paths
            .paths
            .iter()
            .map(|(path, item)| {
                let segments = path.split('/').map(str::to_string).collect();
                let mut methods = Vec::new();
                for (present, name) in [
                    (item.get.is_some(), "GET"),
                    (item.post.is_some(), "POST"),
                    (item.put.is_some(), "PUT"),
                    (item.patch.is_some(), "PATCH"),
                    (item.delete.is_some(), "DELETE"),
                ] {
                    if present {
                        methods.push(name);
                    }
                }
                (segments, methods)
            })
            .collect();
        RouteTable { routes }
    }

    /// The methods allowed on a concrete path, if the path is known.
    pub fn allowed(&self, path: &str) -> Option<Vec<&'static str>> {
        let wanted: Vec<&str> = path.split('/').collect();
        let mut found: Option<Vec<&'static str>> = None;
        for (segments, methods) in &self.routes {
            let matches = segments.len() == wanted.len()
                && segments.iter().zip(&wanted).all(|(pattern, seg)| {
                    pattern == seg || (pattern.starts_with('{') && !seg.is_empty())
                });
            if matches {
                found
                    .get_or_insert_with(Vec::new)
                    .extend(methods.iter().copied());
            }
        }
        found
    }
}

/// Answers requests no route took: 405 with `Allow` when the path exists
/// under another method, 404 otherwise; both problem+json.
pub async fn unmatched(req: HttpRequest, table: web::Data<RouteTable>) -> HttpResponse {
    match table.allowed(req.path()) {
        Some(methods) if !methods.is_empty() => {
            let mut allow = methods;
            allow.sort_unstable();
            allow.dedup();
            HttpResponse::MethodNotAllowed()
                .insert_header((ALLOW, allow.join(", ")))
                .finish()
        }
        _ => actix_web::ResponseError::error_response(&ApiError::NotFound),
    }
}
