//! Body and query extractors that answer bad input with problem+json and
//! the JSON path of the field at fault, instead of actix's plain text.
//!
//! - wrong or missing `Content-Type` → 415;
//! - a body over `PEERLOG_MAX_BODY_BYTES` → 413;
//! - JSON that does not parse → 400 `malformed_json`;
//! - JSON of the wrong shape (missing, unknown or mistyped field) → 422
//!   `validation_failed` with `errors[].field`;
//! - a bad query parameter → 400 `invalid_query` with the parameter named;
//! - a bad path parameter → 400 `invalid_path`.

use actix_web::dev::Payload;
use actix_web::http::header::CONTENT_TYPE;
use actix_web::{web, FromRequest, HttpRequest};
use futures_util::future::LocalBoxFuture;
use futures_util::StreamExt;
use serde::de::DeserializeOwned;

use crate::error::{ApiError, FieldError};
use crate::state::AppState;

/// A JSON request body, deserialized with field paths on error.
#[derive(Debug)]
pub struct Json<T>(pub T);

impl<T> std::ops::Deref for Json<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

fn is_json(req: &HttpRequest) -> bool {
    let Some(value) = req
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let essence = value
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
}

/// Appends the field named in serde's "missing field `x`" message to the
/// path, which points at the enclosing object (for other errors the path
/// already ends at the field).
fn field_path(path: &str, message: &str) -> String {
    let named = message
        .strip_prefix("missing field `")
        .and_then(|rest| rest.split('`').next());
    match (path, named) {
        (".", Some(name)) | ("", Some(name)) => name.to_string(),
        (p, Some(name)) => format!("{p}.{name}"),
        (".", None) | ("", None) => "body".to_string(),
        (p, None) => p.to_string(),
    }
}

fn error_code(message: &str) -> &'static str {
    if message.starts_with("missing field") {
        "required"
    } else if message.starts_with("unknown field") {
        "unknown_field"
    } else if message.starts_with("unknown variant") {
        "not_allowed"
    } else {
        "invalid_type"
    }
}

/// Finds the path of the first string (or key) holding a NUL character,
/// which PostgreSQL cannot store in text.
fn nul_path(value: &serde_json::Value, path: &str) -> Option<String> {
    let join = |key: &str| {
        if path.is_empty() {
            key.to_string()
        } else {
            format!("{path}.{key}")
        }
    };
    match value {
        serde_json::Value::String(s) if s.contains('\0') => Some(if path.is_empty() {
            "body".into()
        } else {
            path.into()
        }),
        serde_json::Value::Array(items) => items.iter().enumerate().find_map(|(i, v)| {
            nul_path(
                v,
                &format!("{}[{i}]", if path.is_empty() { "body" } else { path }),
            )
        }),
        serde_json::Value::Object(map) => map.iter().find_map(|(k, v)| {
            if k.contains('\0') {
                Some(join(&k.replace('\0', "")))
            } else {
                nul_path(v, &join(k))
            }
        }),
        _ => None,
    }
}

/// Parses JSON bytes into `T`, mapping errors as the module doc says.
/// Text with a NUL character (`\u0000`) is refused with its field path.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    if bytes.windows(6).any(|w| w.eq_ignore_ascii_case(b"\\u0000")) {
        if let Ok(value) = serde_json::from_slice::<serde_json::Value>(bytes) {
            if let Some(field) = nul_path(&value, "") {
                return Err(ApiError::field(
                    field,
                    "invalid_character",
                    "must not contain a NUL character",
                ));
            }
        }
    }
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(de).map_err(|err| {
        let path = err.path().to_string();
        let inner = err.into_inner();
        match inner.classify() {
            serde_json::error::Category::Data => {
                // serde appends " at line L column C"; the path says where.
                let message = inner.to_string();
                let message = message.split(" at line ").next().unwrap_or("").to_string();
                ApiError::Validation(vec![FieldError::new(
                    field_path(&path, &message),
                    error_code(&message),
                    message.clone(),
                )])
            }
            _ => ApiError::BadRequest {
                code: "malformed_json",
                detail: format!("The body is not valid JSON: {inner}"),
            },
        }
    })
}

impl<T: DeserializeOwned + 'static> FromRequest for Json<T> {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let limit = req
            .app_data::<web::Data<AppState>>()
            .map_or(4 * 1024 * 1024, |s| s.config.max_body_bytes);
        let json = is_json(req);
        let declared = req
            .headers()
            .get(actix_web::http::header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<usize>().ok());
        let mut payload = payload.take();
        Box::pin(async move {
            if !json {
                return Err(ApiError::UnsupportedMediaType);
            }
            if declared.is_some_and(|n| n > limit) {
                return Err(ApiError::PayloadTooLarge);
            }
            let mut body = web::BytesMut::new();
            while let Some(chunk) = payload.next().await {
                let chunk = chunk.map_err(|e| ApiError::BadRequest {
                    code: "bad_body",
                    detail: format!("The body could not be read: {e}"),
                })?;
                if body.len() + chunk.len() > limit {
                    return Err(ApiError::PayloadTooLarge);
                }
                body.extend_from_slice(&chunk);
            }
            parse_json(&body).map(Json)
        })
    }
}

