//! `/api/v1/buddy/meetings/{id}/calendar.ics`: one meeting in people's own
//! calendars, as an invitation that updates when the meeting moves and is
//! withdrawn when it is cancelled. The text is read here by a small RFC 5545
//! reader (below), so the tests see what a calendar client sees: unfolded
//! lines, parameters, unescaped text.

use chrono::{DateTime, Duration, Utc};
use peerlog::auth::Role;
use serde_json::json;

use crate::buddy::{pairing_with_accounts, plan};
use crate::common::{TestApp, TestUser};

/// One content line, unfolded: `NAME;PARAM=value:value`.
#[derive(Debug)]
struct Line {
    name: String,
    params: Vec<(String, String)>,
    value: String,
}

/// Reads an iCalendar text as a client does, checking its framing on the
/// way: CRLF line ends only, physical lines of at most 75 octets, folded
/// lines continued by one space.
fn read_ics(text: &str) -> Vec<Line> {
    assert!(text.ends_with("\r\n"), "the last line ends with CRLF");
    assert!(
        !text.replace("\r\n", "").contains('\n') && !text.replace("\r\n", "").contains('\r'),
        "every line ends with CRLF, never a bare LF or CR"
    );
    let mut logical: Vec<String> = Vec::new();
    for physical in text.trim_end_matches("\r\n").split("\r\n") {
        assert!(
            physical.len() <= 75,
            "a line of {} octets: {physical}",
            physical.len()
        );
        match physical.strip_prefix(' ') {
            Some(rest) => logical
                .last_mut()
                .expect("a continuation follows a line")
                .push_str(rest),
            None => logical.push(physical.to_string()),
        }
    }
    logical.iter().map(|l| parse_line(l)).collect()
}

/// Splits a content line at the first `;` or `:` outside double quotes.
fn parse_line(line: &str) -> Line {
    let mut parts: Vec<String> = vec![String::new()];
    let mut quoted = false;
    let mut value = None;
    for (i, c) in line.char_indices() {
        match c {
            '"' => {
                quoted = !quoted;
                parts.last_mut().unwrap().push(c);
            }
            ';' if !quoted => parts.push(String::new()),
            ':' if !quoted => {
                value = Some(line[i + 1..].to_string());
                break;
            }
            _ => parts.last_mut().unwrap().push(c),
        }
    }
    let name = parts.remove(0);
    let params = parts
        .into_iter()
        .map(|p| {
            let (k, v) = p.split_once('=').expect("a parameter has a value");
            (k.to_string(), v.trim_matches('"').to_string())
        })
        .collect();
    Line {
        name,
        params,
        value: value.unwrap_or_else(|| panic!("no value in {line}")),
    }
}

/// A TEXT value as written (RFC 5545 3.3.11): `\,` `\;` `\\` `\n`.
fn unescape(value: &str) -> String {
    let mut out = String::new();
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') | Some('N') => out.push('\n'),
                Some(other) => out.push(other),
                None => {}
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn one<'a>(lines: &'a [Line], name: &str) -> &'a Line {
    let found: Vec<&Line> = lines.iter().filter(|l| l.name == name).collect();
    assert_eq!(found.len(), 1, "one {name} in {lines:?}");
    found[0]
}

fn all<'a>(lines: &'a [Line], name: &str) -> Vec<&'a Line> {
    lines.iter().filter(|l| l.name == name).collect()
}

fn param<'a>(line: &'a Line, key: &str) -> Option<&'a str> {
    line.params
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

fn at(value: &str) -> DateTime<Utc> {
    chrono::NaiveDateTime::parse_from_str(value, "%Y%m%dT%H%M%SZ")
        .unwrap()
        .and_utc()
}

fn sequence(lines: &[Line]) -> u32 {
    one(lines, "SEQUENCE").value.parse().unwrap()
}

async fn calendar(app: &TestApp, who: &TestUser, meeting: &str) -> (String, Vec<Line>) {
    let resp = app
        .get(
            &format!("/api/v1/buddy/meetings/{meeting}/calendar.ics"),
            &who.token,
        )
        .await;
    resp.assert_status(200);
    let text = resp.text();
    (resp.header("content-type").unwrap(), read_ics(&text))
}

