//! Buddies: service users and carers with lived experience who are
//! registered trust volunteers, each taking a few students at once, with an
//! optional `buddy_volunteer` account of their own (one buddy per account).

use chrono::{NaiveDate, Utc};
use diesel_async::{AsyncConnection, AsyncPgConnection};
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::{audit_actor, check_account, on_unique, valid_email};
use crate::access::{Actor, Role};
use crate::audit::{self, AuditEvent};
use crate::domain::{DomainError, DomainResult};
use crate::models::buddy::volunteer::{self, Buddy, BuddyChanges};
use crate::models::buddy::{BuddyType, VolunteerStatus};
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

/// Whether the buddy may be paired today: a registered volunteer, verified
/// on or before `today`.
pub fn may_be_paired(buddy: &Buddy, today: NaiveDate) -> bool {
    buddy.volunteer_status == VolunteerStatus::Registered
        && buddy.volunteer_verified_on.is_some_and(|d| d <= today)
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

/// The conflict when the account to link already belongs to another buddy.
fn account_taken(err: diesel::result::Error) -> DomainError {
    on_unique(
        err,
        "account_already_linked",
        "That account belongs to another buddy.",
    )
}

/// A page of buddies, optionally of one type or registration status.
pub async fn list(
    conn: &mut AsyncPgConnection,
    buddy_type: Option<BuddyType>,
    volunteer_status: Option<VolunteerStatus>,
    after: Option<Uuid>,
    limit: i64,
) -> DomainResult<Vec<Buddy>> {
    Ok(volunteer::list(conn, buddy_type, volunteer_status, after, limit).await?)
}

/// One buddy. Personal details of a person with lived experience: every
/// read of one record is audited, like a service user's.
pub async fn get(conn: &mut AsyncPgConnection, actor: &Actor, id: Uuid) -> DomainResult<Buddy> {
    let found = volunteer::find(conn, id)
        .await?
        .ok_or(DomainError::NotFound)?;
    audit::record(
        conn,
        &audit_actor(actor),
        AuditEvent::new("read", "buddy", found.id),
    )
    .await?;
    Ok(found)
}

/// Adds a buddy, audited. Registration defaults to `pending`, capacity
/// to one student.
pub async fn create(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    input: CreateBuddy,
) -> DomainResult<Buddy> {
    let status = input.volunteer_status.unwrap_or(VolunteerStatus::Pending);
    let mut errors = Errors::new();
    errors.text("full_name", &input.full_name, 1, 200);
    check_buddy(
        &mut errors,
        status,
        input.volunteer_verified_on,
        input.capacity,
        input.email.as_deref(),
    );
    errors.finish()?;

    let audit_by = audit_actor(actor);
    conn.transaction::<_, DomainError, _>(async move |conn| {
        check_account(conn, input.user_id, Role::BuddyVolunteer).await?;
        let now = Utc::now();
        let row = Buddy {
            id: Uuid::now_v7(),
            full_name: input.full_name.trim().to_string(),
            buddy_type: input.buddy_type,
            volunteer_status: status,
            volunteer_verified_on: input.volunteer_verified_on,
            capacity: input.capacity.unwrap_or(1),
            email: input.email.as_deref().map(|e| e.trim().to_string()),
            user_id: input.user_id,
            created_at: now,
            updated_at: now,
        };
        let buddy = volunteer::insert(conn, &row).await.map_err(account_taken)?;
        audit::record(
            conn,
            &audit_by,
            AuditEvent::new("create", "buddy", buddy.id).details(serde_json::json!({
                "buddy_type": buddy.buddy_type, "volunteer_status": buddy.volunteer_status,
                "volunteer_verified_on": buddy.volunteer_verified_on, "capacity": buddy.capacity,
                "user_id": buddy.user_id,
            })),
        )
        .await?;
        Ok(buddy)
    })
    .await
}

/// Changes a buddy: registration, capacity, contact, account; audited
/// with the values before and after. The row is locked, so a pairing
/// checked at the same time sees the registration before or after, whole.
pub async fn update(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    id: Uuid,
    input: UpdateBuddy,
) -> DomainResult<Buddy> {
    let mut errors = Errors::new();
    errors.opt_text("full_name", input.full_name.as_deref(), 1, 200);
    errors.finish()?;

    let audit_by = audit_actor(actor);
    conn.transaction::<_, DomainError, _>(async move |conn| {
        let before = volunteer::lock(conn, id)
            .await?
            .ok_or(DomainError::NotFound)?;
        let mut errors = Errors::new();
        check_buddy(
            &mut errors,
            input.volunteer_status.unwrap_or(before.volunteer_status),
            input.volunteer_verified_on.or(before.volunteer_verified_on),
            input.capacity,
            input.email.as_ref().and_then(|e| e.as_deref()),
        );
        errors.finish()?;
        check_account(conn, input.user_id.flatten(), Role::BuddyVolunteer).await?;
        let changes = BuddyChanges {
            full_name: input.full_name.as_deref().map(str::trim),
            volunteer_status: input.volunteer_status,
            volunteer_verified_on: input.volunteer_verified_on.map(Some),
            capacity: input.capacity,
            email: input.email.as_ref().map(|e| e.as_deref().map(str::trim)),
            user_id: input.user_id,
            updated_at: Some(Utc::now()),
        };
        let after = volunteer::update(conn, id, &changes)
            .await
            .map_err(account_taken)?;
        audit::record(
            conn,
            &audit_by,
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
    .await
}
