//! The documented paths and their methods, so that a request no handler
//! took is answered precisely: 405 with `Allow` when the path exists under
//! other methods, 404 when it does not exist at all.
//!
//! Templates are matched the way a reader of the document would: a literal
//! segment beats a UUID parameter, which beats a free-text parameter; so
//! `/activities/batch` is the batch resource, never an activity whose id is
//! "batch", and `/service-users/<uuid>` is the by-id resource.

use actix_web::http::header::ALLOW;
use actix_web::{web, HttpRequest, HttpResponse};

use crate::error::ApiError;

#[derive(Debug, Clone)]
enum Segment {
    Literal(String),
    Uuid,
    /// Free text, constrained by the parameter's documented pattern if any.
    Text(Option<regex::Regex>),
    /// A parameter followed by a fixed ending, as `{token}.ics`.
    Suffixed(Option<regex::Regex>, String),
}

impl Segment {
    /// How well this template segment matches a concrete one (0: not at all).
    fn score(&self, concrete: &str) -> u32 {
        match self {
            Segment::Literal(l) if l == concrete => 3,
            Segment::Uuid if uuid::Uuid::parse_str(concrete).is_ok() => 2,
            Segment::Text(pattern)
                if !concrete.is_empty()
                    && pattern.as_ref().is_none_or(|p| p.is_match(concrete)) =>
            {
                1
            }
            Segment::Suffixed(pattern, suffix) => match concrete.strip_suffix(suffix.as_str()) {
                Some(stem)
                    if !stem.is_empty() && pattern.as_ref().is_none_or(|p| p.is_match(stem)) =>
                {
                    1
                }
                _ => 0,
            },
            _ => 0,
        }
    }
}

/// Every documented path template with its methods.
#[derive(Debug, Default)]
pub struct RouteTable {
    routes: Vec<(Vec<Segment>, Vec<&'static str>)>,
}

impl RouteTable {
    /// Reads the paths of the OpenAPI document.
    pub fn from_document(api: &utoipa::openapi::OpenApi) -> Self {
        let doc = serde_json::to_value(api).unwrap_or_default();
        let mut routes = Vec::new();
        for (path, item) in doc["paths"].as_object().into_iter().flatten() {
            let mut methods = Vec::new();
            let mut uuid_params = Vec::new();
            let mut patterns = std::collections::HashMap::new();
            for (key, name) in [
                ("get", "GET"),
                ("post", "POST"),
                ("put", "PUT"),
                ("patch", "PATCH"),
                ("delete", "DELETE"),
            ] {
                let Some(op) = item.get(key) else { continue };
                methods.push(name);
                for param in op["parameters"].as_array().into_iter().flatten() {
                    let name = param["name"].as_str().unwrap_or("").to_string();
                    if param["in"] == "path" && param["schema"]["format"] == "uuid" {
                        uuid_params.push(name);
                    } else if let Some(p) = param["schema"]["pattern"]
                        .as_str()
                        .filter(|_| param["in"] == "path")
                    {
                        if let Ok(re) = regex::Regex::new(p) {
                            patterns.insert(name, re);
                        }
                    }
                }
            }
            let segments = path
                .split('/')
                .map(
                    |seg| match seg.strip_prefix('{').and_then(|s| s.split_once('}')) {
                        Some((name, "")) if uuid_params.iter().any(|p| p == name) => Segment::Uuid,
                        Some((name, "")) => Segment::Text(patterns.get(name).cloned()),
                        Some((name, suffix)) => {
                            Segment::Suffixed(patterns.get(name).cloned(), suffix.to_string())
                        }
                        None => Segment::Literal(seg.to_string()),
                    },
                )
                .collect();
            routes.push((segments, methods));
        }
        RouteTable { routes }
    }

