//! Demo data for the Buddy Scheme (development only): a cohort per
//! discipline, buddies of both types (some not registered volunteers),
//! pairings at every status with their meetings, reflections and feedback,
//! and two sign-in accounts (`student`, `buddy`) linked to a student and a
//! buddy of an active pairing. Loaded by [`crate::demo::load`]; a second
//! load finds the first cohort and changes nothing.

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

mod data;

use data::{BUDDIES, COHORTS, PAIRINGS, TOPICS};

use crate::access::Role;
use crate::models::buddy::cohort::Cohort;
use crate::models::buddy::evaluation::{Feedback, Reflection};
use crate::models::buddy::meeting::Meeting;
use crate::models::buddy::pairing::Pairing;
use crate::models::buddy::student::Student;
use crate::models::buddy::volunteer::Buddy;
use crate::models::buddy::{
    MeetingMode, MeetingStatus, PairingStatus, Respondent, VolunteerStatus,
};
use crate::schema::{
    buddies, buddy_cohorts, buddy_feedback, buddy_meetings, buddy_pairings, buddy_reflections,
    buddy_students, users,
};

/// Inserts a demo account unless it exists; answers its id.
async fn account(
    conn: &mut AsyncPgConnection,
    username: &str,
    display: &str,
    role: Role,
    password_hash: &str,
) -> QueryResult<Uuid> {
    diesel::insert_into(users::table)
        .values((
            users::id.eq(Uuid::now_v7()),
            users::username.eq(username),
            users::display_name.eq(display),
            users::password_hash.eq(password_hash),
            users::role.eq(role),
        ))
        .on_conflict(users::username)
        .do_nothing()
        .execute(conn)
        .await?;
    users::table
        .filter(users::username.eq(username))
        .select(users::id)
        .first(conn)
        .await
}

/// Loads the Buddy Scheme demo data inside the caller's transaction;
/// answers how many rows were new (none on a second load).
pub async fn load(conn: &mut AsyncPgConnection, password_hash: &str) -> QueryResult<usize> {
    let loaded: i64 = buddy_cohorts::table
        .filter(buddy_cohorts::name.eq(COHORTS[0].0))
        .count()
        .get_result(conn)
        .await?;
    if loaded > 0 {
        return Ok(0);
    }
    let now = Utc::now();
    let today = now.date_naive();
    let coordinator: Uuid = users::table
        .filter(users::role.eq(Role::BuddyCoordinator))
        .select(users::id)
        .order(users::created_at.asc())
        .first(conn)
        .await?;
    let student_account = account(
        conn,
        "student",
        "Sasha Student",
        Role::BuddyStudent,
        password_hash,
    )
    .await?;
    let buddy_account = account(
        conn,
        "buddy",
        "Alex Moor",
        Role::BuddyVolunteer,
        password_hash,
    )
    .await?;
    let mut created = 0;

    let mut cohorts = Vec::new();
    for (name, institution, discipline) in COHORTS {
        cohorts.push(Cohort {
            id: Uuid::now_v7(),
            name: name.into(),
            institution: institution.into(),
            discipline,
            starts_on: today - Duration::days(90),
            ends_on: today + Duration::days(90),
            created_at: now,
            updated_at: now,
        });
    }
    created += diesel::insert_into(buddy_cohorts::table)
        .values(&cohorts)
        .execute(conn)
        .await?;

    // Two students per cohort; the first of the PWP cohort signs in as `student`.
    let mut students = Vec::new();
    for (i, c) in cohorts.iter().enumerate() {
        for (j, name) in [("Sasha", "Student"), ("Kit", "Learner")]
            .iter()
            .enumerate()
        {
            let full_name = format!("{} {} {}", name.0, name.1, i + 1);
            students.push(Student {
                id: Uuid::now_v7(),
                cohort_id: c.id,
                full_name: full_name.clone(),
                discipline: c.discipline,
                institution: c.institution.clone(),
                email: format!(
                    "{}.{}{}@students.example.ac.uk",
                    name.0.to_lowercase(),
                    name.1.to_lowercase(),
                    i + 1
                ),
                user_id: (i == 1 && j == 0).then_some(student_account),
                created_at: now,
                updated_at: now,
            });
        }
    }
    created += diesel::insert_into(buddy_students::table)
        .values(&students)
        .execute(conn)
        .await?;

    let buddy_rows: Vec<Buddy> = BUDDIES
        .iter()
        .enumerate()
        .map(|(i, (name, buddy_type, status, capacity))| Buddy {
            id: Uuid::now_v7(),
            full_name: (*name).into(),
            buddy_type: *buddy_type,
            volunteer_status: *status,
            volunteer_verified_on: (*status != VolunteerStatus::Pending)
                .then(|| today - Duration::days(200)),
            capacity: *capacity,
            email: None,
            user_id: (i == 1).then_some(buddy_account),
            created_at: now,
            updated_at: now,
        })
        .collect();
    created += diesel::insert_into(buddies::table)
        .values(&buddy_rows)
        .execute(conn)
        .await?;

    for (n, demo) in PAIRINGS.iter().enumerate() {
        let student = &students[demo.cohort * 2];
        let started = now - Duration::days(70 - n as i64);
        let ended = matches!(
            demo.status,
            PairingStatus::Completed | PairingStatus::Withdrawn
        );
        let pairing = Pairing {
            id: Uuid::now_v7(),
            student_id: student.id,
            cohort_id: student.cohort_id,
            buddy_id: buddy_rows[demo.buddy].id,
            coordinator_id: coordinator,
            status: demo.status,
            planned_meetings: demo.planned,
            withdrawn_reason: (demo.status == PairingStatus::Withdrawn)
                .then(|| "Student moved to another placement".to_string()),
            activated_at: (demo.status != PairingStatus::Proposed).then_some(started),
            ended_at: ended.then(|| now - Duration::days(2)),
            created_at: started - Duration::days(7),
            updated_at: now,
        };
        created += diesel::insert_into(buddy_pairings::table)
            .values(&pairing)
            .execute(conn)
            .await?;
        created += meetings(conn, &pairing, demo.meetings, started, now).await?;
        if ended {
            created += feedback(conn, &pairing, coordinator, now).await?;
        }
    }
    Ok(created)
}

