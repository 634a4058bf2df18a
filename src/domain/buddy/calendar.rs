//! Buddy Scheme meetings in people's own calendars: a pairing's series as
//! iCalendar (RFC 5545) for the coordinator and the pairing's student and
//! buddy, and a personal subscription URL per student or buddy account
//! covering all their pairings. Calendar clients cannot send bearer tokens,
//! so that URL carries a secret token (revocable; only its digest is
//! stored). Every calendar read is audited.
//!
//! The text is written by the `icalendar` crate, which escapes TEXT values
//! (commas, semicolons, backslashes, newlines), folds lines at 75 octets and
//! ends them with CRLF. Times are UTC (`…Z`), which every client places
//! correctly across the clock changes. Each meeting is one event with a
//! stable UID, so a re-import updates rather than duplicates; `SEQUENCE`
//! grows whenever the meeting moves, changes length or place, or is
//! cancelled. The event ends its planned length after it starts (a held
//! meeting: the length it lasted).
//!
//! Events name the pairing's coordinator as ORGANIZER and its student and
//! buddy as ATTENDEEs, the three people the meeting is for. The scheme holds
//! an email address for every student and for some buddies, none for staff
//! accounts: a person with an address is `mailto:` it, a person without is
//! named by `CN` with their record's `urn:uuid:` as the address, which no
//! client will write to. One meeting's own calendar (`calendar.ics`) is an
//! iTIP message (RFC 5546): `METHOD:REQUEST` while it is planned or after it
//! took place, `METHOD:CANCEL` with `STATUS:CANCELLED` once it is cancelled,
//! the UID unchanged and the SEQUENCE raised. A pairing's series and a
//! personal subscription are feeds, `METHOD:PUBLISH`, where a cancelled
//! meeting stays as `STATUS:CANCELLED`.

use chrono::Duration;
use diesel_async::AsyncPgConnection;
use icalendar::{Calendar, Component, EventLike, EventStatus, Property};
use uuid::Uuid;

use super::audit_actor;
use super::scope::{calendar_scope, visible_meeting};
use crate::access::{Actor, RequestMeta, Role};
use crate::audit::{self, AuditActor, AuditEvent};
use crate::domain::{DomainError, DomainResult};
use crate::models::buddy::calendar::{self, Person, SeriesMeeting};
use crate::models::buddy::{pairing, MeetingMode, MeetingStatus, Scope};

/// The name calendar clients show for a Buddy Scheme calendar.
const CALENDAR_NAME: &str = "Buddy Scheme meetings";

/// How a calendar is meant (RFC 5546 `METHOD`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// A feed to subscribe to or import: a series, a personal calendar.
    Publish,
    /// An invitation to one meeting, or its update after it moved.
    Request,
    /// One meeting's cancellation.
    Cancel,
}

impl Method {
    /// The value as RFC 5545 and the `text/calendar` media type spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Publish => "PUBLISH",
            Method::Request => "REQUEST",
            Method::Cancel => "CANCEL",
        }
    }

    /// One meeting's message: cancelled meetings are withdrawn, the rest
    /// (re)sent.
    pub fn for_meeting(status: MeetingStatus) -> Self {
        if is_cancelled(status) {
            Method::Cancel
        } else {
            Method::Request
        }
    }
}

fn is_cancelled(status: MeetingStatus) -> bool {
    matches!(
        status,
        MeetingStatus::CancelledByStudent
            | MeetingStatus::CancelledByBuddy
            | MeetingStatus::CancelledByCoordinator
    )
}

