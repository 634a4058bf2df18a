//! Buddies: listing, reading, registering and changing them, including
//! their volunteer registration and how many students they take at once.

use actix_web::{get, patch, post, web, HttpResponse};
use chrono::{NaiveDate, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, RunQueryDsl};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::{check_account, created_response, on_unique, require_staff};
use crate::audit::{self, AuditEvent};
use crate::auth::{CurrentUser, Role};
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::{Json, Query};
use crate::models::buddy::volunteer::{self, Buddy, BuddyChanges};
use crate::models::buddy::{valid_email, BuddyType, VolunteerStatus};
use crate::pagination::{Page, PageParams};
use crate::schema::buddies;
use crate::state::AppState;
use crate::validate::Errors;

/// A new buddy.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateBuddy {
    #[schema(example = "Robin Hart", min_length = 1, max_length = 200)]
    pub full_name: String,
    pub buddy_type: BuddyType,
    /// Defaults to `pending`.
    pub volunteer_status: Option<VolunteerStatus>,
    /// Required when `registered`; not in the future.
    pub volunteer_verified_on: Option<NaiveDate>,
    /// Students at once, 1 to 10 (default 1).
    #[schema(minimum = 1, maximum = 10)]
    pub capacity: Option<i32>,
    #[schema(format = Email, max_length = 254)]
    pub email: Option<String>,
    /// A `buddy_volunteer` account to link, so the buddy can sign in.
    pub user_id: Option<Uuid>,
}

/// Changes to a buddy; absent fields stay as they are. Lowering the
/// capacity keeps existing pairings but refuses new ones beyond it.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateBuddy {
    #[schema(min_length = 1, max_length = 200)]
    pub full_name: Option<String>,
    pub volunteer_status: Option<VolunteerStatus>,
    pub volunteer_verified_on: Option<NaiveDate>,
    #[schema(minimum = 1, maximum = 10)]
    pub capacity: Option<i32>,
    /// `null` clears it.
    #[serde(default, deserialize_with = "super::present")]
    #[schema(value_type = Option<String>, format = Email, max_length = 254)]
    pub email: Option<Option<String>>,
    /// A `buddy_volunteer` account to link; `null` unlinks.
    #[serde(default, deserialize_with = "super::present")]
    #[schema(value_type = Option<Uuid>)]
    pub user_id: Option<Option<Uuid>>,
}

/// Filters for `GET /api/v1/buddy/buddies`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct BuddyListQuery {
    pub buddy_type: Option<BuddyType>,
    pub volunteer_status: Option<VolunteerStatus>,
}

/// Checks the fields a create and an update share, as they will be stored.
fn check_buddy(
    errors: &mut Errors,
    status: VolunteerStatus,
    verified_on: Option<NaiveDate>,
    capacity: Option<i32>,
    email: Option<&str>,
) {
    if status == VolunteerStatus::Registered && verified_on.is_none() {
        errors.add(
            "volunteer_verified_on",
            "required",
            "a registered volunteer needs the date the registration was verified",
        );
    }
    if verified_on.is_some_and(|d| d > Utc::now().date_naive()) {
        errors.add(
            "volunteer_verified_on",
            "in_future",
            "must not be in the future",
        );
    }
    if capacity.is_some_and(|c| !(1..=10).contains(&c)) {
        errors.add("capacity", "out_of_range", "must be between 1 and 10");
    }
    if email.is_some_and(|e| !valid_email(e.trim())) {
        errors.add("email", "invalid_email", "must be an email address");
    }
}

/// The 409 when the account to link already belongs to another buddy.
fn account_taken(err: diesel::result::Error) -> ApiError {
    on_unique(
        err,
        "account_already_linked",
        "That account belongs to another buddy.",
    )
}