#[actix_web::test]
async fn a_meeting_invites_its_student_and_buddy_from_the_coordinator_for_its_length() {
    let app = TestApp::new().await;
    let (coordinator, jo, _robin, p) = pairing_with_accounts(&app).await;
    let place = "Recovery College, room 2; ground floor\\east";
    let created = plan(&app, &coordinator.token, &p, json!({ "planned_at": "2027-10-29T09:00:00Z", "mode": "in_person", "topic": "introductions", "place": place, "length_minutes": 45 })).await;
    created.assert_status(201);
    assert_eq!(created.json()["length_minutes"], 45);
    let m = created.json()["id"].as_str().unwrap().to_string();

    let (content_type, ics) = calendar(&app, &jo, &m).await;
    assert_eq!(content_type, "text/calendar; charset=utf-8; method=REQUEST");
    assert_eq!(one(&ics, "METHOD").value, "REQUEST");
    assert_eq!(
        all(&ics, "BEGIN")
            .iter()
            .filter(|l| l.value == "VEVENT")
            .count(),
        1
    );
    assert_eq!(one(&ics, "UID").value, format!("{m}@peerlog"));
    assert_eq!(sequence(&ics), 0);
    assert_eq!(one(&ics, "STATUS").value, "CONFIRMED");
    let start = at(&one(&ics, "DTSTART").value);
    assert_eq!(start, at("20271029T090000Z"));
    assert_eq!(at(&one(&ics, "DTEND").value), start + Duration::minutes(45));
    // Commas, semicolons and backslashes in text are escaped, and read back.
    assert_eq!(unescape(&one(&ics, "LOCATION").value), place);
    assert!(
        one(&ics, "LOCATION").value.contains("\\,") && one(&ics, "LOCATION").value.contains("\\;")
    );

    // The coordinator organises; the student (who has an email address)
    // and the buddy (who has none) attend.
    let organiser = one(&ics, "ORGANIZER");
    assert_eq!(param(organiser, "CN"), Some("Test buddy_coordinator"));
    assert_eq!(organiser.value, format!("urn:uuid:{}", coordinator.id));
    let attendees = all(&ics, "ATTENDEE");
    assert_eq!(attendees.len(), 2);
    assert_eq!(param(attendees[0], "CN"), Some("Jo"));
    assert_eq!(attendees[0].value, "mailto:student@uni.example.ac.uk");
    assert_eq!(param(attendees[1], "CN"), Some("Robin Hart"));
    assert!(attendees[1].value.starts_with("urn:uuid:"));
    assert!(attendees
        .iter()
        .all(|a| param(a, "ROLE") == Some("REQ-PARTICIPANT")));
    assert_eq!(app.audit_count("read", "buddy_meeting_calendar").await, 1);
}

#[actix_web::test]
async fn moving_a_meeting_keeps_its_uid_and_raises_its_sequence_each_time() {
    let app = TestApp::new().await;
    let (coordinator, _jo, robin, p) = pairing_with_accounts(&app).await;
    let created = plan(
        &app,
        &coordinator.token,
        &p,
        json!({ "planned_at": "2027-10-29T09:00:00Z", "mode": "in_person", "topic": "family" }),
    )
    .await;
    created.assert_status(201);
    // No length given: an hour.
    assert_eq!(created.json()["length_minutes"], 60);
    let m = created.json()["id"].as_str().unwrap().to_string();
    let (_, before) = calendar(&app, &coordinator, &m).await;
    assert_eq!(
        at(&one(&before, "DTEND").value) - at(&one(&before, "DTSTART").value),
        Duration::minutes(60)
    );

    let path = format!("/api/v1/buddy/meetings/{m}");
    let mut last = sequence(&before);
    for (change, start, minutes) in [
        (
            json!({ "planned_at": "2027-10-30T14:00:00Z" }),
            "20271030T140000Z",
            60,
        ),
        (json!({ "length_minutes": 90 }), "20271030T140000Z", 90),
        (json!({ "place": "Day room" }), "20271030T140000Z", 90),
    ] {
        app.patch(&path, &coordinator.token, &change)
            .await
            .assert_status(200);
        let (_, after) = calendar(&app, &robin, &m).await;
        assert_eq!(one(&after, "UID").value, format!("{m}@peerlog"));
        assert_eq!(one(&after, "METHOD").value, "REQUEST");
        assert!(sequence(&after) > last, "{change}: the sequence rises");
        last = sequence(&after);
        assert_eq!(one(&after, "DTSTART").value, start);
        assert_eq!(
            at(&one(&after, "DTEND").value),
            at(start) + Duration::minutes(minutes)
        );
    }
    // The length is stored with the meeting.
    assert_eq!(
        app.get(&path, &coordinator.token).await.json()["length_minutes"],
        90
    );
    // A change that moves nothing raises nothing.
    app.patch(&path, &coordinator.token, &json!({ "length_minutes": 90 }))
        .await
        .assert_status(200);
    assert_eq!(sequence(&calendar(&app, &robin, &m).await.1), last);
}

