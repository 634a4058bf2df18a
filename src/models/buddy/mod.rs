//! The Buddy Scheme: students learning from a service user or carer (their
//! Buddy) over a series of structured meetings. Rows, vocabularies and the
//! queries over them; the rules that need a transaction (pairing, meeting
//! outcomes) live in `pairing.rs` and `meeting.rs`.

pub mod calendar;
pub mod cohort;
pub mod evaluation;
pub mod meeting;
pub mod pairing;
pub mod report;
pub mod student;
pub mod volunteer;

use uuid::Uuid;

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

impl PairingStatus {
    /// Whether a pairing may move from this status to `to`.
    pub fn can_become(self, to: PairingStatus) -> bool {
        use PairingStatus::*;
        matches!(
            (self, to),
            (Proposed, Active) | (Active, Completed) | (Proposed, Withdrawn) | (Active, Withdrawn)
        )
    }

    /// Proposed and active pairings take up a place in the buddy's capacity.
    pub fn is_open(self) -> bool {
        matches!(self, PairingStatus::Proposed | PairingStatus::Active)
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

/// A simple email check: something@domain.tld, no spaces, at most 254
/// characters (the database checks the same shape).
pub fn valid_email(email: &str) -> bool {
    if email.len() > 254 || email.chars().any(char::is_whitespace) {
        return false;
    }
    match email.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.contains('@')
                && domain
                    .split_once('.')
                    .is_some_and(|(a, b)| !a.is_empty() && !b.is_empty())
                && !domain.ends_with('.')
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_documented_transitions_are_allowed() {
        use PairingStatus::*;
        let allowed: Vec<_> = PairingStatus::ALL
            .iter()
            .flat_map(|&a| PairingStatus::ALL.iter().map(move |&b| (a, b)))
            .filter(|(a, b)| a.can_become(*b))
            .collect();
        assert_eq!(
            allowed,
            vec![
                (Proposed, Active),
                (Proposed, Withdrawn),
                (Active, Completed),
                (Active, Withdrawn)
            ]
        );
    }

    #[test]
    fn emails() {
        assert!(valid_email("a.b@uni.ac.uk"));
        assert!(!valid_email("a b@uni.ac.uk"));
        assert!(!valid_email("ab@uni"));
        assert!(!valid_email("@uni.ac.uk"));
        assert!(!valid_email("a@b@c.uk"));
        assert!(!valid_email("a@uni."));
    }
}