/// Lists buddies (coordinator, manager).
#[utoipa::path(
    tag = "buddy",
    params(BuddyListQuery, PageParams),
    responses(
        (status = 200, description = "A page of buddies", body = Page<Buddy>),
        (status = 403, description = "Not a coordinator or manager", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/buddy/buddies")]
pub async fn list_buddies(
    state: web::Data<AppState>,
    user: CurrentUser,
    query: Query<BuddyListQuery>,
    page: Query<PageParams>,
) -> ApiResult<HttpResponse> {
    require_staff(&user, false)?;
    let limit = page.limit()?;
    let mut conn = user.conn(&state.pool).await?;
    let rows = volunteer::list(
        &mut conn,
        query.buddy_type,
        query.volunteer_status,
        page.after()?,
        limit,
    )
    .await?;
    Ok(HttpResponse::Ok().json(Page::from_rows(rows, limit, |b| b.id)))
}

/// One buddy (coordinator, manager).
#[utoipa::path(
    tag = "buddy",
    params(("id" = Uuid, Path, description = "Buddy id")),
    responses(
        (status = 200, description = "The buddy", body = Buddy),
        (status = 403, description = "Not a coordinator or manager", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such buddy", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/buddy/buddies/{id}")]
pub async fn get_buddy(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    require_staff(&user, false)?;
    let mut conn = user.conn(&state.pool).await?;
    let found = volunteer::find(&mut conn, *id)
        .await?
        .ok_or(ApiError::NotFound)?;
    // Personal details of a person with lived experience or a student:
    // every read of one record is audited, like a service user's.
    audit::record(
        &mut conn,
        &user.audit_actor(),
        AuditEvent::new("read", "buddy", found.id),
    )
    .await?;
    Ok(HttpResponse::Ok().json(found))
}

/// Adds a buddy (coordinator).
#[utoipa::path(
    tag = "buddy",
    request_body = CreateBuddy,
    responses(
        (status = 201, description = "Created", body = Buddy),
        (status = 403, description = "Not a coordinator", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The account is linked to another buddy (`account_already_linked`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/buddy/buddies")]
pub async fn create_buddy(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: Json<CreateBuddy>,
) -> ApiResult<HttpResponse> {
    require_staff(&user, true)?;
    let body = body.0;
    let status = body.volunteer_status.unwrap_or(VolunteerStatus::Pending);
    let mut errors = Errors::new();
    errors.text("full_name", &body.full_name, 1, 200);
    check_buddy(
        &mut errors,
        status,
        body.volunteer_verified_on,
        body.capacity,
        body.email.as_deref(),
    );
    errors.finish()?;

    let actor = user.audit_actor();
    let mut conn = user.conn(&state.pool).await?;
    let created = conn
        .transaction::<_, ApiError, _>(async move |conn| {
            check_account(conn, body.user_id, Role::BuddyVolunteer).await?;
            let now = Utc::now();
            let row = Buddy {
                id: Uuid::now_v7(),
                full_name: body.full_name.trim().to_string(),
                buddy_type: body.buddy_type,
                volunteer_status: status,
                volunteer_verified_on: body.volunteer_verified_on,
                capacity: body.capacity.unwrap_or(1),
                email: body.email.as_deref().map(|e| e.trim().to_string()),
                user_id: body.user_id,
                created_at: now,
                updated_at: now,
            };
            let buddy = diesel::insert_into(buddies::table)
                .values(&row)
                .returning(Buddy::as_returning())
                .get_result(conn)
                .await
                .map_err(account_taken)?;
            audit::record(
                conn,
                &actor,
                AuditEvent::new("create", "buddy", buddy.id).details(serde_json::json!({
                    "buddy_type": buddy.buddy_type, "volunteer_status": buddy.volunteer_status,
                    "volunteer_verified_on": buddy.volunteer_verified_on, "capacity": buddy.capacity,
                    "user_id": buddy.user_id,
                })),
            )
            .await?;
            Ok(buddy)
        })
        .await?;
    Ok(created_response(
        format!("/api/v1/buddy/buddies/{}", created.id),
        &created,
    ))
}

/// Changes a buddy: registration, capacity, contact, account (coordinator).
#[utoipa::path(
    tag = "buddy",
    params(("id" = Uuid, Path, description = "Buddy id")),
    request_body = UpdateBuddy,
    responses(
        (status = 200, description = "Updated", body = Buddy),
        (status = 403, description = "Not a coordinator", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such buddy", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The account is linked to another buddy (`account_already_linked`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/buddy/buddies/{id}")]
pub async fn update_buddy(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
    body: Json<UpdateBuddy>,
) -> ApiResult<HttpResponse> {
    require_staff(&user, true)?;
    let id = id.into_inner();
    let body = body.0;
    let mut errors = Errors::new();
    errors.opt_text("full_name", body.full_name.as_deref(), 1, 200);
    errors.finish()?;

    let actor = user.audit_actor();
    let mut conn = user.conn(&state.pool).await?;
    let updated = conn
        .transaction::<_, ApiError, _>(async move |conn| {
            let before = volunteer::lock(conn, id).await?.ok_or(ApiError::NotFound)?;
            let mut errors = Errors::new();
            check_buddy(
                &mut errors,
                body.volunteer_status.unwrap_or(before.volunteer_status),
                body.volunteer_verified_on.or(before.volunteer_verified_on),
                body.capacity,
                body.email.as_ref().and_then(|e| e.as_deref()),
            );
            errors.finish()?;
            check_account(conn, body.user_id.flatten(), Role::BuddyVolunteer).await?;
            let changes = BuddyChanges {
                full_name: body.full_name.as_deref().map(str::trim),
                volunteer_status: body.volunteer_status,
                volunteer_verified_on: body.volunteer_verified_on.map(Some),
                capacity: body.capacity,
                email: body.email.as_ref().map(|e| e.as_deref().map(str::trim)),
                user_id: body.user_id,
                updated_at: Some(Utc::now()),
            };
            let after = diesel::update(buddies::table.find(id))
                .set(&changes)
                .returning(Buddy::as_returning())
                .get_result(conn)
                .await
                .map_err(account_taken)?;
            audit::record(
                conn,
                &actor,
                AuditEvent::new("update", "buddy", id).details(serde_json::json!({
                    "before": { "volunteer_status": before.volunteer_status,
                                "volunteer_verified_on": before.volunteer_verified_on,
                                "capacity": before.capacity, "user_id": before.user_id },
                    "after": { "volunteer_status": after.volunteer_status,
                               "volunteer_verified_on": after.volunteer_verified_on,
                               "capacity": after.capacity, "user_id": after.user_id },
                })),
            )
            .await?;
            Ok(after)
        })
        .await?;
    Ok(HttpResponse::Ok().json(updated))
}
