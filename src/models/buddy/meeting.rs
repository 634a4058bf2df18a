//! Meetings: a pairing's series of structured meetings, numbered in order.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::{MeetingMode, MeetingStatus, MeetingTopic};
use crate::schema::buddy_meetings;

/// A meeting.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, Serialize, ToSchema)]
#[diesel(table_name = buddy_meetings)]
pub struct Meeting {
    pub id: Uuid,
    pub pairing_id: Uuid,
    /// Position in the pairing's series, unique per pairing.
    #[schema(minimum = 1, maximum = 50)]
    pub sequence: i32,
    pub planned_at: DateTime<Utc>,
    pub mode: MeetingMode,
    pub topic: MeetingTopic,
    pub status: MeetingStatus,
    /// How long the meeting lasted; present exactly when `held`.
    #[schema(minimum = 1, maximum = 480)]
    pub duration_minutes: Option<i32>,
    /// How long the meeting is planned to last, 15 minutes to 4 hours: the
    /// calendar event ends this long after `planned_at`.
    #[schema(minimum = 15, maximum = 240, example = 60)]
    pub length_minutes: i32,
    /// An online meeting's join link (https, on a host the trust allows:
    /// `PEERLOG_MEETING_LINK_HOSTS`). Shown only to the coordinator and the
    /// pairing's own student and buddy; never in reports.
    #[schema(example = "https://teams.microsoft.com/l/meetup-join/19%3ameeting")]
    pub link: Option<String>,
    /// Where an in-person meeting takes place.
    #[schema(max_length = 200, example = "Recovery College, room 2")]
    pub place: Option<String>,
    /// Bumped whenever the meeting moves or changes, so calendar clients
    /// replace their copy (the iCalendar `SEQUENCE`).
    #[serde(skip)]
    pub calendar_sequence: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Changes to a meeting; `None` leaves a field as it is.
#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = buddy_meetings)]
pub struct MeetingChanges {
    pub planned_at: Option<DateTime<Utc>>,
    pub mode: Option<MeetingMode>,
    pub topic: Option<MeetingTopic>,
    pub status: Option<MeetingStatus>,
    pub duration_minutes: Option<Option<i32>>,
    pub length_minutes: Option<i32>,
    pub link: Option<Option<String>>,
    pub place: Option<Option<String>>,
    pub calendar_sequence: Option<i32>,
    pub updated_at: Option<DateTime<Utc>>,
}

/// One meeting (any pairing; callers check the pairing's scope).
pub async fn find(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<Option<Meeting>> {
    buddy_meetings::table
        .find(id)
        .select(Meeting::as_select())
        .first(conn)
        .await
        .optional()
}

/// The next free sequence number of a pairing's series.
pub async fn next_sequence(conn: &mut AsyncPgConnection, pairing_id: Uuid) -> QueryResult<i32> {
    let max: Option<i32> = buddy_meetings::table
        .filter(buddy_meetings::pairing_id.eq(pairing_id))
        .select(diesel::dsl::max(buddy_meetings::sequence))
        .first(conn)
        .await?;
    Ok(max.unwrap_or(0) + 1)
}

/// A page of a pairing's meetings in sequence order.
pub async fn list(
    conn: &mut AsyncPgConnection,
    pairing_id: Uuid,
    after_sequence: Option<i32>,
    limit: i64,
) -> QueryResult<Vec<Meeting>> {
    let mut query = buddy_meetings::table
        .filter(buddy_meetings::pairing_id.eq(pairing_id))
        .select(Meeting::as_select())
        .into_boxed();
    if let Some(seq) = after_sequence {
        query = query.filter(buddy_meetings::sequence.gt(seq));
    }
    query
        .order(buddy_meetings::sequence.asc())
        .limit(limit + 1)
        .load(conn)
        .await
}

/// Stores a new meeting (its sequence is unique within the pairing).
pub async fn insert(conn: &mut AsyncPgConnection, row: &Meeting) -> QueryResult<Meeting> {
    diesel::insert_into(buddy_meetings::table)
        .values(row)
        .returning(Meeting::as_returning())
        .get_result(conn)
        .await
}

/// Changes a meeting; answers it as changed.
pub async fn update(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    changes: &MeetingChanges,
) -> QueryResult<Meeting> {
    diesel::update(buddy_meetings::table.find(id))
        .set(changes)
        .returning(Meeting::as_returning())
        .get_result(conn)
        .await
}

/// Cancels a pairing's still-planned meetings (when it is withdrawn).
pub async fn cancel_planned(conn: &mut AsyncPgConnection, pairing_id: Uuid) -> QueryResult<usize> {
    diesel::update(
        buddy_meetings::table
            .filter(buddy_meetings::pairing_id.eq(pairing_id))
            .filter(buddy_meetings::status.eq(MeetingStatus::Planned)),
    )
    .set((
        buddy_meetings::status.eq(MeetingStatus::CancelledByCoordinator),
        // Calendars replace their copy with the cancellation.
        buddy_meetings::calendar_sequence.eq(buddy_meetings::calendar_sequence + 1),
        buddy_meetings::updated_at.eq(Utc::now()),
    ))
    .execute(conn)
    .await
}
