//! Who is acting and what they may reach, as plain values: the roles of
//! DESIGN.md, a caller's ward scope, and where a request came from. The
//! HTTP layer (`auth`) builds these from a request; the domain layer and
//! the audit log take them without knowing about HTTP.

use uuid::Uuid;

pub use crate::smart_scope::SystemGrant;

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

/// Where a request came from, for the audit log.
#[derive(Debug, Clone, Default)]
pub struct RequestMeta {
    pub request_id: Option<String>,
    pub client_ip: Option<String>,
    pub user_agent: Option<String>,
}

/// Which wards a caller may see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WardScope {
    /// Every ward (manager, admin, integration).
    All,
    /// Only these (everyone else: their assignments).
    Only(Vec<Uuid>),
}

impl WardScope {
    /// The wards a role with these assignments may see.
    pub fn of(role: Role, ward_ids: &[Uuid]) -> Self {
        if role.sees_all_wards() {
            WardScope::All
        } else {
            WardScope::Only(ward_ids.to_vec())
        }
    }

    /// The wards a caller may see, given its Backend Services grant if
    /// any: an integration client that is not trust-wide sees only its
    /// account's wards, though its role would see every ward.
    pub fn granted(role: Role, ward_ids: &[Uuid], grant: Option<&SystemGrant>) -> Self {
        match grant {
            Some(g) if !g.trust_wide => WardScope::Only(ward_ids.to_vec()),
            _ => WardScope::of(role, ward_ids),
        }
    }

    pub fn contains(&self, ward_id: Uuid) -> bool {
        match self {
            WardScope::All => true,
            WardScope::Only(ids) => ids.contains(&ward_id),
        }
    }

    /// The wards a report or feed covers: the one asked for (404 when it is
    /// outside the scope), else every ward in scope (`None`: all wards).
    pub fn narrow(&self, ward_id: Option<Uuid>) -> Result<Option<Vec<Uuid>>, OutOfScope> {
        match (ward_id, self) {
            (Some(w), s) if s.contains(w) => Ok(Some(vec![w])),
            (Some(_), _) => Err(OutOfScope),
            (None, WardScope::All) => Ok(None),
            (None, WardScope::Only(ids)) => Ok(Some(ids.clone())),
        }
    }
}

/// A ward asked for that is outside the caller's scope: answered as if it
/// did not exist (404), so a scope never reveals another ward's records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutOfScope;

/// The caller of a domain operation: who, in which role, on which wards,
/// from where.
#[derive(Debug, Clone)]
pub struct Actor {
    pub id: Uuid,
    pub role: Role,
    /// Wards the user is assigned to.
    pub ward_ids: Vec<Uuid>,
    pub meta: RequestMeta,
    /// For an integration client signed in with SMART Backend Services:
    /// its client id, granted scopes, and whether it sees the whole trust.
    pub grant: Option<std::sync::Arc<SystemGrant>>,
}

impl Actor {
    /// The wards this actor may see.
    pub fn ward_scope(&self) -> WardScope {
        WardScope::granted(self.role, &self.ward_ids, self.grant.as_deref())
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