    /// The methods of the best-matching template(s) for a concrete path, if
    /// any template matches.
    pub fn allowed(&self, path: &str) -> Option<Vec<&'static str>> {
        let wanted: Vec<&str> = path.split('/').collect();
        let mut best: Option<(Vec<u32>, Vec<&'static str>)> = None;
        for (segments, methods) in &self.routes {
            if segments.len() != wanted.len() {
                continue;
            }
            let scores: Vec<u32> = segments
                .iter()
                .zip(&wanted)
                .map(|(t, c)| t.score(c))
                .collect();
            if scores.contains(&0) {
                continue;
            }
            match &mut best {
                Some((top, m)) if *top == scores => m.extend(methods.iter().copied()),
                Some((top, _)) if *top > scores => {}
                _ => best = Some((scores, methods.clone())),
            }
        }
        best.map(|(_, mut methods)| {
            methods.sort_unstable();
            methods.dedup();
            methods
        })
    }

    /// A 405 answer when the path is documented but not for this method.
    /// Also used when a path parameter fails to parse: if the path is,
    /// strictly, another documented resource (PATCH `/activities/batch`,
    /// GET `/service-users/<a reference>`) the method is what is wrong; if
    /// no template matches strictly, the parameter is (400, by the caller).
    pub fn method_not_allowed(&self, req: &HttpRequest) -> Option<HttpResponse> {
        let methods = self.allowed(req.path())?;
        if methods.is_empty() || methods.contains(&req.method().as_str()) {
            return None;
        }
        Some(
            HttpResponse::MethodNotAllowed()
                .insert_header((ALLOW, methods.join(", ")))
                .finish(),
        )
    }
}

/// Answers requests no route took: 405 with `Allow` when the path exists
/// under another method, 404 otherwise; both problem+json.
pub async fn unmatched(req: HttpRequest, table: web::Data<RouteTable>) -> HttpResponse {
    if let Some(page) = crate::web_app::serve(&req) {
        return page;
    }
    table
        .method_not_allowed(&req)
        .unwrap_or_else(|| actix_web::ResponseError::error_response(&ApiError::NotFound))
}

/// The error answer for a path parameter that does not parse: 405 when the
/// path is really another documented resource (PATCH `/activities/batch`
/// is not an activity called "batch"), 400 `invalid_path` otherwise.
pub fn path_config() -> web::PathConfig {
    web::PathConfig::default().error_handler(|err, req| {
        if let Some(response) = req
            .app_data::<web::Data<RouteTable>>()
            .and_then(|table| table.method_not_allowed(req))
        {
            return actix_web::error::InternalError::from_response("method not allowed", response)
                .into();
        }
        ApiError::BadRequest {
            code: "invalid_path",
            detail: format!("A path parameter is not valid: {err}"),
        }
        .into()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> RouteTable {
        RouteTable::from_document(&crate::openapi::document())
    }

    #[test]
    fn literal_segments_win_over_parameters() {
        let t = table();
        assert_eq!(t.allowed("/api/v1/wards"), Some(vec!["GET", "POST"]));
        assert_eq!(
            t.allowed(&format!("/api/v1/wards/{}", uuid::Uuid::nil())),
            Some(vec!["GET", "PATCH"])
        );
        assert_eq!(t.allowed("/api/v1/wards/not-a-uuid"), None);
        assert_eq!(t.allowed("/api/v1/activities/batch"), Some(vec!["POST"]));
        assert_eq!(t.allowed("/api/v1/nothing"), None);
        let calendar = format!("/api/v1/buddy/calendar/{}.ics", "a".repeat(43));
        assert_eq!(t.allowed(&calendar), Some(vec!["GET"]));
        assert_eq!(t.allowed("/api/v1/buddy/calendar/short.ics"), None);
        assert_eq!(
            t.allowed(&format!(
                "/api/v1/buddy/pairings/{}/meetings.ics",
                uuid::Uuid::nil()
            )),
            Some(vec!["GET"])
        );
    }

    #[test]
    fn a_uuid_segment_prefers_the_uuid_template() {
        let t = table();
        assert_eq!(
            t.allowed(&format!("/api/v1/service-users/{}", uuid::Uuid::nil())),
            Some(vec!["GET"])
        );
        assert_eq!(
            t.allowed("/api/v1/service-users/TRUST-REF-1"),
            Some(vec!["PUT"])
        );
    }
}
