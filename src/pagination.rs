//! Keyset pagination: every list answers a page of items and an opaque
//! cursor for the next page. The cursor encodes the sort key of the last
//! item, so pages stay correct while rows are inserted between requests.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::validate::FieldError;

/// Items per page when the caller does not say.
pub const DEFAULT_LIMIT: i64 = 50;
/// The most items one page may hold.
pub const MAX_LIMIT: i64 = 200;

/// `cursor` and `limit`, accepted by every list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// The `next_cursor` of the previous page; omit for the first page.
    pub cursor: Option<String>,
    /// Items per page, 1 to 200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
}

impl PageParams {
    /// The page size, validated.
    pub fn limit(&self) -> Result<i64, LimitOutOfRange> {
        match self.limit {
            None => Ok(DEFAULT_LIMIT),
            Some(n) if (1..=MAX_LIMIT).contains(&n) => Ok(n),
            Some(_) => Err(LimitOutOfRange),
        }
    }

    /// The decoded cursor, if one was sent (an empty one counts as none).
    pub fn after<K: DeserializeOwned>(&self) -> Result<Option<K>, FieldError> {
        self.cursor
            .as_deref()
            .filter(|c| !c.is_empty())
            .map(decode_cursor)
            .transpose()
    }
}

/// A `limit` outside 1 to [`MAX_LIMIT`]: answered 400 `invalid_query`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LimitOutOfRange;

/// Encodes a sort key as an opaque cursor.
pub fn encode_cursor<K: Serialize>(key: &K) -> String {
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(key).unwrap_or_default())
}

/// Decodes a cursor; a cursor that was not made by us is a 422 naming the
/// `cursor` parameter (well-formed text, but not one of ours).
pub fn decode_cursor<K: DeserializeOwned>(cursor: &str) -> Result<K, FieldError> {
    URL_SAFE_NO_PAD
        .decode(cursor)
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .ok_or_else(|| {
            FieldError::new(
                "cursor",
                "invalid_cursor",
                "not a cursor this service issued; pass a next_cursor exactly as received",
            )
        })
}

/// One page of a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct Page<T: ToSchema> {
    pub items: Vec<T>,
    /// Pass as `cursor` to get the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

impl<T: ToSchema> Page<T> {
    /// Builds a page from up to `limit + 1` rows: the extra row, when
    /// present, only proves there is a next page.
    pub fn from_rows<K: Serialize>(mut rows: Vec<T>, limit: i64, key: impl Fn(&T) -> K) -> Self {
        let more = rows.len() as i64 > limit;
        rows.truncate(limit as usize);
        let next_cursor = if more {
            rows.last().map(|last| encode_cursor(&key(last)))
        } else {
            None
        };
        Page {
            items: rows,
            next_cursor,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_reject_forgeries() {
        let c = encode_cursor(&("ward-a", 7));
        assert_eq!(
            decode_cursor::<(String, i32)>(&c).unwrap(),
            ("ward-a".to_string(), 7)
        );
        assert!(decode_cursor::<(String, i32)>("not a cursor!").is_err());
    }

    #[derive(Serialize, ToSchema)]
    struct Item {
        n: i64,
    }

    #[test]
    fn the_extra_row_only_signals_a_next_page() {
        let rows = (1..=4).map(|n| Item { n }).collect();
        let page = Page::from_rows(rows, 3, |i| i.n);
        assert_eq!(page.items.len(), 3);
        assert_eq!(
            decode_cursor::<i64>(page.next_cursor.as_deref().unwrap()).unwrap(),
            3
        );
        let rows = (1..=3).map(|n| Item { n }).collect();
        assert!(Page::from_rows(rows, 3, |i| i.n).next_cursor.is_none());
    }

    #[test]
    fn limits_are_bounded() {
        assert_eq!(PageParams::default().limit().unwrap(), DEFAULT_LIMIT);
        assert!(PageParams {
            limit: Some(0),
            cursor: None
        }
        .limit()
        .is_err());
        assert!(PageParams {
            limit: Some(201),
            cursor: None
        }
        .limit()
        .is_err());
    }
}
