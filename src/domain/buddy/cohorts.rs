//! Cohorts: named intakes of students from one institution and discipline.
//! A cohort's name is unique; it ends after it starts.

use chrono::{NaiveDate, Utc};
use diesel_async::{AsyncConnection, AsyncPgConnection};
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::{audit_actor, on_unique};
use crate::access::Actor;
use crate::audit::{self, AuditEvent};
use crate::domain::{DomainError, DomainResult};
use crate::models::buddy::cohort::{self, Cohort, CohortChanges};
use crate::models::buddy::Discipline;
use crate::validate::Errors;

/// A new cohort.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateCohort {
    #[schema(example = "OT January 2027", min_length = 1, max_length = 200)]
    pub name: String,
    #[schema(example = "University of Exampleton", min_length = 1, max_length = 200)]
    pub institution: String,
    pub discipline: Discipline,
    pub starts_on: NaiveDate,
    /// Must be after `starts_on`.
    pub ends_on: NaiveDate,
}

/// Changes to a cohort; absent fields stay as they are. The discipline
/// does not change: the cohort's students were recruited for it.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateCohort {
    #[schema(min_length = 1, max_length = 200)]
    pub name: Option<String>,
    #[schema(min_length = 1, max_length = 200)]
    pub institution: Option<String>,
    pub starts_on: Option<NaiveDate>,
    pub ends_on: Option<NaiveDate>,
}

fn check_dates(errors: &mut Errors, starts_on: NaiveDate, ends_on: NaiveDate) {
    if ends_on <= starts_on {
        errors.add("ends_on", "before_start", "must be after starts_on");
    }
}

/// The conflict when the name is another cohort's.
fn name_taken(err: diesel::result::Error) -> DomainError {
    on_unique(err, "cohort_name_taken", "A cohort with this name exists.")
}

/// A page of cohorts, optionally of one discipline.
pub async fn list(
    conn: &mut AsyncPgConnection,
    discipline: Option<Discipline>,
    after: Option<Uuid>,
    limit: i64,
) -> DomainResult<Vec<Cohort>> {
    Ok(cohort::list(conn, discipline, after, limit).await?)
}

/// One cohort.
pub async fn get(conn: &mut AsyncPgConnection, id: Uuid) -> DomainResult<Cohort> {
    cohort::find(conn, id).await?.ok_or(DomainError::NotFound)
}

/// Creates a cohort, audited.
pub async fn create(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    input: CreateCohort,
) -> DomainResult<Cohort> {
    let mut errors = Errors::new();
    errors.text("name", &input.name, 1, 200);
    errors.text("institution", &input.institution, 1, 200);
    check_dates(&mut errors, input.starts_on, input.ends_on);
    errors.finish()?;

    let audit_by = audit_actor(actor);
    conn.transaction::<_, DomainError, _>(async move |conn| {
        let now = Utc::now();
        let row = Cohort {
            id: Uuid::now_v7(),
            name: input.name.trim().to_string(),
            institution: input.institution.trim().to_string(),
            discipline: input.discipline,
            starts_on: input.starts_on,
            ends_on: input.ends_on,
            created_at: now,
            updated_at: now,
        };
        let cohort = cohort::insert(conn, &row).await.map_err(name_taken)?;
        audit::record(
            conn,
            &audit_by,
            AuditEvent::new("create", "buddy_cohort", cohort.id).details(
                serde_json::json!({ "name": cohort.name, "discipline": cohort.discipline }),
            ),
        )
        .await?;
        Ok(cohort)
    })
    .await
}

/// Changes a cohort's name, institution or dates, audited with the
/// values before and after.
pub async fn update(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    id: Uuid,
    input: UpdateCohort,
) -> DomainResult<Cohort> {
    let mut errors = Errors::new();
    errors.opt_text("name", input.name.as_deref(), 1, 200);
    errors.opt_text("institution", input.institution.as_deref(), 1, 200);
    errors.finish()?;

    let audit_by = audit_actor(actor);
    conn.transaction::<_, DomainError, _>(async move |conn| {
        let before = cohort::find(conn, id).await?.ok_or(DomainError::NotFound)?;
        let mut errors = Errors::new();
        check_dates(
            &mut errors,
            input.starts_on.unwrap_or(before.starts_on),
            input.ends_on.unwrap_or(before.ends_on),
        );
        errors.finish()?;
        let changes = CohortChanges {
            name: input.name.as_deref().map(str::trim),
            institution: input.institution.as_deref().map(str::trim),
            starts_on: input.starts_on,
            ends_on: input.ends_on,
            updated_at: Some(Utc::now()),
        };
        let after = cohort::update(conn, id, &changes)
            .await
            .map_err(name_taken)?;
        audit::record(
            conn,
            &audit_by,
            AuditEvent::new("update", "buddy_cohort", id).details(serde_json::json!({
                "before": { "name": before.name, "institution": before.institution,
                            "starts_on": before.starts_on, "ends_on": before.ends_on },
                "after": { "name": after.name, "institution": after.institution,
                           "starts_on": after.starts_on, "ends_on": after.ends_on },
            })),
        )
        .await?;
        Ok(after)
    })
    .await
}
