//! Which roles may do what: every role set the routes check, in one place.
//! The server checks these on every request; the web app only mirrors them
//! to hide what a role cannot use. Ward scoping (which records within a
//! permitted kind) is [`crate::access::WardScope`]; record-level rules (who
//! may amend which activity) are the domain layer's.

use crate::access::Role;

/// Who records activities: peer workers and their team leaders.
pub const ACTIVITY_RECORDERS: &[Role] = &[Role::PeerSupportWorker, Role::PeerTeamLeader];

/// Who reads activities (within their ward scope). Admins and buddy
/// coordinators see no clinical content.
pub const ACTIVITY_READERS: &[Role] = &[
    Role::PeerSupportWorker,
    Role::PeerTeamLeader,
    Role::WardStaff,
    Role::Manager,
    Role::Integration,
];

/// Who reads a ward's workers: those who work on or run wards.
/// (Integrations and the Buddy Scheme's roles have no use for them.)
pub const WARD_WORKER_READERS: &[Role] = &[
    Role::PeerSupportWorker,
    Role::PeerTeamLeader,
    Role::WardStaff,
    Role::Manager,
    Role::Admin,
];

/// Who reads the whole outbox: trust systems and managers.
pub const EVENT_READERS: &[Role] = &[Role::Integration, Role::Manager];

/// Who pulls the bulk NDJSON export: trust systems.
pub const EXPORTERS: &[Role] = &[Role::Integration];

/// Who pulls reports.
pub const REPORTERS: &[Role] = &[Role::Manager, Role::PeerTeamLeader];

/// Who registers and updates service users: the trust's patient system,
/// and admins by hand.
pub const SERVICE_USER_WRITERS: &[Role] = &[Role::Integration, Role::Admin];

/// Who manages accounts, wards and reads the audit log.
pub const ADMINS: &[Role] = &[Role::Admin];

/// Who writes the Buddy Scheme's directory (cohorts, students, buddies).
pub const BUDDY_DIRECTORY_WRITERS: &[Role] = &[Role::BuddyCoordinator];

/// Who reads the Buddy Scheme's directory and reports.
pub const BUDDY_DIRECTORY_READERS: &[Role] = &[Role::BuddyCoordinator, Role::Manager];

/// Who reads pairings, meetings, reflections and feedback: the directory's
/// readers see all; a student's or buddy's account sees only its own
/// pairings' records (`domain::buddy::read_scope`).
pub const BUDDY_SCHEME_READERS: &[Role] = &[
    Role::BuddyCoordinator,
    Role::Manager,
    Role::BuddyStudent,
    Role::BuddyVolunteer,
];

/// Who plans meetings and records their outcomes, reflections and
/// feedback: the coordinator for any pairing, a student's or buddy's
/// account for its own (`domain::buddy::write_scope`). Managers only read.
pub const BUDDY_SCHEME_WRITERS: &[Role] = &[
    Role::BuddyCoordinator,
    Role::BuddyStudent,
    Role::BuddyVolunteer,
];

/// Who reads a pairing's meetings as a calendar: the coordinator, and the
/// pairing's own student and buddy. (Managers read meetings but not their
/// join links, so not this.)
pub const PAIRING_CALENDAR_READERS: &[Role] = &[
    Role::BuddyCoordinator,
    Role::BuddyStudent,
    Role::BuddyVolunteer,
];

/// Who subscribes to a calendar of their own pairings' meetings.
pub const CALENDAR_SUBSCRIBERS: &[Role] = &[Role::BuddyStudent, Role::BuddyVolunteer];

/// Who reads the measure definitions: everyone who records, reads or
/// reports on the wards, and the trust's systems.
pub const MEASURE_READERS: &[Role] = &[
    Role::PeerSupportWorker,
    Role::PeerTeamLeader,
    Role::WardStaff,
    Role::Manager,
    Role::Admin,
    Role::Integration,
];

/// Who loads a trust's own (licensed) measure definitions.
pub const MEASURE_LOADERS: &[Role] = &[Role::Admin, Role::Manager];

/// Who hands the tablet over for a person's answers and submits them: the
/// peer workers, whose tablet it is.
pub const MEASURE_RECORDERS: &[Role] = ACTIVITY_RECORDERS;

/// Who sees which measures are due on a ward, and withdraws a person's
/// quotes at their request: the staff on the ward, and managers.
pub const WARD_MEASURE_STAFF: &[Role] = &[
    Role::PeerSupportWorker,
    Role::PeerTeamLeader,
    Role::WardStaff,
    Role::Manager,
];

/// Who loads ward-level figures from the trust's other systems.
pub const WARD_FIGURE_LOADERS: &[Role] = &[Role::Manager, Role::Integration];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fhir_api_reads_clinical_records_with_the_rest_apis_roles() {
        assert_eq!(crate::fhir::access::CLINICAL_READERS, ACTIVITY_READERS);
    }
}
