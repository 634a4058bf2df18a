//! Students: who learns from a buddy, in which cohort, with an optional
//! `buddy_student` account of their own (one student per account).

use chrono::Utc;
use diesel_async::{AsyncConnection, AsyncPgConnection};
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::{audit_actor, check_account, on_unique, valid_email};
use crate::access::{Actor, Role};
use crate::audit::{self, AuditEvent};
use crate::domain::{DomainError, DomainResult};
use crate::models::buddy::student::{self, Student, StudentChanges};
use crate::models::buddy::{cohort, Discipline};
use crate::validate::Errors;

/// A new student.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateStudent {
    pub cohort_id: Uuid,
    #[schema(example = "Jo Smith", min_length = 1, max_length = 200)]
    pub full_name: String,
    /// Defaults to the cohort's discipline.
    pub discipline: Option<Discipline>,
    /// Defaults to the cohort's institution.
    #[schema(min_length = 1, max_length = 200)]
    pub institution: Option<String>,
    #[schema(example = "jo.smith@uni.example.ac.uk", format = Email, max_length = 254)]
    pub email: String,
    /// A `buddy_student` account to link, so the student can sign in.
    pub user_id: Option<Uuid>,
}

/// Changes to a student; absent fields stay as they are. The cohort does
/// not change: pairings are made within it.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateStudent {
    #[schema(min_length = 1, max_length = 200)]
    pub full_name: Option<String>,
    pub discipline: Option<Discipline>,
    #[schema(min_length = 1, max_length = 200)]
    pub institution: Option<String>,
    #[schema(format = Email, max_length = 254)]
    pub email: Option<String>,
    /// A `buddy_student` account to link; `null` unlinks.
    #[serde(default, deserialize_with = "super::present")]
    #[schema(value_type = Option<Uuid>)]
    pub user_id: Option<Option<Uuid>>,
}

fn check_email(errors: &mut Errors, email: Option<&str>) {
    if let Some(e) = email {
        if !valid_email(e.trim()) {
            errors.add("email", "invalid_email", "must be an email address");
        }
    }
}

/// The conflict when the account to link already belongs to another student.
fn account_taken(err: diesel::result::Error) -> DomainError {
    on_unique(
        err,
        "account_already_linked",
        "That account belongs to another student.",
    )
}

/// A page of students, optionally of one cohort.
pub async fn list(
    conn: &mut AsyncPgConnection,
    cohort_id: Option<Uuid>,
    after: Option<Uuid>,
    limit: i64,
) -> DomainResult<Vec<Student>> {
    Ok(student::list(conn, cohort_id, after, limit).await?)
}

/// One student. Personal details of a student: every read of one record
/// is audited, like a service user's.
pub async fn get(conn: &mut AsyncPgConnection, actor: &Actor, id: Uuid) -> DomainResult<Student> {
    let found = student::find(conn, id)
        .await?
        .ok_or(DomainError::NotFound)?;
    audit::record(
        conn,
        &audit_actor(actor),
        AuditEvent::new("read", "buddy_student", found.id),
    )
    .await?;
    Ok(found)
}

/// Enrols a student in a cohort, audited. The discipline and institution
/// default to the cohort's.
pub async fn create(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    input: CreateStudent,
) -> DomainResult<Student> {
    let mut errors = Errors::new();
    errors.text("full_name", &input.full_name, 1, 200);
    errors.opt_text("institution", input.institution.as_deref(), 1, 200);
    check_email(&mut errors, Some(&input.email));
    errors.finish()?;

    let audit_by = audit_actor(actor);
    conn.transaction::<_, DomainError, _>(async move |conn| {
        let cohort = cohort::find(conn, input.cohort_id).await?.ok_or_else(|| {
            DomainError::field("cohort_id", "unknown_reference", "no cohort with this id")
        })?;
        check_account(conn, input.user_id, Role::BuddyStudent).await?;
        let now = Utc::now();
        let row = Student {
            id: Uuid::now_v7(),
            cohort_id: cohort.id,
            full_name: input.full_name.trim().to_string(),
            discipline: input.discipline.unwrap_or(cohort.discipline),
            institution: input
                .institution
                .as_deref()
                .map_or(cohort.institution, |i| i.trim().to_string()),
            email: input.email.trim().to_string(),
            user_id: input.user_id,
            created_at: now,
            updated_at: now,
        };
        let student = student::insert(conn, &row).await.map_err(account_taken)?;
        audit::record(
            conn,
            &audit_by,
            AuditEvent::new("create", "buddy_student", student.id).details(serde_json::json!({
                "cohort_id": student.cohort_id, "discipline": student.discipline,
                "user_id": student.user_id,
            })),
        )
        .await?;
        Ok(student)
    })
    .await
}

/// Changes a student's details or linked account, audited with the values
/// before and after.
pub async fn update(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    id: Uuid,
    input: UpdateStudent,
) -> DomainResult<Student> {
    let mut errors = Errors::new();
    errors.opt_text("full_name", input.full_name.as_deref(), 1, 200);
    errors.opt_text("institution", input.institution.as_deref(), 1, 200);
    check_email(&mut errors, input.email.as_deref());
    errors.finish()?;

    let audit_by = audit_actor(actor);
    conn.transaction::<_, DomainError, _>(async move |conn| {
        let before = student::find(conn, id)
            .await?
            .ok_or(DomainError::NotFound)?;
        check_account(conn, input.user_id.flatten(), Role::BuddyStudent).await?;
        let changes = StudentChanges {
            full_name: input.full_name.as_deref().map(str::trim),
            discipline: input.discipline,
            institution: input.institution.as_deref().map(str::trim),
            email: input.email.as_deref().map(str::trim),
            user_id: input.user_id,
            updated_at: Some(Utc::now()),
        };
        let after = student::update(conn, id, &changes)
            .await
            .map_err(account_taken)?;
        audit::record(
            conn,
            &audit_by,
            AuditEvent::new("update", "buddy_student", id).details(serde_json::json!({
                "before": { "full_name": before.full_name, "discipline": before.discipline,
                            "institution": before.institution, "user_id": before.user_id },
                "after": { "full_name": after.full_name, "discipline": after.discipline,
                           "institution": after.institution, "user_id": after.user_id },
            })),
        )
        .await?;
        Ok(after)
    })
    .await
}
