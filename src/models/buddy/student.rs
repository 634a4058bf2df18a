//! Students: who learns from a buddy, in which cohort, with an optional
//! account of their own.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::Discipline;
use crate::schema::buddy_students;

/// A student.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, Serialize, ToSchema)]
#[diesel(table_name = buddy_students)]
pub struct Student {
    pub id: Uuid,
    pub cohort_id: Uuid,
    #[schema(example = "Jo Smith")]
    pub full_name: String,
    pub discipline: Discipline,
    pub institution: String,
    /// Contact email.
    #[schema(example = "jo.smith@uni.example.ac.uk")]
    pub email: String,
    /// The `buddy_student` account linked to this student, if any.
    pub user_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Changes to a student; `None` leaves a field as it is.
#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = buddy_students)]
pub struct StudentChanges<'a> {
    pub full_name: Option<&'a str>,
    pub discipline: Option<Discipline>,
    pub institution: Option<&'a str>,
    pub email: Option<&'a str>,
    pub user_id: Option<Option<Uuid>>,
    pub updated_at: Option<DateTime<Utc>>,
}

/// One student.
pub async fn find(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<Option<Student>> {
    buddy_students::table
        .find(id)
        .select(Student::as_select())
        .first(conn)
        .await
        .optional()
}

/// A page of students in id order, optionally of one cohort.
pub async fn list(
    conn: &mut AsyncPgConnection,
    cohort_id: Option<Uuid>,
    after: Option<Uuid>,
    limit: i64,
) -> QueryResult<Vec<Student>> {
    let mut query = buddy_students::table
        .select(Student::as_select())
        .into_boxed();
    if let Some(c) = cohort_id {
        query = query.filter(buddy_students::cohort_id.eq(c));
    }
    if let Some(id) = after {
        query = query.filter(buddy_students::id.gt(id));
    }
    query
        .order(buddy_students::id.asc())
        .limit(limit + 1)
        .load(conn)
        .await
}

/// Stores a new student.
pub async fn insert(conn: &mut AsyncPgConnection, row: &Student) -> QueryResult<Student> {
    diesel::insert_into(buddy_students::table)
        .values(row)
        .returning(Student::as_returning())
        .get_result(conn)
        .await
}

/// Changes a student; answers them as changed.
pub async fn update(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    changes: &StudentChanges<'_>,
) -> QueryResult<Student> {
    diesel::update(buddy_students::table.find(id))
        .set(changes)
        .returning(Student::as_returning())
        .get_result(conn)
        .await
}
