//! Reading JSON into typed values with the JSON path of the field at
//! fault: serde errors become [`FieldError`]s naming `details.x` or
//! `items[3].note`, and text PostgreSQL cannot store (a NUL character) is
//! found without building a JSON tree. Used by the HTTP extractors and by
//! the domain rules that parse a part of a body whose shape depends on
//! another field (an activity's `details` on its `kind`).

use std::cell::Cell;

use serde::de::{DeserializeOwned, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;

use crate::validate::FieldError;

/// Appends the field named in serde's "missing field `x`" message to the
/// path, which points at the enclosing object (for other errors the path
/// already ends at the field).
pub fn field_path(path: &str, message: &str) -> String {
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
pub fn data_error(path: &str, message: &str, prefix: &str) -> FieldError {
    let message = message.split(" at line ").next().unwrap_or("").to_string();
    let field = field_path(path, &message);
    let field = match (prefix, field.as_str()) {
        ("", _) => field,
        (p, "body") => p.to_string(),
        (p, f) if f.starts_with('[') => format!("{p}{f}"),
        (p, f) => format!("{p}.{f}"),
    };
    FieldError::new(field, error_code(&message), message)
}

/// Deserializes an already-parsed JSON value into `T`, naming failing
/// fields under `prefix` (e.g. `details`), for bodies whose inner shape
/// depends on another field (an activity's `details` on its `kind`) and
/// for the items of a batch.
pub fn parse_json_value<T: DeserializeOwned>(
    value: serde_json::Value,
    prefix: &str,
) -> Result<T, FieldError> {
    serde_path_to_error::deserialize(value).map_err(|err| {
        let path = err.path().to_string();
        data_error(&path, &err.into_inner().to_string(), prefix)
    })
}

/// Deserializes one raw JSON value (a batch item, an activity's `details`)
/// into `T`, naming failing fields under `prefix` as
/// [`parse_json_value`] does, without building a JSON tree first.
pub fn parse_raw<T: DeserializeOwned>(raw: &RawValue, prefix: &str) -> Result<T, FieldError> {
    let de = &mut serde_json::Deserializer::from_str(raw.get());
    serde_path_to_error::deserialize(de).map_err(|err| {
        let path = err.path().to_string();
        data_error(&path, &err.into_inner().to_string(), prefix)
    })
}

/// The problem for text holding a NUL character at `field`.
pub fn nul_error(field: String) -> FieldError {
    FieldError::new(
        field,
        "invalid_character",
        "must not contain a NUL character",
    )
}
