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

impl Meeting {
    /// The meeting as a reader of this role may see it: managers read the
    /// Buddy Scheme's meetings but not their join links.
    pub fn for_reader(mut self, role: crate::access::Role) -> Self {
        if role == crate::access::Role::Manager {
            self.link = None;
        }
        self
    }
}

/// The longest meeting link, in characters.
pub const LINK_MAX: usize = 1000;
/// The longest place, in characters.
pub const PLACE_MAX: usize = 200;

/// Checks where a meeting happens against its mode: a join link only for
/// an online meeting (https, on an allowed host, no credentials in it), a
/// place only for an in-person one. Errors name `link` or `place`.
pub fn check_where(
    mode: MeetingMode,
    link: Option<&str>,
    place: Option<&str>,
    allowed_hosts: &[String],
    errors: &mut crate::validate::Errors,
) {
    if let Some(link) = link {
        if mode != MeetingMode::OnlineVideo {
            errors.add("link", "not_allowed", "only an online meeting has a link");
        } else if let Err(why) = check_link(link, allowed_hosts) {
            errors.add("link", "invalid_link", why);
        }
    }
    if let Some(place) = place {
        if mode != MeetingMode::InPerson {
            errors.add(
                "place",
                "not_allowed",
                "only an in-person meeting has a place",
            );
        } else {
            errors.text("place", place, 1, PLACE_MAX);
        }
    }
}

/// A join link the trust allows: `https`, a host on the list (exactly),
/// no user name or password, no port but the default, at most
/// [`LINK_MAX`] characters.
pub fn check_link(link: &str, allowed_hosts: &[String]) -> Result<(), String> {
    if link.chars().count() > LINK_MAX {
        return Err(format!("at most {LINK_MAX} characters"));
    }
    let url = url::Url::parse(link).map_err(|_| "not a URL".to_string())?;
    if url.scheme() != "https" {
        return Err("must be an https link".into());
    }
    if !url.username().is_empty() || url.password().is_some() || url.port().is_some() {
        return Err("must not carry a user name, password or port".into());
    }
    let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
    if !allowed_hosts.contains(&host) {
        return Err(format!(
            "links to {host} are not allowed; allowed: {}",
            allowed_hosts.join(", ")
        ));
    }
    Ok(())
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

/// Cancels a pairing's still-planned meetings (when it is withdrawn).
pub async fn cancel_planned(conn: &mut AsyncPgConnection, pairing_id: Uuid) -> QueryResult<usize> {
    diesel::update(
        buddy_meetings::table
            .filter(buddy_meetings::pairing_id.eq(pairing_id))
            .filter(buddy_meetings::status.eq(MeetingStatus::Planned)),
    )
    .set((
        buddy_meetings::status.eq(MeetingStatus::CancelledByCoordinator),
        buddy_meetings::updated_at.eq(Utc::now()),
    ))
    .execute(conn)
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hosts() -> Vec<String> {
        vec!["teams.microsoft.com".into(), "teams.live.com".into()]
    }

    #[test]
    fn only_https_links_to_allowed_hosts_pass() {
        let ok = "https://teams.microsoft.com/l/meetup-join/19%3ameeting_abc%40thread.v2/0";
        assert!(check_link(ok, &hosts()).is_ok());
        assert!(check_link("https://TEAMS.live.com/meet/123", &hosts()).is_ok());
        for bad in [
            "http://teams.microsoft.com/l/x",
            "https://evil.example/teams.microsoft.com",
            "https://teams.microsoft.com.evil.example/x",
            "https://user:pw@teams.microsoft.com/x",
            "https://teams.microsoft.com:8443/x",
            "javascript:alert(1)",
            "teams.microsoft.com/x",
        ] {
            assert!(check_link(bad, &hosts()).is_err(), "{bad}");
        }
        let long = format!("https://teams.microsoft.com/{}", "a".repeat(LINK_MAX));
        assert!(check_link(&long, &hosts()).is_err());
    }

    #[test]
    fn a_link_belongs_to_an_online_meeting_and_a_place_to_an_in_person_one() {
        let mut errors = crate::validate::Errors::new();
        check_where(
            MeetingMode::InPerson,
            Some("https://teams.microsoft.com/x"),
            Some("Room 2"),
            &hosts(),
            &mut errors,
        );
        let fields: Vec<String> = errors.fields();
        assert_eq!(fields, vec!["link"]);
        let mut errors = crate::validate::Errors::new();
        check_where(
            MeetingMode::Telephone,
            None,
            Some("Room 2"),
            &hosts(),
            &mut errors,
        );
        assert_eq!(errors.fields(), vec!["place"]);
    }
}
