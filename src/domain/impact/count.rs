//! A count of people that is shown only when it is 0 or at least 5.

use serde::{Serialize, Serializer};
use utoipa::openapi::schema::{ObjectBuilder, OneOfBuilder, Schema, SchemaType, Type};
use utoipa::openapi::RefOr;
use utoipa::{PartialSchema, ToSchema};

/// The smallest count of people shown as itself.
pub const SMALLEST_SHOWN: i64 = 5;

/// A count about people: a number, or `"<5"` for 1 to 4 (suppressed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Count(pub i64);

impl Count {
    /// Whether the count is too small to show.
    pub fn suppressed(self) -> bool {
        (1..SMALLEST_SHOWN).contains(&self.0)
    }
}

impl Serialize for Count {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.suppressed() {
            s.serialize_str("<5")
        } else {
            s.serialize_i64(self.0)
        }
    }
}

impl PartialSchema for Count {
    fn schema() -> RefOr<Schema> {
        OneOfBuilder::new()
            .item(
                ObjectBuilder::new()
                    .schema_type(SchemaType::Type(Type::Integer))
                    .minimum(Some(0)),
            )
            .item(
                ObjectBuilder::new()
                    .schema_type(SchemaType::Type(Type::String))
                    .enum_values(Some(["<5"])),
            )
            .description(Some(
                "A count of people; `\"<5\"` when 1 to 4, so no one can be recognised.",
            ))
            .into()
    }
}

impl ToSchema for Count {}

/// A share in percent (one decimal), shown only when its denominator is at
/// least 5 people.
pub fn share(part: i64, whole: i64, people: i64) -> Option<f64> {
    if whole == 0 || people < SMALLEST_SHOWN {
        return None;
    }
    Some((part as f64 * 1000.0 / whole as f64).round() / 10.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_to_four_people_are_never_shown() {
        let shown: Vec<_> = (0..7)
            .map(|n| serde_json::to_value(Count(n)).unwrap())
            .collect();
        assert_eq!(
            shown,
            serde_json::json!([0, "<5", "<5", "<5", "<5", 5, 6])
                .as_array()
                .unwrap()
                .clone()
        );
    }

    #[test]
    fn a_share_of_fewer_than_five_people_is_not_shown() {
        assert_eq!(share(3, 4, 4), None);
        assert_eq!(share(3, 5, 5), Some(60.0));
        assert_eq!(share(2, 3, 9), Some(66.7));
        assert_eq!(share(0, 0, 9), None);
    }
}