/// The pairing's meetings, a week apart from its start, with a reflection
/// on each held one.
async fn meetings(
    conn: &mut AsyncPgConnection,
    pairing: &Pairing,
    outcomes: &[MeetingStatus],
    started: DateTime<Utc>,
    now: DateTime<Utc>,
) -> QueryResult<usize> {
    let mut created = 0;
    for (k, status) in outcomes.iter().enumerate() {
        let planned_at = if *status == MeetingStatus::Planned {
            now + Duration::days(5)
        } else {
            started + Duration::days(7 * k as i64 + 1)
        };
        let online = k % 2 == 0;
        let meeting = Meeting {
            id: Uuid::now_v7(),
            pairing_id: pairing.id,
            sequence: k as i32 + 1,
            planned_at,
            mode: if online {
                MeetingMode::OnlineVideo
            } else {
                MeetingMode::InPerson
            },
            link: online.then(|| {
                format!(
                    "https://teams.microsoft.com/l/meetup-join/demo-{}",
                    &pairing.id.simple().to_string()[..12]
                )
            }),
            place: (!online).then(|| "Recovery College, room 2".to_string()),
            calendar_sequence: 0,
            length_minutes: 60,
            topic: TOPICS[k % TOPICS.len()],
            status: *status,
            duration_minutes: (*status == MeetingStatus::Held).then_some(50 + 5 * k as i32),
            created_at: started,
            updated_at: now,
        };
        created += diesel::insert_into(buddy_meetings::table)
            .values(&meeting)
            .execute(conn)
            .await?;
        if *status == MeetingStatus::Held {
            created += diesel::insert_into(buddy_reflections::table)
                .values(Reflection {
                    id: Uuid::now_v7(),
                    meeting_id: meeting.id,
                    body: format!(
                        "Meeting {}: hearing about {} first-hand changed how I think about care.",
                        k + 1,
                        meeting.topic.as_str().replace('_', " ")
                    ),
                    author_id: pairing.coordinator_id,
                    created_at: planned_at + Duration::hours(2),
                })
                .execute(conn)
                .await?;
        }
    }
    Ok(created)
}

/// End-of-pairing feedback from both sides, recorded by the coordinator.
async fn feedback(
    conn: &mut AsyncPgConnection,
    pairing: &Pairing,
    coordinator: Uuid,
    now: DateTime<Utc>,
) -> QueryResult<usize> {
    let completed = pairing.status == PairingStatus::Completed;
    let rows = [
        (
            Respondent::Student,
            if completed { 5 } else { 3 },
            4,
            "Honest, practical, and kind.",
        ),
        (
            Respondent::Buddy,
            if completed { 4 } else { 3 },
            5,
            "A thoughtful student; glad to help.",
        ),
    ]
    .map(|(respondent, overall, support, text)| Feedback {
        id: Uuid::now_v7(),
        pairing_id: pairing.id,
        respondent,
        overall_rating: overall,
        support_rating: support,
        comments: Some(text.to_string()),
        author_id: coordinator,
        created_at: now,
    });
    diesel::insert_into(buddy_feedback::table)
        .values(&rows[..])
        .execute(conn)
        .await
}