/// Deserializes an already-parsed JSON value into `T`, naming failing
/// fields under `prefix` (e.g. `details`), for bodies whose inner shape
/// depends on another field (an activity's `details` on its `kind`) and
/// for the items of a batch.
pub fn parse_json_value<T: DeserializeOwned>(
    value: serde_json::Value,
    prefix: &str,
) -> Result<T, ApiError> {
    serde_path_to_error::deserialize(value).map_err(|err| {
        let path = err.path().to_string();
        let message = err.into_inner().to_string();
        let field = field_path(&path, &message);
        let field = match (prefix, field.as_str()) {
            ("", _) => field,
            (p, "body") => p.to_string(),
            (p, f) => format!("{p}.{f}"),
        };
        ApiError::Validation(vec![FieldError::new(field, error_code(&message), message)])
    })
}

/// Query parameters, deserialized with the parameter named on error.
#[derive(Debug)]
pub struct Query<T>(pub T);

impl<T> std::ops::Deref for Query<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

/// Parses a query string into `T`.
pub fn parse_query<T: DeserializeOwned>(query: &str) -> Result<T, ApiError> {
    if let Some((name, _)) =
        form_urlencoded_parse(query).find(|(k, v)| k.contains('\0') || v.contains('\0'))
    {
        return Err(ApiError::field(
            name.replace('\0', ""),
            "invalid_character",
            "must not contain a NUL character",
        ));
    }
    let de = serde_urlencoded::Deserializer::new(form_urlencoded_parse(query));
    serde_path_to_error::deserialize(de).map_err(|err| {
        let path = err.path().to_string();
        let message = err.into_inner().to_string();
        let field = field_path(&path, &message);
        ApiError::BadRequest {
            code: "invalid_query",
            detail: if field == "body" {
                format!("Query parameters are not valid: {message}")
            } else {
                format!("Query parameter `{field}` is not valid: {message}")
            },
        }
    })
}

fn form_urlencoded_parse(query: &str) -> form_urlencoded::Parse<'_> {
    form_urlencoded::parse(query.as_bytes())
}

impl<T: DeserializeOwned> FromRequest for Query<T> {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(parse_query(req.query_string()).map(Query))
    }
}

/// The error answer for a path parameter that does not parse: 405 when the
/// path is really another documented resource (PATCH `/activities/batch`
/// is not an activity called "batch"), 400 `invalid_path` otherwise.
pub fn path_config() -> web::PathConfig {
    web::PathConfig::default().error_handler(|err, req| {
        if let Some(response) = req
            .app_data::<web::Data<crate::routes::RouteTable>>()
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
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Outer {
        name: String,
        inner: Inner,
    }
    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Inner {
        count: u32,
    }

    fn field_of(err: ApiError) -> (String, String) {
        match err {
            ApiError::Validation(errors) => (errors[0].field.clone(), errors[0].code.clone()),
            other => panic!("expected validation error, got {other:?}"),
        }
    }

    #[test]
    fn json_errors_name_the_field() {
        let e = parse_json::<Outer>(br#"{"name":"a","inner":{"count":"x"}}"#).unwrap_err();
        assert_eq!(field_of(e), ("inner.count".into(), "invalid_type".into()));
        let e = parse_json::<Outer>(br#"{"name":"a","inner":{}}"#).unwrap_err();
        assert_eq!(field_of(e), ("inner.count".into(), "required".into()));
        let e = parse_json::<Outer>(br#"{"name":"a","inner":{"count":1},"x":1}"#).unwrap_err();
        assert_eq!(field_of(e), ("x".into(), "unknown_field".into()));
        let e = parse_json::<Outer>(br#"{"name":"a""#).unwrap_err();
        assert_eq!(e.code(), "malformed_json");
        let e = parse_json::<Outer>(br#"{"name":"a\u0000b","inner":{"count":1}}"#).unwrap_err();
        assert_eq!(field_of(e), ("name".into(), "invalid_character".into()));
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Q {
        limit: Option<u32>,
    }

    #[test]
    fn query_errors_name_the_parameter() {
        let e = parse_query::<Q>("limit=ten").unwrap_err();
        match e {
            ApiError::BadRequest { code, detail } => {
                assert_eq!(code, "invalid_query");
                assert!(detail.contains("`limit`"), "{detail}");
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(parse_query::<Q>("limit=10").unwrap().limit, Some(10));
        assert_eq!(
            parse_query::<Q>("other=%00").unwrap_err().code(),
            "validation_failed"
        );
    }
}
