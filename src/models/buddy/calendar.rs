//! Buddy Scheme meetings as iCalendar (RFC 5545), so students and buddies
//! see their meetings in their own calendars; and the personal subscription
//! tokens calendar clients use, since they cannot send bearer tokens.
//!
//! The text is written by the `icalendar` crate. Times are UTC (`…Z`), which
//! every client places correctly across the clock changes. Each meeting is
//! one event with a stable UID, so a re-import updates rather than
//! duplicates; `SEQUENCE` grows whenever the meeting moves or changes.
//! Events carry no names: a calendar may sync to a personal phone.

use chrono::{Duration, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use icalendar::{Calendar, Component, EventLike, EventStatus, Property};
use uuid::Uuid;

use super::meeting::Meeting;
use super::pairing::{self, PairingFilter};
use super::{MeetingMode, MeetingStatus, Scope};
use crate::schema::{buddy_calendar_subscriptions, buddy_meetings, users};

/// How long a meeting lasts in a calendar when it has no recorded duration.
pub const DEFAULT_MINUTES: i64 = 60;
/// The most pairings one calendar covers (a buddy's capacity is far lower).
const PAIRINGS_MAX: i64 = 200;

/// A meeting's place in its series, for the event's title.
pub struct SeriesMeeting {
    pub meeting: Meeting,
    pub planned_meetings: i32,
}

/// The calendar of these meetings.
pub fn ics(name: &str, meetings: &[SeriesMeeting]) -> String {
    let mut calendar = Calendar::empty();
    for (key, value) in [
        ("VERSION", "2.0"),
        ("PRODID", "-//peerlog//Buddy Scheme//EN"),
        ("CALSCALE", "GREGORIAN"),
        ("METHOD", "PUBLISH"),
    ] {
        calendar.append_property(Property::new(key, value));
    }
    calendar.name(name);
    for SeriesMeeting {
        meeting: m,
        planned_meetings,
    } in meetings
    {
        let minutes = m.duration_minutes.map_or(DEFAULT_MINUTES, i64::from);
        let mut event = icalendar::Event::new();
        event
            .uid(&format!("{}@peerlog", m.id))
            .sequence(u32::try_from(m.calendar_sequence).unwrap_or(0))
            .timestamp(m.updated_at)
            .starts(m.planned_at)
            .ends(m.planned_at + Duration::minutes(minutes))
            .summary(&format!(
                "Buddy Scheme meeting {} of {}: {}",
                m.sequence,
                planned_meetings,
                humanise(m.topic.as_str())
            ))
            .description(&format!(
                "{} meeting of the trust's Buddy Scheme.",
                match m.mode {
                    MeetingMode::OnlineVideo => "An online",
                    MeetingMode::InPerson => "An in-person",
                    MeetingMode::Telephone => "A telephone",
                }
            ))
            .status(match m.status {
                MeetingStatus::CancelledByStudent
                | MeetingStatus::CancelledByBuddy
                | MeetingStatus::CancelledByCoordinator => EventStatus::Cancelled,
                _ => EventStatus::Confirmed,
            });
        if let Some(link) = &m.link {
            event.url(link).location(link);
        } else if let Some(place) = &m.place {
            event.location(place);
        }
        calendar.push(event.done());
    }
    calendar.done().to_string()
}

/// "reflection_and_ending" → "Reflection and ending".
fn humanise(value: &str) -> String {
    let text = value.replace('_', " ");
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => text,
    }
}

/// The meetings of the pairings a scope may see (of one pairing when
/// `only` is given), in time order.
pub async fn meetings(
    conn: &mut AsyncPgConnection,
    scope: Scope,
    only: Option<Uuid>,
) -> QueryResult<Vec<SeriesMeeting>> {
    let pairings = match only {
        Some(id) => pairing::find(conn, id, scope).await?.into_iter().collect(),
        None => pairing::list(conn, scope, &PairingFilter::default(), None, PAIRINGS_MAX).await?,
    };
    let ids: Vec<Uuid> = pairings.iter().map(|p| p.id).collect();
    let rows: Vec<Meeting> = buddy_meetings::table
        .filter(buddy_meetings::pairing_id.eq_any(&ids))
        .select(Meeting::as_select())
        .order((buddy_meetings::planned_at.asc(), buddy_meetings::id.asc()))
        .load(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|meeting| {
            let planned_meetings = pairings
                .iter()
                .find(|p| p.id == meeting.pairing_id)
                .map_or(0, |p| p.planned_meetings);
            SeriesMeeting {
                meeting,
                planned_meetings,
            }
        })
        .collect())
}

