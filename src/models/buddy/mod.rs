//! The Buddy Scheme: students learning from a service user or carer (their
//! Buddy) over a series of structured meetings. Rows, vocabularies and the
//! queries over them; the rules and their transactions (who may be paired,
//! a pairing's life, meeting outcomes) are [`crate::domain::buddy`]'s.

pub mod calendar;
pub mod cohort;
pub mod evaluation;
pub mod meeting;
pub mod pairing;
pub mod report;
pub mod student;
pub mod volunteer;

use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::access::Role;
use crate::schema::users;

crate::text_enum! {
    /// A student's (and a cohort's) professional discipline.
    pub enum Discipline {
        OccupationalTherapy = "occupational_therapy",
        PsychologicalWellbeingPractitioner = "psychological_wellbeing_practitioner",
        MentalHealthNursing = "mental_health_nursing",
        Medicine = "medicine",
        SocialWork = "social_work",
        Other = "other",
    }
}

crate::text_enum! {
    /// What lived experience a buddy brings.
    pub enum BuddyType {
        ServiceUser = "service_user",
        Carer = "carer",
    }
}

crate::text_enum! {
    /// Where a buddy's registration as a trust volunteer stands. Only a
    /// verified `registered` volunteer may be paired.
    pub enum VolunteerStatus {
        Pending = "pending",
        Registered = "registered",
        Lapsed = "lapsed",
    }
}

crate::text_enum! {
    /// A pairing's life: proposed → active → completed, or withdrawn from
    /// proposed or active.
    pub enum PairingStatus {
        Proposed = "proposed",
        Active = "active",
        Completed = "completed",
        Withdrawn = "withdrawn",
    }
}

crate::text_enum! {
    /// How a meeting happens.
    pub enum MeetingMode {
        OnlineVideo = "online_video",
        InPerson = "in_person",
        Telephone = "telephone",
    }
}

crate::text_enum! {
    /// The structured topic of a meeting in the series.
    pub enum MeetingTopic {
        Introductions = "introductions",
        LivingWithMentalIllness = "living_with_mental_illness",
        Family = "family",
        Work = "work",
        Community = "community",
        ReflectionAndEnding = "reflection_and_ending",
        Other = "other",
    }
}

crate::text_enum! {
    /// What became of a meeting. Only `planned` meetings change.
    pub enum MeetingStatus {
        Planned = "planned",
        Held = "held",
        CancelledByStudent = "cancelled_by_student",
        CancelledByBuddy = "cancelled_by_buddy",
        CancelledByCoordinator = "cancelled_by_coordinator",
        DidNotAttend = "did_not_attend",
    }
}

crate::text_enum! {
    /// Who gave end-of-pairing feedback.
    pub enum Respondent {
        Student = "student",
        Buddy = "buddy",
    }
}

/// Whose Buddy Scheme records a caller may see: everything (coordinator,
/// manager), or only the pairings of the student or buddy linked to their
/// account. Records outside the scope answer 404, as if they did not exist.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    All,
    /// The student whose `user_id` is this account.
    Student(Uuid),
    /// The buddy whose `user_id` is this account.
    Volunteer(Uuid),
}

/// The role of an account, if it exists: checked before an account is
/// linked to a student or buddy.
pub async fn account_role(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<Option<Role>> {
    users::table
        .find(id)
        .select(users::role)
        .first(conn)
        .await
        .optional()
}
