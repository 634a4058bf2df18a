//! `/api/v1/activities/batch`: `POST` a tablet's queue of records,
//! answered item by item.

use actix_web::{post, web, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::auth::{policy, CurrentUser};
use crate::domain::activities::batch::{self, ItemOutcome, RawBatch};
use crate::domain::activities::create::Created;
use crate::domain::activities::NewActivity;
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::JsonParts;
use crate::models::activity::Activity;
use crate::routes::problems;
use crate::state::AppState;

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

/// Records up to 500 activities. Every valid item is committed on its own,
/// whatever happens to the others; the answer says, per item, `created`,
/// `already_present` (a re-sent item) or `rejected` with the problem.
#[utoipa::path(
    tag = "activities",
    request_body = ActivityBatch,
    responses(
        (status = 200, description = "One answer per item, in order", body = BatchResult),
        (status = 403, response = inline(problems::Forbidden)),
        (status = 422, description = "Not a batch, or more than 500 items", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/activities/batch")]
pub async fn create_activity_batch(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: JsonParts<RawBatch>,
) -> ApiResult<HttpResponse> {
    user.require(policy::ACTIVITY_RECORDERS)?;
    let mut conn = user.conn(&state.pool).await?;
    let outcomes = batch::record(
        &mut conn,
        &user.actor(),
        state.config.activity_max_age_days,
        &body.0,
    )
    .await?;
    let mut items = Vec::with_capacity(outcomes.len());
    for ItemOutcome { index, id, result } in outcomes {
        items.push(match result.map_err(ApiError::from) {
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
