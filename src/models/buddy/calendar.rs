//! The meetings a calendar shows, and the personal subscription tokens
//! calendar clients use, since they cannot send bearer tokens. The
//! iCalendar text is written by [`crate::domain::buddy::calendar`].

use chrono::Utc;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::meeting::Meeting;
use super::pairing::{self, PairingFilter};
use super::Scope;
use crate::schema::{
    buddies, buddy_calendar_subscriptions, buddy_meetings, buddy_pairings, buddy_students, users,
};

/// The most pairings one calendar covers (a buddy's capacity is far lower).
const PAIRINGS_MAX: i64 = 200;

/// A meeting's place in its series, for the event's title, and who it is
/// for.
pub struct SeriesMeeting {
    pub meeting: Meeting,
    pub planned_meetings: i32,
    pub people: Participants,
}

/// Someone a calendar event names, with the email address the scheme holds
/// for them, if any (students have one; buddies may; staff accounts do not).
#[derive(Debug, Clone, PartialEq)]
pub struct Person {
    pub id: Uuid,
    pub name: String,
    pub email: Option<String>,
}

/// A pairing's coordinator (the organiser), student and buddy (attendees).
#[derive(Debug, Clone, PartialEq)]
pub struct Participants {
    pub coordinator: Person,
    pub student: Person,
    pub buddy: Person,
}

type ParticipantRow = (
    Uuid,
    Uuid,
    String,
    Uuid,
    String,
    String,
    Uuid,
    String,
    Option<String>,
);

/// The participants of these pairings, by pairing id.
pub async fn participants(
    conn: &mut AsyncPgConnection,
    pairing_ids: &[Uuid],
) -> QueryResult<Vec<(Uuid, Participants)>> {
    let rows: Vec<ParticipantRow> = buddy_pairings::table
        .inner_join(buddy_students::table)
        .inner_join(buddies::table)
        .inner_join(users::table)
        .filter(buddy_pairings::id.eq_any(pairing_ids))
        .select((
            buddy_pairings::id,
            users::id,
            users::display_name,
            buddy_students::id,
            buddy_students::full_name,
            buddy_students::email,
            buddies::id,
            buddies::full_name,
            buddies::email,
        ))
        .load(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(p, cid, cname, sid, sname, semail, bid, bname, bemail)| {
            (
                p,
                Participants {
                    coordinator: Person {
                        id: cid,
                        name: cname,
                        email: None,
                    },
                    student: Person {
                        id: sid,
                        name: sname,
                        email: Some(semail).filter(|e| !e.is_empty()),
                    },
                    buddy: Person {
                        id: bid,
                        name: bname,
                        email: bemail.filter(|e| !e.is_empty()),
                    },
                },
            )
        })
        .collect())
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
    let people = participants(conn, &ids).await?;
    let rows: Vec<Meeting> = buddy_meetings::table
        .filter(buddy_meetings::pairing_id.eq_any(&ids))
        .select(Meeting::as_select())
        .order((buddy_meetings::planned_at.asc(), buddy_meetings::id.asc()))
        .load(conn)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|meeting| {
            let planned_meetings = pairings
                .iter()
                .find(|p| p.id == meeting.pairing_id)
                .map_or(0, |p| p.planned_meetings);
            let people = people
                .iter()
                .find(|(p, _)| *p == meeting.pairing_id)?
                .1
                .clone();
            Some(SeriesMeeting {
                meeting,
                planned_meetings,
                people,
            })
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
