//! Body and query extractors that answer bad input with problem+json and
//! the JSON path of the field at fault, instead of actix's plain text.
//!
//! - wrong or missing `Content-Type` → 415;
//! - a body over `PEERLOG_MAX_BODY_BYTES` → 413;
//! - JSON that does not parse → 400 `malformed_json`;
//! - JSON of the wrong shape (missing, unknown or mistyped field) → 422
//!   `validation_failed` with `errors[].field`;
//! - a bad query parameter → 400 `invalid_query` with the parameter named;
//! - a bad path parameter → 400 `invalid_path`;
//! - more request-body bytes in flight across the server than
//!   `PEERLOG_MAX_INFLIGHT_BODY_BYTES` → 503 with `Retry-After` (see
//!   [`crate::body_budget::BodyBudget`]).
//!
//! Nothing here builds a generic JSON tree of a body: bodies are read
//! straight into their typed shape (or kept as raw JSON text, see
//! [`parse_raw`]), so the memory a request costs is a small multiple of its
//! size.

use actix_web::dev::Payload;
use actix_web::http::header::CONTENT_TYPE;
use actix_web::{web, FromRequest, HttpRequest};
use futures_util::future::LocalBoxFuture;
use futures_util::StreamExt;
use serde::de::DeserializeOwned;

use crate::body_budget::{BodyPermit, BODY_RETRY_AFTER_SECS};
use crate::error::ApiError;
use crate::json_path::{data_error, field_path, nul_error, nul_path};
use crate::state::AppState;

/// A JSON request body, deserialized with field paths on error. It holds
/// its share of the in-flight body budget until the handler is done with it.
#[derive(Debug)]
pub struct Json<T>(pub T, #[allow(dead_code)] BodyPermit);

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

/// Parses JSON bytes into `T`, mapping errors as the module doc says.
/// Text with a NUL character (`\u0000`) is refused with its field path.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    if let Some(field) = nul_path(bytes) {
        return Err(nul_error(field).into());
    }
    parse_json_unchecked(bytes)
}

/// [`parse_json`] without the NUL check, for callers that check the parts.
fn parse_json_unchecked<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(de).map_err(|err| {
        let path = err.path().to_string();
        let inner = err.into_inner();
        match inner.classify() {
            serde_json::error::Category::Data => data_error(&path, &inner.to_string(), "").into(),
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
        let read = read_json(req, payload, true);
        Box::pin(async move { read.await.map(|(value, permit)| Json(value, permit)) })
    }
}

/// A JSON body whose parts the handler checks one by one for NUL
/// characters (a batch's items, so one bad item is rejected alone); in all
/// else [`Json`].
#[derive(Debug)]
pub struct JsonParts<T>(pub T, #[allow(dead_code)] BodyPermit);

impl<T: DeserializeOwned + 'static> FromRequest for JsonParts<T> {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let read = read_json(req, payload, false);
        Box::pin(async move { read.await.map(|(value, permit)| JsonParts(value, permit)) })
    }
}

/// Reads a JSON body within the per-request limit and the in-flight
/// budget, and parses it into `T`.
fn read_json<T: DeserializeOwned + 'static>(
    req: &HttpRequest,
    payload: &mut Payload,
    check_nul: bool,
) -> LocalBoxFuture<'static, Result<(T, BodyPermit), ApiError>> {
    {
        let state = req.app_data::<web::Data<AppState>>();
        let limit = state.map_or(4 * 1024 * 1024, |s| s.config.max_body_bytes);
        let budget = state.map(|s| s.body_budget.clone());
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
            // A declared length is taken from the budget at once, before a
            // byte is read; a chunked body takes its share chunk by chunk.
            let first = declared.unwrap_or(0);
            let mut permit = match &budget {
                Some(budget) => budget.try_reserve(first).ok_or(ApiError::Busy {
                    retry_after_secs: BODY_RETRY_AFTER_SECS,
                })?,
                None => BodyPermit::unbounded(),
            };
            let mut body = web::BytesMut::with_capacity(first);
            while let Some(chunk) = payload.next().await {
                let chunk = chunk.map_err(|e| ApiError::BadRequest {
                    code: "bad_body",
                    detail: format!("The body could not be read: {e}"),
                })?;
                if body.len() + chunk.len() > limit {
                    return Err(ApiError::PayloadTooLarge);
                }
                let short = (body.len() + chunk.len()).saturating_sub(permit.bytes());
                if short > 0 && !permit.grow(short) {
                    return Err(ApiError::Busy {
                        retry_after_secs: BODY_RETRY_AFTER_SECS,
                    });
                }
                body.extend_from_slice(&chunk);
            }
            if !check_nul {
                return parse_json_unchecked(&body).map(|value| (value, permit));
            }
            let value = parse_json(&body)?;
            Ok((value, permit))
        })
    }
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

/// The `If-Match` header's value, which changes to a record carry (the
/// ETag of the version the caller edited); `None` when absent or not text.
pub fn if_match(req: &HttpRequest) -> Option<String> {
    req.headers()
        .get(actix_web::http::header::IF_MATCH)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
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
