//! `POST /api/v1/activities/batch`: a tablet's queue of records, answered
//! item by item.

use actix_web::{post, web, HttpResponse};
use serde::de::{IgnoredAny, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use utoipa::ToSchema;
use uuid::Uuid;

use super::RECORDERS;
use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::JsonParts;
use crate::models::activity::check::NewActivity;
use crate::models::activity::store::{self, Created};
use crate::models::activity::Activity;
use crate::state::AppState;

/// The most items one batch may hold.
pub const BATCH_MAX: usize = 500;

/// A queue of new activities. Each must carry its own `id`, so the batch
/// can be re-sent whole after a lost answer.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActivityBatch {
    /// Each item has the shape of `NewActivity` (with its `id`). The items
    /// are checked one by one: an item that is malformed or breaks a rule is
    /// answered `rejected` with its problem, and the others are still stored,
    /// so one bad record never blocks a tablet's queue.
    #[schema(max_items = 500, value_type = Vec<BatchItem>)]
    pub items: Vec<NewActivity>,
}

/// One item of a batch, as documented: an object of the shape of one of
/// `NewActivity`'s kinds. It is documented as any object, not as
/// `NewActivity`, because a malformed item is answered per item (`rejected`)
/// rather than refusing the batch; a generated client still accepts a typed
/// `NewActivity` here.
pub struct BatchItem;

impl utoipa::PartialSchema for BatchItem {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{AdditionalProperties, ObjectBuilder, Type};
        ObjectBuilder::new()
            .schema_type(Type::Object)
            .description(Some(
                "A new activity (see `NewActivity`), with its `id`; checked on its own.",
            ))
            .additional_properties(Some(AdditionalProperties::FreeForm(true)))
            .into()
    }
}

impl ToSchema for BatchItem {}

/// The raw form of [`ActivityBatch`]: each item is kept as its own JSON
/// text and read alone, so a bad item is rejected alone and no JSON tree of
/// the whole body is ever built.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBatch {
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

crate::text_enum! {
    /// What became of one item.
    pub enum BatchOutcome {
        Created = "created",
        AlreadyPresent = "already_present",
        Rejected = "rejected",
    }
}

/// The answer for one item, in the order sent.
#[derive(Debug, Serialize, ToSchema)]
pub struct BatchItemResult {
    pub index: usize,
    /// The item's id, when it had a readable one.
    pub id: Option<Uuid>,
    pub outcome: BatchOutcome,
    /// The stored record, unless rejected.
    pub activity: Option<Activity>,
    /// Why it was rejected.
    pub problem: Option<Problem>,
}

/// The answers, one per item.
#[derive(Debug, Serialize, ToSchema)]
pub struct BatchResult {
    pub items: Vec<BatchItemResult>,
}

async fn one(
    conn: &mut crate::db::DbConn,
    user: &CurrentUser,
    max_age_days: i64,
    item: &RawValue,
) -> Result<Created, ApiError> {
    let body = NewActivity::from_raw(item)?;
    if body.id.is_none() {
        return Err(ApiError::field(
            "id",
            "required",
            "batch items carry their own id so a re-sent batch stores nothing twice",
        ));
    }
    store::create(conn, user, max_age_days, body).await
}

/// Records up to 500 activities. Every valid item is committed on its own,
/// whatever happens to the others; the answer says, per item, `created`,
/// `already_present` (a re-sent item) or `rejected` with the problem.
#[utoipa::path(
    tag = "activities",
    request_body = ActivityBatch,
    responses(
        (status = 200, description = "One answer per item, in order", body = BatchResult),
        (status = 403, description = "Your role does not record activities", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not a batch, or more than 500 items", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/activities/batch")]
pub async fn create_activity_batch(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: JsonParts<RawBatch>,
) -> ApiResult<HttpResponse> {
    user.require(RECORDERS)?;
    let batch = &body.0;
    if batch.items.over {
        return Err(ApiError::field(
            "items",
            "too_many",
            format!("at most {BATCH_MAX} items"),
        ));
    }
    let mut conn = user.conn(&state.pool).await?;
    let mut items = Vec::with_capacity(batch.items.kept.len());
    for (index, RawItem(item)) in batch.items.kept.iter().enumerate() {
        let id = serde_json::from_str::<ItemId>(item.get())
            .ok()
            .and_then(|i| i.id);
        let result = one(&mut conn, &user, state.config.activity_max_age_days, item).await;
        items.push(match result {
            Ok(Created::New(a)) => BatchItemResult {
                index,
                id,
                outcome: BatchOutcome::Created,
                activity: Some(a),
                problem: None,
            },
            Ok(Created::AlreadyPresent(a)) => BatchItemResult {
                index,
                id,
                outcome: BatchOutcome::AlreadyPresent,
                activity: Some(a),
                problem: None,
            },
            Err(e) => {
                if matches!(e, ApiError::Internal(_) | ApiError::Unavailable(_)) {
                    log::error!("batch item {index} failed: {e}");
                }
                BatchItemResult {
                    index,
                    id,
                    outcome: BatchOutcome::Rejected,
                    activity: None,
                    problem: Some(e.to_problem(crate::request_id::current())),
                }
            }
        });
    }
    Ok(HttpResponse::Ok().json(BatchResult { items }))
}
