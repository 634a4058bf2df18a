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
//!   [`BodyBudget`]).
//!
//! Nothing here builds a generic JSON tree of a body: bodies are read
//! straight into their typed shape (or kept as raw JSON text, see
//! [`parse_raw`]), so the memory a request costs is a small multiple of its
//! size.

use std::cell::Cell;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use actix_web::dev::Payload;
use actix_web::http::header::CONTENT_TYPE;
use actix_web::{web, FromRequest, HttpRequest};
use futures_util::future::LocalBoxFuture;
use futures_util::StreamExt;
use serde::de::{DeserializeOwned, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;

use crate::error::{ApiError, FieldError};
use crate::state::AppState;

/// A JSON request body, deserialized with field paths on error. It holds
/// its share of the in-flight body budget until the handler is done with it.
#[derive(Debug)]
pub struct Json<T>(pub T, #[allow(dead_code)] BodyPermit);

/// The bound on request-body bytes held at once across the server, beyond
/// the per-request limit: a burst of large bodies is answered 503 with
/// `Retry-After` instead of taking the process's memory. A body's bytes are
/// counted from its first chunk until its handler finishes.
#[derive(Debug)]
pub struct BodyBudget {
    limit: usize,
    in_use: AtomicUsize,
}

/// Bytes taken from a [`BodyBudget`], given back when dropped.
#[derive(Debug)]
pub struct BodyPermit {
    budget: Option<Arc<BodyBudget>>,
    bytes: usize,
}

/// What a client is told to wait before re-sending a body refused for want
/// of room (seconds).
pub const BODY_RETRY_AFTER_SECS: i64 = 1;

impl BodyBudget {
    pub fn new(limit: usize) -> Arc<Self> {
        Arc::new(BodyBudget {
            limit,
            in_use: AtomicUsize::new(0),
        })
    }

    /// Bytes now held by bodies in flight.
    pub fn in_use(&self) -> usize {
        self.in_use.load(Ordering::Acquire)
    }

    /// Takes `bytes` if they fit, else `None`.
    pub fn try_reserve(self: &Arc<Self>, bytes: usize) -> Option<BodyPermit> {
        let mut permit = BodyPermit {
            budget: Some(self.clone()),
            bytes: 0,
        };
        permit.grow(bytes).then_some(permit)
    }
}

impl BodyPermit {
    /// A permit that counts against nothing (no budget configured).
    fn unbounded() -> Self {
        BodyPermit {
            budget: None,
            bytes: 0,
        }
    }

    /// Takes `more` bytes from the budget; false (and nothing taken) when
    /// they do not fit.
    fn grow(&mut self, more: usize) -> bool {
        let Some(budget) = &self.budget else {
            return true;
        };
        let taken = budget
            .in_use
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |used| {
                used.checked_add(more).filter(|n| *n <= budget.limit)
            })
            .is_ok();
        if taken {
            self.bytes += more;
        }
        taken
    }
}

impl Drop for BodyPermit {
    fn drop(&mut self) {
        if let Some(budget) = &self.budget {
            budget.in_use.fetch_sub(self.bytes, Ordering::AcqRel);
        }
    }
}

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

/// Where a value sits in a body, rendered only when a NUL is found there.
#[derive(Clone, Copy)]
enum At<'a> {
    Root,
    Key(&'a At<'a>, &'a str),
    Index(&'a At<'a>, usize),
}

impl At<'_> {
    /// The path as validation errors name fields: `note`, `details.x`,
    /// `items[3].note`, `body` for the whole body.
    fn render(&self) -> String {
        match self {
            At::Root => String::new(),
            At::Key(parent, key) => {
                let parent = parent.render();
                if parent.is_empty() {
                    key.to_string()
                } else {
                    format!("{parent}.{key}")
                }
            }
            At::Index(parent, i) => {
                let parent = parent.render();
                let parent = if parent.is_empty() {
                    "body".into()
                } else {
                    parent
                };
                format!("{parent}[{i}]")
            }
        }
    }
}

/// Walks JSON text looking for a string or key with a NUL character,
/// building no tree: it stops (with an error) at the first one found.
struct NulFinder<'a> {
    at: At<'a>,
    found: &'a Cell<Option<String>>,
}

impl NulFinder<'_> {
    fn report<E: serde::de::Error>(&self, path: String) -> Result<(), E> {
        self.found
            .set(Some(if path.is_empty() { "body".into() } else { path }));
        Err(E::custom("NUL character"))
    }
}

impl<'de> DeserializeSeed<'de> for NulFinder<'_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, de: D) -> Result<(), D::Error> {
        de.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for NulFinder<'_> {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<(), E> {
        if v.contains('\0') {
            return self.report(self.at.render());
        }
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut i = 0;
        while seq
            .next_element_seed(NulFinder {
                at: At::Index(&self.at, i),
                found: self.found,
            })?
            .is_some()
        {
            i += 1;
        }
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            if key.contains('\0') {
                let at = At::Key(&self.at, &key);
                return self.report(at.render().replace('\0', ""));
            }
            map.next_value_seed(NulFinder {
                at: At::Key(&self.at, &key),
                found: self.found,
            })?;
        }
        Ok(())
    }
}

/// The path of the first string (or key) holding a NUL character, which
/// PostgreSQL cannot store in text; `None` when there is none (or the text
/// is not JSON, which the parse proper reports).
pub fn nul_path(json: &[u8]) -> Option<String> {
    if !json.windows(6).any(|w| w.eq_ignore_ascii_case(b"\\u0000")) {
        return None;
    }
    let found = Cell::new(None);
    let mut de = serde_json::Deserializer::from_slice(json);
    let _ = NulFinder {
        at: At::Root,
        found: &found,
    }
    .deserialize(&mut de);
    found.take()
}

/// The validation problem for a serde error at `path`, named under
/// `prefix`. serde_json's " at line L column C" is dropped: the path says
/// where.
fn data_error(path: &str, message: &str, prefix: &str) -> ApiError {
    let message = message.split(" at line ").next().unwrap_or("").to_string();
    let field = field_path(path, &message);
    let field = match (prefix, field.as_str()) {
        ("", _) => field,
        (p, "body") => p.to_string(),
        (p, f) if f.starts_with('[') => format!("{p}{f}"),
        (p, f) => format!("{p}.{f}"),
    };
    ApiError::Validation(vec![FieldError::new(field, error_code(&message), message)])
}

/// Parses JSON bytes into `T`, mapping errors as the module doc says.
/// Text with a NUL character (`\u0000`) is refused with its field path.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    if let Some(field) = nul_path(bytes) {
        return Err(nul_error(field));
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
            serde_json::error::Category::Data => data_error(&path, &inner.to_string(), ""),
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
                let short = (body.len() + chunk.len()).saturating_sub(permit.bytes);
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
        data_error(&path, &err.into_inner().to_string(), prefix)
    })
}

/// Deserializes one raw JSON value (a batch item, an activity's `details`)
/// into `T`, naming failing fields under `prefix` as
/// [`parse_json_value`] does, without building a JSON tree first.
pub fn parse_raw<T: DeserializeOwned>(raw: &RawValue, prefix: &str) -> Result<T, ApiError> {
    let de = &mut serde_json::Deserializer::from_str(raw.get());
    serde_path_to_error::deserialize(de).map_err(|err| {
        let path = err.path().to_string();
        data_error(&path, &err.into_inner().to_string(), prefix)
    })
}

/// The problem for text holding a NUL character at `field`.
pub fn nul_error(field: String) -> ApiError {
    ApiError::field(
        field,
        "invalid_character",
        "must not contain a NUL character",
    )
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
