//! Every HTTP route, registered through utoipa-actix-web so that the
//! OpenAPI document is built from the same registrations that serve
//! requests: a route cannot exist without being documented.

pub mod activities;
pub mod audit;
pub mod auth;
pub mod health;
pub mod me;
pub mod service_users;
pub mod users;
pub mod vocabulary;
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
