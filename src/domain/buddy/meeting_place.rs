//! Where a meeting happens, checked against how: a join link only for an
//! online meeting, on a host the trust allows; a place only for an
//! in-person one.

use crate::models::buddy::MeetingMode;
use crate::validate::Errors;

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
    errors: &mut Errors,
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
        let mut errors = Errors::new();
        check_where(
            MeetingMode::InPerson,
            Some("https://teams.microsoft.com/x"),
            Some("Room 2"),
            &hosts(),
            &mut errors,
        );
        let fields: Vec<String> = errors.fields();
        assert_eq!(fields, vec!["link"]);
        let mut errors = Errors::new();
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
