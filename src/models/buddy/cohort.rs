//! Cohorts: a named intake of students from one institution and discipline.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::Discipline;
use crate::schema::buddy_cohorts;

/// A cohort.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, Serialize, ToSchema)]
#[diesel(table_name = buddy_cohorts)]
pub struct Cohort {
    pub id: Uuid,
    #[schema(example = "OT January 2027")]
    pub name: String,
    #[schema(example = "University of Exampleton")]
    pub institution: String,
    pub discipline: Discipline,
    pub starts_on: NaiveDate,
    /// After `starts_on`.
    pub ends_on: NaiveDate,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Changes to a cohort; `None` leaves a field as it is.
#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = buddy_cohorts)]
pub struct CohortChanges<'a> {
    pub name: Option<&'a str>,
    pub institution: Option<&'a str>,
    pub starts_on: Option<NaiveDate>,
    pub ends_on: Option<NaiveDate>,
    pub updated_at: Option<DateTime<Utc>>,
}

/// One cohort.
pub async fn find(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<Option<Cohort>> {
    buddy_cohorts::table
        .find(id)
        .select(Cohort::as_select())
        .first(conn)
        .await
        .optional()
}

/// A page of cohorts in creation (id) order.
pub async fn list(
    conn: &mut AsyncPgConnection,
    discipline: Option<Discipline>,
    after: Option<Uuid>,
    limit: i64,
) -> QueryResult<Vec<Cohort>> {
    let mut query = buddy_cohorts::table
        .select(Cohort::as_select())
        .into_boxed();
    if let Some(d) = discipline {
        query = query.filter(buddy_cohorts::discipline.eq(d));
    }
    if let Some(id) = after {
        query = query.filter(buddy_cohorts::id.gt(id));
    }
    query
        .order(buddy_cohorts::id.asc())
        .limit(limit + 1)
        .load(conn)
        .await
}

/// Stores a new cohort.
pub async fn insert(conn: &mut AsyncPgConnection, row: &Cohort) -> QueryResult<Cohort> {
    diesel::insert_into(buddy_cohorts::table)
        .values(row)
        .returning(Cohort::as_returning())
        .get_result(conn)
        .await
}

/// Changes a cohort; answers it as changed.
pub async fn update(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    changes: &CohortChanges<'_>,
) -> QueryResult<Cohort> {
    diesel::update(buddy_cohorts::table.find(id))
        .set(changes)
        .returning(Cohort::as_returning())
        .get_result(conn)
        .await
}