fn digest(token: &str) -> Vec<u8> {
    use sha2::{Digest, Sha256};
    Sha256::digest(token.as_bytes()).to_vec()
}

/// Issues a new subscription token for an account, replacing any earlier
/// one (which stops working at once). Only its digest is stored.
pub async fn subscribe(conn: &mut AsyncPgConnection, user_id: Uuid) -> QueryResult<String> {
    use base64::Engine;
    use rand::RngCore;
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    diesel::insert_into(buddy_calendar_subscriptions::table)
        .values((
            buddy_calendar_subscriptions::user_id.eq(user_id),
            buddy_calendar_subscriptions::token_hash.eq(digest(&token)),
            buddy_calendar_subscriptions::created_at.eq(Utc::now()),
        ))
        .on_conflict(buddy_calendar_subscriptions::user_id)
        .do_update()
        .set((
            buddy_calendar_subscriptions::token_hash.eq(digest(&token)),
            buddy_calendar_subscriptions::created_at.eq(Utc::now()),
        ))
        .execute(conn)
        .await?;
    Ok(token)
}

/// Revokes an account's subscription; whether there was one.
pub async fn unsubscribe(conn: &mut AsyncPgConnection, user_id: Uuid) -> QueryResult<bool> {
    let n = diesel::delete(
        buddy_calendar_subscriptions::table
            .filter(buddy_calendar_subscriptions::user_id.eq(user_id)),
    )
    .execute(conn)
    .await?;
    Ok(n > 0)
}

/// The active account a subscription token belongs to, with its role.
pub async fn subscriber(
    conn: &mut AsyncPgConnection,
    token: &str,
) -> QueryResult<Option<(Uuid, crate::access::Role)>> {
    buddy_calendar_subscriptions::table
        .inner_join(users::table.on(users::id.eq(buddy_calendar_subscriptions::user_id)))
        .filter(buddy_calendar_subscriptions::token_hash.eq(digest(token)))
        .filter(users::active.eq(true))
        .select((users::id, users::role))
        .first(conn)
        .await
        .optional()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::buddy::MeetingTopic;

    fn meeting(status: MeetingStatus, link: Option<&str>, place: Option<&str>) -> SeriesMeeting {
        let at = chrono::DateTime::parse_from_rfc3339("2027-10-30T09:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        SeriesMeeting {
            meeting: Meeting {
                id: Uuid::nil(),
                pairing_id: Uuid::nil(),
                sequence: 2,
                planned_at: at,
                mode: if link.is_some() {
                    MeetingMode::OnlineVideo
                } else {
                    MeetingMode::InPerson
                },
                topic: MeetingTopic::LivingWithMentalIllness,
                status,
                duration_minutes: None,
                link: link.map(str::to_string),
                place: place.map(str::to_string),
                calendar_sequence: 3,
                created_at: at,
                updated_at: at,
            },
            planned_meetings: 6,
        }
    }

    #[test]
    fn an_event_carries_its_uid_sequence_times_status_and_link() {
        let text = ics(
            "Buddy Scheme",
            &[
                meeting(
                    MeetingStatus::Planned,
                    Some("https://teams.microsoft.com/l/x"),
                    None,
                ),
                meeting(MeetingStatus::CancelledByBuddy, None, Some("Room 2")),
            ],
        );
        assert!(text.starts_with("BEGIN:VCALENDAR\r\n"));
        assert!(text.contains("PRODID:-//peerlog//Buddy Scheme//EN\r\n"));
        assert!(text.contains("UID:00000000-0000-0000-0000-000000000000@peerlog\r\n"));
        assert!(text.contains("SEQUENCE:3\r\n"));
        assert!(text.contains("DTSTART:20271030T090000Z\r\n"));
        assert!(text.contains("DTEND:20271030T100000Z\r\n"));
        assert!(text.contains("URL:https://teams.microsoft.com/l/x\r\n"));
        assert!(text.contains("LOCATION:Room 2\r\n"));
        assert!(text.contains("STATUS:CANCELLED\r\n"));
        assert!(
            text.contains("SUMMARY:Buddy Scheme meeting 2 of 6: Living with mental illness\r\n")
        );
    }
}
