//! A tablet's queue of new activities, recorded item by item: each valid
//! item is committed on its own, whatever happens to the others, so one
//! bad record never blocks a queue.

use diesel_async::AsyncPgConnection;
use serde::de::{IgnoredAny, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::value::RawValue;
use uuid::Uuid;

use super::create::{create, Created};
use super::NewActivity;
use crate::access::Actor;
use crate::domain::{DomainError, DomainResult};

/// The most items one batch may hold.
pub const BATCH_MAX: usize = 500;

/// A batch as read from its text: each item is kept as its own JSON text
/// and read alone, so a bad item is rejected alone and no JSON tree of the
/// whole body is ever built.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawBatch {
    items: RawItems,
}

/// The items, at most [`BATCH_MAX`] of them kept: beyond that the rest are
/// skipped unread and `over` is set.
#[derive(Debug, Default)]
struct RawItems {
    kept: Vec<RawItem>,
    over: bool,
}

/// One item's JSON text; it must be an object, as documented (anything
/// else fails the batch, as a malformed body does).
#[derive(Debug)]
struct RawItem(Box<RawValue>);

impl<'de> Deserialize<'de> for RawItem {
    fn deserialize<D: serde::Deserializer<'de>>(de: D) -> Result<Self, D::Error> {
        let raw = Box::<RawValue>::deserialize(de)?;
        let text = raw.get().trim_start();
        if !text.starts_with('{') {
            let what = match text.as_bytes().first() {
                Some(b'[') => "an array",
                Some(b'"') => "a string",
                Some(b'n') => "null",
                Some(b't' | b'f') => "a boolean",
                _ => "a number",
            };
            return Err(serde::de::Error::invalid_type(
                serde::de::Unexpected::Other(what),
                &"an object",
            ));
        }
        Ok(RawItem(raw))
    }
}

impl<'de> Deserialize<'de> for RawItems {
    fn deserialize<D: serde::Deserializer<'de>>(de: D) -> Result<Self, D::Error> {
        struct Items;
        impl<'de> Visitor<'de> for Items {
            type Value = RawItems;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an array of activities")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<RawItems, A::Error> {
                let mut items = RawItems::default();
                while items.kept.len() < BATCH_MAX {
                    match seq.next_element::<RawItem>()? {
                        Some(item) => items.kept.push(item),
                        None => return Ok(items),
                    }
                }
                while seq.next_element::<IgnoredAny>()?.is_some() {
                    items.over = true;
                }
                Ok(items)
            }
        }
        de.deserialize_seq(Items)
    }
}

/// An item's id, read alone so a rejected item is still named by it.
#[derive(Deserialize)]
struct ItemId {
    id: Option<Uuid>,
}

/// What became of one item, in the order sent.
pub struct ItemOutcome {
    pub index: usize,
    /// The item's id, when it had a readable one.
    pub id: Option<Uuid>,
    /// The stored record, or why the item was rejected.
    pub result: DomainResult<Created>,
}

/// Records one item: a new activity that carries its own id.
async fn one(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    max_age_days: i64,
    item: &RawValue,
) -> DomainResult<Created> {
    let body = NewActivity::from_raw(item)?;
    if body.id.is_none() {
        return Err(DomainError::field(
            "id",
            "required",
            "batch items carry their own id so a re-sent batch stores nothing twice",
        ));
    }
    create(conn, actor, max_age_days, body).await
}

/// Records up to [`BATCH_MAX`] activities, each on its own; refuses the
/// whole batch only when it holds more.
pub async fn record(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    max_age_days: i64,
    batch: &RawBatch,
) -> DomainResult<Vec<ItemOutcome>> {
    if batch.items.over {
        return Err(DomainError::field(
            "items",
            "too_many",
            format!("at most {BATCH_MAX} items"),
        ));
    }
    let mut outcomes = Vec::with_capacity(batch.items.kept.len());
    for (index, RawItem(item)) in batch.items.kept.iter().enumerate() {
        let id = serde_json::from_str::<ItemId>(item.get())
            .ok()
            .and_then(|i| i.id);
        let result = one(conn, actor, max_age_days, item).await;
        outcomes.push(ItemOutcome { index, id, result });
    }
    Ok(outcomes)
}
