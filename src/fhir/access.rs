//! Who may do what through the FHIR API, in one function: [`authorise`].
//! Every FHIR route calls it before anything else and reads with the ward
//! scope it answers, so the FHIR view has the REST API's roles and ward
//! scoping, and one place to add system scopes (SMART Backend Services).

use crate::access::{Actor, Role, WardScope};

crate::text_enum! {
    /// The resource types peerlog serves.
    pub enum ResourceType {
        Patient = "Patient",
        Encounter = "Encounter",
        Procedure = "Procedure",
        Group = "Group",
        Location = "Location",
        Organization = "Organization",
        Practitioner = "Practitioner",
        PractitionerRole = "PractitionerRole",
    }
}

impl ResourceType {
    /// Whether the type holds a person's care (and so clinical content).
    pub fn is_clinical(self) -> bool {
        matches!(
            self,
            ResourceType::Patient
                | ResourceType::Encounter
                | ResourceType::Procedure
                | ResourceType::Group
        )
    }
}

/// What a request does with a resource type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Interaction<'a> {
    Read,
    Vread,
    HistoryInstance,
    SearchType,
    /// `Patient/{id}/$everything`, with the roles the trust approved.
    Everything {
        approved: &'a [Role],
    },
}

/// Who is calling: a signed-in user or the `integration` service account
/// (a bearer token the REST API accepts).
#[derive(Debug, Clone)]
pub enum Caller {
    User(Actor),
}

impl Caller {
    pub fn actor(&self) -> &Actor {
        match self {
            Caller::User(a) => a,
        }
    }
}

/// Refused: the role may not do this (403).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Denied;

/// The roles that read people's records, as in the REST API
/// (`auth::policy::ACTIVITY_READERS`): admins and the Buddy Scheme's roles
/// see no clinical content.
pub const CLINICAL_READERS: &[Role] = &[
    Role::PeerSupportWorker,
    Role::PeerTeamLeader,
    Role::WardStaff,
    Role::Manager,
    Role::Integration,
];

/// The roles that read the directory (wards, the trust, peer workers).
const DIRECTORY_READERS: &[Role] = &[
    Role::PeerSupportWorker,
    Role::PeerTeamLeader,
    Role::WardStaff,
    Role::Manager,
    Role::Integration,
    Role::Admin,
];

/// Whether the caller may do this, and if so the ward scope every read of
/// the request must keep to.
pub fn authorise(
    caller: &Caller,
    resource_type: ResourceType,
    interaction: Interaction<'_>,
) -> Result<WardScope, Denied> {
    let actor = caller.actor();
    let roles = match interaction {
        Interaction::Everything { approved } => approved,
        _ if resource_type.is_clinical() => CLINICAL_READERS,
        _ => DIRECTORY_READERS,
    };
    if roles.contains(&actor.role) {
        Ok(actor.ward_scope())
    } else {
        Err(Denied)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::RequestMeta;
    use uuid::Uuid;

    fn caller(role: Role, wards: Vec<Uuid>) -> Caller {
        Caller::User(Actor {
            id: Uuid::nil(),
            role,
            ward_ids: wards,
            meta: RequestMeta::default(),
        })
    }

    #[test]
    fn a_worker_reads_encounters_on_their_wards_only() {
        let ward = Uuid::now_v7();
        let scope = authorise(
            &caller(Role::PeerSupportWorker, vec![ward]),
            ResourceType::Encounter,
            Interaction::SearchType,
        );
        assert_eq!(scope, Ok(WardScope::Only(vec![ward])));
    }

    #[test]
    fn admins_read_the_directory_but_no_clinical_record() {
        let admin = caller(Role::Admin, vec![]);
        assert!(authorise(&admin, ResourceType::Location, Interaction::Read).is_ok());
        assert_eq!(
            authorise(&admin, ResourceType::Patient, Interaction::Read),
            Err(Denied)
        );
    }

    #[test]
    fn everything_is_for_the_approved_roles_alone() {
        let approved = &[Role::Integration];
        let e = Interaction::Everything { approved };
        assert!(authorise(&caller(Role::Integration, vec![]), ResourceType::Patient, e).is_ok());
        assert_eq!(
            authorise(&caller(Role::Manager, vec![]), ResourceType::Patient, e),
            Err(Denied)
        );
    }
}