/// A calendar address property (ORGANIZER, ATTENDEE) naming a person:
/// their email where the scheme holds one, else their record's URN.
fn address(key: &str, person: &Person) -> Property {
    let value = match &person.email {
        Some(email) => format!("mailto:{email}"),
        None => format!("urn:uuid:{}", person.id),
    };
    // A parameter value cannot hold a double quote or a line break.
    let name: String = person
        .name
        .chars()
        .map(|c| match c {
            '"' => '\'',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect();
    let mut property = Property::new(key, value);
    property.add_parameter("CN", &name);
    property
}

/// The calendar of these meetings.
pub fn ics(name: &str, method: Method, meetings: &[SeriesMeeting]) -> String {
    let mut calendar = Calendar::empty();
    for (key, value) in [
        ("VERSION", "2.0"),
        ("PRODID", "-//peerlog//Buddy Scheme//EN"),
        ("CALSCALE", "GREGORIAN"),
        ("METHOD", method.as_str()),
    ] {
        calendar.append_property(Property::new(key, value));
    }
    calendar.name(name);
    for SeriesMeeting {
        meeting: m,
        planned_meetings,
        people,
    } in meetings
    {
        let minutes = match m.status {
            MeetingStatus::Held => m.duration_minutes.unwrap_or(m.length_minutes),
            _ => m.length_minutes,
        };
        let mut event = icalendar::Event::new();
        event
            .uid(&format!("{}@peerlog", m.id))
            .sequence(u32::try_from(m.calendar_sequence).unwrap_or(0))
            .timestamp(m.updated_at)
            .starts(m.planned_at)
            .ends(m.planned_at + Duration::minutes(i64::from(minutes)))
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
            .status(if is_cancelled(m.status) {
                EventStatus::Cancelled
            } else {
                EventStatus::Confirmed
            });
        event.append_property(address("ORGANIZER", &people.coordinator));
        for person in [&people.student, &people.buddy] {
            let mut attendee = address("ATTENDEE", person);
            attendee
                .add_parameter("CUTYPE", "INDIVIDUAL")
                .add_parameter("ROLE", "REQ-PARTICIPANT");
            event.append_multi_property(attendee);
        }
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
    Ok(ics(CALENDAR_NAME, Method::Publish, &meetings))
}

/// One meeting as an iTIP message for people's own calendars, audited: a
/// request while it stands, a cancellation once cancelled. The same
/// readers as a pairing's calendar.
pub async fn meeting_calendar(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    id: Uuid,
) -> DomainResult<(Method, String)> {
    let scope = calendar_scope(actor)?;
    let (meeting, pairing) = visible_meeting(conn, id, scope, false).await?;
    let people = calendar::participants(conn, &[pairing.id])
        .await?
        .into_iter()
        .next()
        .ok_or(DomainError::NotFound)?
        .1;
    audit::record(
        conn,
        &audit_actor(actor),
        AuditEvent::new("read", "buddy_meeting_calendar", id),
    )
    .await?;
    let method = Method::for_meeting(meeting.status);
    let text = ics(
        CALENDAR_NAME,
        method,
        &[SeriesMeeting {
            meeting,
            planned_meetings: pairing.planned_meetings,
            people,
        }],
    );
    Ok((method, text))
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
    Ok(ics(CALENDAR_NAME, Method::Publish, &meetings))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::buddy::calendar::Participants;
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
                length_minutes: 60,
                link: link.map(str::to_string),
                place: place.map(str::to_string),
                calendar_sequence: 3,
                created_at: at,
                updated_at: at,
            },
            planned_meetings: 6,
            people: people(),
        }
    }

    fn people() -> Participants {
        let person = |name: &str, email: Option<&str>| Person {
            id: Uuid::nil(),
            name: name.to_string(),
            email: email.map(str::to_string),
        };
        Participants {
            coordinator: person("Alex \"Lex\" Coordinator", None),
            student: person("Jo Student", Some("jo@uni.example.ac.uk")),
            buddy: person("Hart, Robin", None),
        }
    }

    #[test]
    fn an_event_carries_its_uid_sequence_times_status_and_link() {
        let text = ics(
            "Buddy Scheme",
            Method::Publish,
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
        assert!(text.contains("METHOD:PUBLISH\r\n"));
    }

    #[test]
    fn an_event_names_its_organiser_and_attendees_by_email_or_record() {
        let text = ics(
            "Buddy Scheme",
            Method::Request,
            &[meeting(MeetingStatus::Planned, None, Some("Room 2"))],
        )
        .replace("\r\n ", "");
        let nil = Uuid::nil();
        // A double quote cannot stand in a parameter; a comma is quoted.
        assert!(text.contains(&format!(
            "ORGANIZER;CN=Alex 'Lex' Coordinator:urn:uuid:{nil}\r\n"
        )));
        assert!(text.contains(
            "ATTENDEE;CN=Jo Student;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT:mailto:jo@uni.example.ac.uk\r\n"
        ));
        assert!(text.contains(&format!(
            "ATTENDEE;CN=\"Hart, Robin\";CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT:urn:uuid:{nil}\r\n"
        )));
        assert!(text.contains("METHOD:REQUEST\r\n"));
    }
}
