//! Reading a new activity from its JSON text, field by field, with no JSON
//! tree of the body: the top-level fields are kept as raw text, the kind is
//! read first, then `details` straight into the kind's own shape, then the
//! common fields. A batch item is read the same way, alone. The fields at
//! fault are named as the rest of the API names them.

use std::cell::RefCell;

use serde::de::{DeserializeOwned, DeserializeSeed, MapAccess, Visitor};
use serde_json::value::RawValue;

use super::input::NewActivity;
use crate::json_path::{nul_error, nul_path, parse_raw};
use crate::models::activity::{ActivityDetails, ActivityKind};
use crate::validate::FieldError;

/// The top-level fields of a new activity; anything else is refused.
const FIELDS: [&str; 10] = [
    "id",
    "ward_id",
    "started_at",
    "ended_at",
    "duration_minutes",
    "co_worker_ids",
    "service_user_ids",
    "note",
    "kind",
    "details",
];

/// Each top-level field's raw text, by its place in [`FIELDS`]; the last
/// of a repeated key wins, as in a JSON object read whole.
type Fields<'a> = [Option<&'a RawValue>; FIELDS.len()];

/// Reads an object's top-level fields as raw text, stopping at the first
/// key that is not a field (whose name it leaves in `unknown`).
struct TopLevel<'u> {
    unknown: &'u RefCell<Option<String>>,
}

impl<'de> DeserializeSeed<'de> for TopLevel<'_> {
    type Value = Fields<'de>;
    fn deserialize<D: serde::Deserializer<'de>>(self, de: D) -> Result<Fields<'de>, D::Error> {
        de.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for TopLevel<'_> {
    type Value = Fields<'de>;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("an object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Fields<'de>, A::Error> {
        let mut fields: Fields<'de> = [None; FIELDS.len()];
        while let Some(key) = map.next_key::<String>()? {
            let Some(place) = FIELDS.iter().position(|f| *f == key) else {
                *self.unknown.borrow_mut() = Some(key);
                return Err(serde::de::Error::custom("unknown field"));
            };
            fields[place] = Some(map.next_value()?);
        }
        Ok(fields)
    }
}

/// One common field, typed, named by itself on error; `None` when absent.
fn field<T: DeserializeOwned>(fields: &Fields, name: &str) -> Result<Option<T>, FieldError> {
    let place = FIELDS.iter().position(|f| *f == name).unwrap_or(0);
    fields[place]
        .map(|raw| parse_raw::<Option<T>>(raw, name))
        .transpose()
        .map(Option::flatten)
}

/// A field that must be present (and not null).
fn required<T: DeserializeOwned>(fields: &Fields, name: &str) -> Result<T, FieldError> {
    field(fields, name)?
        .ok_or_else(|| FieldError::new(name, "required", format!("missing field `{name}`")))
}

impl NewActivity {
    /// Reads a new activity from its raw JSON text, naming the field at
    /// fault: an unknown field first, then `kind`, then `details.<field>`,
    /// then a common field. Text with a NUL character is refused with its
    /// path.
    pub fn from_raw(raw: &RawValue) -> Result<Self, FieldError> {
        if let Some(path) = nul_path(raw.get().as_bytes()) {
            return Err(nul_error(path));
        }
        let unknown = RefCell::new(None);
        let mut de = serde_json::Deserializer::from_str(raw.get());
        let fields = match (TopLevel { unknown: &unknown }).deserialize(&mut de) {
            Ok(fields) => fields,
            Err(_) => {
                return Err(match unknown.into_inner() {
                    Some(name) => {
                        FieldError::new(name, "unknown_field", "not a field of an activity")
                    }
                    None => FieldError::new("body", "invalid_type", "expected an object"),
                })
            }
        };
        let kind: ActivityKind = field(&fields, "kind").ok().flatten().ok_or_else(|| {
            FieldError::new(
                "kind",
                "not_allowed",
                "one of the kinds in /api/v1/vocabulary",
            )
        })?;
        let details = fields[FIELDS.len() - 1]
            .ok_or_else(|| FieldError::new("details", "required", "missing field `details`"))?;
        let details = ActivityDetails::parse_raw(kind, details)?;
        Ok(NewActivity {
            id: field(&fields, "id")?,
            ward_id: required(&fields, "ward_id")?,
            started_at: required(&fields, "started_at")?,
            ended_at: field(&fields, "ended_at")?,
            duration_minutes: field(&fields, "duration_minutes")?,
            co_worker_ids: field(&fields, "co_worker_ids")?.unwrap_or_default(),
            service_user_ids: field(&fields, "service_user_ids")?.unwrap_or_default(),
            note: field(&fields, "note")?,
            details,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(json: &str) -> Result<NewActivity, FieldError> {
        NewActivity::from_raw(&RawValue::from_string(json.to_string()).unwrap())
    }

    fn fault(json: &str) -> (String, String) {
        let error = read(json).unwrap_err();
        (error.field, error.code)
    }

    const GOOD: &str = r#"{"ward_id":"0190a3c4-0000-7000-8000-000000000001",
        "started_at":"2025-01-01T10:00:00Z","duration_minutes":30,
        "kind":"staff_support","details":{"reason":"stress","staff_count":2}}"#;

    #[test]
    fn reads_a_good_body_and_names_the_field_at_fault() {
        let body = read(GOOD).unwrap();
        assert_eq!(body.duration_minutes, Some(30));
        assert_eq!(body.details.kind(), ActivityKind::StaffSupport);
        let unknown = GOOD.replacen('{', r#"{"zzz":[0,0,0],"#, 1);
        assert_eq!(fault(&unknown), ("zzz".into(), "unknown_field".into()));
        let kind = GOOD.replace("staff_support", "knitting");
        assert_eq!(fault(&kind), ("kind".into(), "not_allowed".into()));
        let ward = GOOD.replace(r#""ward_id":"0190a3c4-0000-7000-8000-000000000001","#, "");
        assert_eq!(fault(&ward), ("ward_id".into(), "required".into()));
        let minutes = GOOD.replace("30", r#""half an hour""#);
        assert_eq!(
            fault(&minutes),
            ("duration_minutes".into(), "invalid_type".into())
        );
        let note = GOOD.replacen('{', r#"{"note":"a\u0000b","#, 1);
        assert_eq!(fault(&note), ("note".into(), "invalid_character".into()));
        assert_eq!(fault("[0,0,0]"), ("body".into(), "invalid_type".into()));
    }
}
