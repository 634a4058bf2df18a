//! The roles of DESIGN.md and what each may see.

crate::text_enum! {
    /// A user's role; carried in the access token and checked on every request.
    pub enum Role {
        PeerSupportWorker = "peer_support_worker",
        PeerTeamLeader = "peer_team_leader",
        WardStaff = "ward_staff",
        Manager = "manager",
        BuddyCoordinator = "buddy_coordinator",
        Admin = "admin",
        Integration = "integration",
        /// A Buddy Scheme student with an account: sees only their own pairing.
        BuddyStudent = "buddy_student",
        /// A Buddy (service user or carer) with an account: sees only their own pairings.
        BuddyVolunteer = "buddy_volunteer",
    }
}

impl Role {
    /// Roles that see every ward rather than only their assigned ones.
    pub fn sees_all_wards(self) -> bool {
        matches!(self, Role::Manager | Role::Admin | Role::Integration)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_values_round_trip_and_match_serde() {
        for &role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
            assert_eq!(serde_json::to_value(role).unwrap(), role.as_str());
        }
        assert_eq!(Role::parse("root"), None);
    }
}
