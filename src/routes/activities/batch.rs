//! `POST /api/v1/activities/batch`: a tablet's queue of records, answered
//! item by item.

use actix_web::{post, web, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::RECORDERS;
use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::Json;
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

/// The raw form of [`ActivityBatch`]: items are read one by one, so a bad
/// item is rejected alone.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBatch {
    /// Objects, as documented; what is inside each is checked per item.
    items: Vec<serde_json::Map<String, serde_json::Value>>,
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
    item: serde_json::Value,
) -> Result<Created, ApiError> {
    let body = NewActivity::from_json(item)?;
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
    body: Json<serde_json::Value>,
) -> ApiResult<HttpResponse> {
    user.require(RECORDERS)?;
    let batch: RawBatch = crate::extract::parse_json_value(body.0, "")?;
    if batch.items.len() > BATCH_MAX {
        return Err(ApiError::field(
            "items",
            "too_many",
            format!("at most {BATCH_MAX} items"),
        ));
    }
    let mut conn = user.conn(&state.pool).await?;
    let mut items = Vec::with_capacity(batch.items.len());
    for (index, item) in batch.items.into_iter().enumerate() {
        let id = item
            .get("id")
            .and_then(|v| v.as_str())
            .and_then(|s| Uuid::parse_str(s).ok());
        let item = serde_json::Value::Object(item);
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
