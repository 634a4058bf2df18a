//! The Buddy Scheme's demo records, as data: cohorts, buddies, the topics
//! of a series, and pairings with the outcomes of their meetings.

use crate::models::buddy::{
    BuddyType, Discipline, MeetingStatus, MeetingTopic, PairingStatus, VolunteerStatus,
};

/// The demo cohorts: name, institution, discipline.
pub(super) const COHORTS: [(&str, &str, Discipline); 6] = [
    (
        "Demo OT 2027",
        "University of Exampleton",
        Discipline::OccupationalTherapy,
    ),
    (
        "Demo PWP 2027",
        "Exampleton IAPT Training Centre",
        Discipline::PsychologicalWellbeingPractitioner,
    ),
    (
        "Demo Nursing 2027",
        "University of Exampleton",
        Discipline::MentalHealthNursing,
    ),
    (
        "Demo Medicine 2027",
        "Exampleton Medical School",
        Discipline::Medicine,
    ),
    (
        "Demo Social Work 2027",
        "Exampleton College",
        Discipline::SocialWork,
    ),
    ("Demo Other 2027", "Exampleton College", Discipline::Other),
];

/// Demo buddies: name, type, registration, capacity.
pub(super) const BUDDIES: [(&str, BuddyType, VolunteerStatus, i32); 6] = [
    (
        "Robin Hart",
        BuddyType::ServiceUser,
        VolunteerStatus::Registered,
        3,
    ),
    (
        "Alex Moor",
        BuddyType::Carer,
        VolunteerStatus::Registered,
        2,
    ),
    (
        "Priya Shah",
        BuddyType::ServiceUser,
        VolunteerStatus::Registered,
        2,
    ),
    (
        "Chris Dale",
        BuddyType::Carer,
        VolunteerStatus::Registered,
        1,
    ),
    ("Jordan Lee", BuddyType::Carer, VolunteerStatus::Pending, 1),
    (
        "Morgan Fell",
        BuddyType::ServiceUser,
        VolunteerStatus::Lapsed,
        1,
    ),
];

pub(super) const TOPICS: [MeetingTopic; 6] = [
    MeetingTopic::Introductions,
    MeetingTopic::LivingWithMentalIllness,
    MeetingTopic::Family,
    MeetingTopic::Work,
    MeetingTopic::Community,
    MeetingTopic::ReflectionAndEnding,
];

/// One demo pairing: cohort index, buddy index, status, planned meetings,
/// and the outcomes of its meetings so far.
pub(super) struct DemoPairing {
    pub cohort: usize,
    pub buddy: usize,
    pub status: PairingStatus,
    pub planned: i32,
    pub meetings: &'static [MeetingStatus],
}

pub(super) const PAIRINGS: [DemoPairing; 5] = [
    DemoPairing {
        cohort: 0,
        buddy: 0,
        status: PairingStatus::Completed,
        planned: 3,
        meetings: &[
            MeetingStatus::Held,
            MeetingStatus::Held,
            MeetingStatus::Held,
        ],
    },
    DemoPairing {
        cohort: 1,
        buddy: 1,
        status: PairingStatus::Active,
        planned: 4,
        meetings: &[
            MeetingStatus::Held,
            MeetingStatus::DidNotAttend,
            MeetingStatus::Held,
            MeetingStatus::Planned,
        ],
    },
    DemoPairing {
        cohort: 2,
        buddy: 2,
        status: PairingStatus::Proposed,
        planned: 6,
        meetings: &[],
    },
    DemoPairing {
        cohort: 3,
        buddy: 3,
        status: PairingStatus::Withdrawn,
        planned: 4,
        meetings: &[MeetingStatus::Held, MeetingStatus::CancelledByCoordinator],
    },
    DemoPairing {
        cohort: 4,
        buddy: 0,
        status: PairingStatus::Active,
        planned: 3,
        meetings: &[MeetingStatus::CancelledByBuddy, MeetingStatus::Planned],
    },
];