#[actix_web::test]
async fn a_cancelled_meeting_is_withdrawn_from_calendars_under_the_same_uid() {
    let app = TestApp::new().await;
    let (coordinator, jo, robin, p) = pairing_with_accounts(&app).await;
    let m = plan(
        &app,
        &coordinator.token,
        &p,
        json!({ "planned_at": "2027-10-29T09:00:00Z", "mode": "telephone", "topic": "work" }),
    )
    .await;
    let m = m.json()["id"].as_str().unwrap().to_string();
    let (_, invited) = calendar(&app, &jo, &m).await;

    app.patch(
        &format!("/api/v1/buddy/meetings/{m}"),
        &robin.token,
        &json!({ "status": "cancelled_by_buddy" }),
    )
    .await
    .assert_status(200);
    let (content_type, cancelled) = calendar(&app, &jo, &m).await;
    assert_eq!(content_type, "text/calendar; charset=utf-8; method=CANCEL");
    assert_eq!(one(&cancelled, "METHOD").value, "CANCEL");
    assert_eq!(one(&cancelled, "STATUS").value, "CANCELLED");
    assert_eq!(one(&cancelled, "UID").value, one(&invited, "UID").value);
    assert!(sequence(&cancelled) > sequence(&invited));
    // A cancellation names its organiser and the people it is withdrawn from.
    assert_eq!(
        one(&cancelled, "ORGANIZER").value,
        format!("urn:uuid:{}", coordinator.id)
    );
    assert_eq!(all(&cancelled, "ATTENDEE").len(), 2);

    // Withdrawing the pairing cancels its planned meetings: their calendars
    // say so, with a raised sequence too.
    let next = plan(
        &app,
        &coordinator.token,
        &p,
        json!({ "planned_at": "2027-11-05T09:00:00Z", "mode": "telephone", "topic": "work" }),
    )
    .await;
    let next = next.json()["id"].as_str().unwrap().to_string();
    let (_, before) = calendar(&app, &coordinator, &next).await;
    crate::buddy::set_status(
        &app,
        &coordinator.token,
        &p,
        "withdrawn",
        Some("The student left the course"),
    )
    .await
    .assert_status(200);
    let (_, after) = calendar(&app, &coordinator, &next).await;
    assert_eq!(one(&after, "METHOD").value, "CANCEL");
    assert!(sequence(&after) > sequence(&before));
}

#[actix_web::test]
async fn long_text_is_folded_at_75_octets_and_reads_back_whole() {
    let app = TestApp::new().await;
    let (coordinator, jo, _robin, p) = pairing_with_accounts(&app).await;
    // 200 characters, some of them two or three octets long.
    let place =
        "Café Ünïon, Recovery College — the long room at the end of the corridor; ".repeat(3);
    let place: String = place
        .chars()
        .take(200)
        .collect::<String>()
        .trim()
        .to_string();
    let m = plan(&app, &coordinator.token, &p, json!({ "planned_at": "2027-10-29T09:00:00Z", "mode": "in_person", "topic": "work", "place": place })).await;
    m.assert_status(201);
    let m = m.json()["id"].as_str().unwrap().to_string();
    let resp = app
        .get(
            &format!("/api/v1/buddy/meetings/{m}/calendar.ics"),
            &jo.token,
        )
        .await;
    let text = resp.text();
    assert!(text.contains("\r\n "), "a long line is folded");
    // read_ics checks every physical line is at most 75 octets.
    assert_eq!(unescape(&one(&read_ics(&text), "LOCATION").value), place);
}

#[actix_web::test]
async fn a_meetings_calendar_is_for_its_own_people_only() {
    let app = TestApp::new().await;
    let (coordinator, _jo, _robin, p) = pairing_with_accounts(&app).await;
    let m = plan(
        &app,
        &coordinator.token,
        &p,
        json!({ "planned_at": "2027-10-29T09:00:00Z", "mode": "telephone", "topic": "work" }),
    )
    .await;
    let path = format!(
        "/api/v1/buddy/meetings/{}/calendar.ics",
        m.json()["id"].as_str().unwrap()
    );
    let other = app.user(Role::BuddyStudent, &[]).await;
    app.get(&path, &other.token)
        .await
        .assert_problem(404, "not_found");
    let manager = app.user(Role::Manager, &[]).await;
    app.get(&path, &manager.token)
        .await
        .assert_problem(403, "forbidden");
}

#[actix_web::test]
async fn a_length_outside_15_minutes_to_4_hours_is_refused_naming_the_field() {
    let app = TestApp::new().await;
    let (coordinator, _jo, _robin, p) = pairing_with_accounts(&app).await;
    for minutes in [10, 241] {
        let r = plan(&app, &coordinator.token, &p, json!({ "planned_at": "2027-10-29T09:00:00Z", "mode": "telephone", "topic": "work", "length_minutes": minutes })).await;
        let body = r.assert_problem(422, "validation_failed");
        assert_eq!(r.error_fields(), vec!["length_minutes"]);
        assert!(
            body.to_string().contains("between 15 minutes and 4 hours"),
            "{body}"
        );
    }
    let m = plan(&app, &coordinator.token, &p, json!({ "planned_at": "2027-10-29T09:00:00Z", "mode": "telephone", "topic": "work", "length_minutes": 240 })).await;
    m.assert_status(201);
    let r = app
        .patch(
            &format!(
                "/api/v1/buddy/meetings/{}",
                m.json()["id"].as_str().unwrap()
            ),
            &coordinator.token,
            &json!({ "length_minutes": 14 }),
        )
        .await;
    r.assert_problem(422, "validation_failed");
    assert_eq!(r.error_fields(), vec!["length_minutes"]);
}
