//! Reflections and feedback, for the scheme's evaluation: a student's
//! reflection after each held meeting, and end-of-pairing feedback from the
//! student and the buddy (ratings 1 to 5 plus free text).

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::Respondent;
use crate::schema::{buddy_feedback, buddy_reflections};

/// A student's reflection on a held meeting.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, Serialize, ToSchema)]
#[diesel(table_name = buddy_reflections)]
pub struct Reflection {
    pub id: Uuid,
    pub meeting_id: Uuid,
    /// What the student took from the meeting.
    #[schema(min_length = 1, max_length = 4000)]
    pub body: String,
    /// The account that recorded it (the student, or a coordinator for them).
    pub author_id: Uuid,
    pub created_at: DateTime<Utc>,
}

/// End-of-pairing feedback from the student or the buddy.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, Serialize, ToSchema)]
#[diesel(table_name = buddy_feedback)]
pub struct Feedback {
    pub id: Uuid,
    pub pairing_id: Uuid,
    pub respondent: Respondent,
    /// The experience overall, 1 (poor) to 5 (excellent).
    #[schema(minimum = 1, maximum = 5)]
    pub overall_rating: i32,
    /// How well the scheme supported the respondent, 1 to 5.
    #[schema(minimum = 1, maximum = 5)]
    pub support_rating: i32,
    #[schema(max_length = 4000)]
    pub comments: Option<String>,
    pub author_id: Uuid,
    pub created_at: DateTime<Utc>,
}

/// A meeting's reflection, if recorded.
pub async fn reflection_of(
    conn: &mut AsyncPgConnection,
    meeting_id: Uuid,
) -> QueryResult<Option<Reflection>> {
    buddy_reflections::table
        .filter(buddy_reflections::meeting_id.eq(meeting_id))
        .select(Reflection::as_select())
        .first(conn)
        .await
        .optional()
}

/// A pairing's feedback (at most one per respondent), student first.
pub async fn feedback_of(
    conn: &mut AsyncPgConnection,
    pairing_id: Uuid,
) -> QueryResult<Vec<Feedback>> {
    buddy_feedback::table
        .filter(buddy_feedback::pairing_id.eq(pairing_id))
        .select(Feedback::as_select())
        .order(buddy_feedback::respondent.desc())
        .load(conn)
        .await
}

/// Stores a reflection (one per meeting: a second is a unique violation).
pub async fn insert_reflection(
    conn: &mut AsyncPgConnection,
    row: &Reflection,
) -> QueryResult<Reflection> {
    diesel::insert_into(buddy_reflections::table)
        .values(row)
        .returning(Reflection::as_returning())
        .get_result(conn)
        .await
}

/// Stores feedback (one per pairing and respondent: a second is a unique
/// violation).
pub async fn insert_feedback(
    conn: &mut AsyncPgConnection,
    row: &Feedback,
) -> QueryResult<Feedback> {
    diesel::insert_into(buddy_feedback::table)
        .values(row)
        .returning(Feedback::as_returning())
        .get_result(conn)
        .await
}
