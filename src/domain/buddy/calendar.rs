//! Buddy Scheme meetings in people's own calendars: a pairing's series as
//! iCalendar (RFC 5545) for the coordinator and the pairing's student and
//! buddy, and a personal subscription URL per student or buddy account
//! covering all their pairings. Calendar clients cannot send bearer tokens,
//! so that URL carries a secret token (revocable; only its digest is
//! stored). Every calendar read is audited.
//!
//! The text is written by the `icalendar` crate. Times are UTC (`…Z`), which
//! every client places correctly across the clock changes. Each meeting is
//! one event with a stable UID, so a re-import updates rather than
//! duplicates; `SEQUENCE` grows whenever the meeting moves or changes.
//! Events carry no names: a calendar may sync to a personal phone.

use chrono::Duration;
use diesel_async::AsyncPgConnection;
use icalendar::{Calendar, Component, EventLike, EventStatus, Property};
use uuid::Uuid;

use super::audit_actor;
use super::scope::calendar_scope;
use crate::access::{Actor, RequestMeta, Role};
use crate::audit::{self, AuditActor, AuditEvent};
use crate::domain::{DomainError, DomainResult};
use crate::models::buddy::calendar::{self, SeriesMeeting};
use crate::models::buddy::{pairing, MeetingMode, MeetingStatus, Scope};

/// The name calendar clients show for a Buddy Scheme calendar.
const CALENDAR_NAME: &str = "Buddy Scheme meetings";

/// How long a meeting lasts in a calendar when it has no recorded duration.
pub const DEFAULT_MINUTES: i64 = 60;

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

/// A pairing's meeting series as iCalendar, audited (the coordinator, and
/// the pairing's own student and buddy; managers read meetings but not
/// their links, so not this).
pub async fn pairing_calendar(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    pairing_id: Uuid,
) -> DomainResult<String> {
    let scope = calendar_scope(actor)?;
    let meetings = calendar::meetings(conn, scope, Some(pairing_id)).await?;
    if meetings.is_empty() && pairing::find(conn, pairing_id, scope).await?.is_none() {
        return Err(DomainError::NotFound);
    }
    audit::record(
        conn,
        &audit_actor(actor),
        AuditEvent::new("read", "buddy_calendar", pairing_id),
    )
    .await?;
    Ok(ics(CALENDAR_NAME, &meetings))
}

/// Issues the actor's personal subscription token, replacing any earlier
/// one (which stops working at once), audited.
pub async fn subscribe(conn: &mut AsyncPgConnection, actor: &Actor) -> DomainResult<String> {
    let token = calendar::subscribe(conn, actor.id).await?;
    audit::record(
        conn,
        &audit_actor(actor),
        AuditEvent::new("create", "buddy_calendar_subscription", actor.id),
    )
    .await?;
    Ok(token)
}

/// Revokes the actor's subscription, audited; not found when there is none.
pub async fn unsubscribe(conn: &mut AsyncPgConnection, actor: &Actor) -> DomainResult<()> {
    if !calendar::unsubscribe(conn, actor.id).await? {
        return Err(DomainError::NotFound);
    }
    audit::record(
        conn,
        &audit_actor(actor),
        AuditEvent::new("revoke", "buddy_calendar_subscription", actor.id),
    )
    .await?;
    Ok(())
}

/// A token of the shape subscriptions are issued in (43 URL-safe base64
/// characters); any other is not found, without asking the database.
pub fn check_token(token: &str) -> DomainResult<()> {
    let well_formed = token.len() == 43
        && token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if well_formed {
        Ok(())
    } else {
        Err(DomainError::NotFound)
    }
}

/// The meetings of every pairing of the account a subscription token
/// belongs to, as iCalendar, audited under that account. An unknown or
/// revoked token, or an account that changed role since it subscribed, is
/// not found.
pub async fn subscribed(
    conn: &mut AsyncPgConnection,
    token: &str,
    meta: &RequestMeta,
) -> DomainResult<String> {
    check_token(token)?;
    let (user_id, role) = calendar::subscriber(conn, token)
        .await?
        .ok_or(DomainError::NotFound)?;
    let scope = match role {
        Role::BuddyStudent => Scope::Student(user_id),
        Role::BuddyVolunteer => Scope::Volunteer(user_id),
        // The account changed role since it subscribed.
        _ => return Err(DomainError::NotFound),
    };
    let meetings = calendar::meetings(conn, scope, None).await?;
    audit::record(
        conn,
        &AuditActor::user(user_id, role, meta),
        AuditEvent::new("read", "buddy_calendar_subscription", user_id),
    )
    .await?;
    Ok(ics(CALENDAR_NAME, &meetings))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::buddy::meeting::Meeting;
    use crate::models::buddy::MeetingTopic;
    use chrono::Utc;

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
