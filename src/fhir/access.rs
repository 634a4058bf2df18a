//! Who may do what through the FHIR API, in one function: [`authorise`].
//! Every FHIR route calls it before anything else and reads with the ward
//! scope it answers, so the FHIR view has the REST API's roles and ward
//! scoping, and one place to add system scopes (SMART Backend Services).

use crate::access::{Actor, Role, WardScope};
use crate::smart_scope::Interaction as SmartInteraction;

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
        QuestionnaireResponse = "QuestionnaireResponse",
        Observation = "Observation",
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
                | ResourceType::QuestionnaireResponse
                | ResourceType::Observation
        )
    }

    /// Whether the type holds a person's own answers to a measure, which
    /// the people on the ward never see one by one: the worker handed the
    /// tablet over, and managers see answers only in aggregate.
    pub fn is_personal_answer(self) -> bool {
        matches!(
            self,
            ResourceType::QuestionnaireResponse | ResourceType::Observation
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

/// The roles that read a person's individual answers: the trust's own
/// systems (their record goes to the care record), never a person on the
/// ward. `$everything` also carries them, for the roles the trust approved.
const ANSWER_READERS: &[Role] = &[Role::Integration];

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
        _ if resource_type.is_personal_answer() => ANSWER_READERS,
        _ if resource_type.is_clinical() => CLINICAL_READERS,
        _ => DIRECTORY_READERS,
    };
    if !roles.contains(&actor.role) {
        return Err(Denied);
    }
    // An integration client signed in with SMART Backend Services reads
    // only the resource types its granted scopes name, and searches only
    // where a scope allows `s`. (Bulk Data export reads: `r`.)
    if let Some(grant) = &actor.grant {
        let wanted = match interaction {
            Interaction::SearchType => SmartInteraction::Search,
            _ => SmartInteraction::Read,
        };
        if !grant.scopes.permits(resource_type.as_str(), wanted) {
            return Err(Denied);
        }
    }
    Ok(actor.ward_scope())
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
            grant: None,
        })
    }

    fn system(scopes: &str, wards: Vec<Uuid>) -> Caller {
        let grant = crate::access::SystemGrant {
            client_id: "epr".into(),
            scopes: crate::smart_scope::SmartScopes::parse_list(scopes).unwrap(),
            trust_wide: wards.is_empty(),
        };
        Caller::User(Actor {
            id: Uuid::nil(),
            role: Role::Integration,
            ward_ids: wards,
            meta: RequestMeta::default(),
            grant: Some(std::sync::Arc::new(grant)),
        })
    }

    #[test]
    fn a_backend_service_reads_only_what_its_scopes_name_on_its_wards() {
        let ward = Uuid::now_v7();
        let epr = system("system/Encounter.rs system/Patient.r", vec![ward]);
        assert_eq!(
            authorise(&epr, ResourceType::Encounter, Interaction::SearchType),
            Ok(WardScope::Only(vec![ward]))
        );
        assert!(authorise(&epr, ResourceType::Patient, Interaction::Read).is_ok());
        assert_eq!(
            authorise(&epr, ResourceType::Patient, Interaction::SearchType),
            Err(Denied)
        );
        assert_eq!(
            authorise(&epr, ResourceType::Procedure, Interaction::Read),
            Err(Denied)
        );
        let warehouse = system("system/*.read", vec![]);
        assert_eq!(
            authorise(&warehouse, ResourceType::Group, Interaction::SearchType),
            Ok(WardScope::All)
        );
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
    fn individual_answers_are_for_the_trust_systems_not_the_ward() {
        let ward = Uuid::now_v7();
        for t in [
            ResourceType::QuestionnaireResponse,
            ResourceType::Observation,
        ] {
            for role in [
                Role::PeerSupportWorker,
                Role::PeerTeamLeader,
                Role::WardStaff,
                Role::Manager,
                Role::Admin,
            ] {
                assert_eq!(
                    authorise(&caller(role, vec![ward]), t, Interaction::Read),
                    Err(Denied),
                    "{role:?} {t}"
                );
            }
            // The integration account reads trust-wide, as in the REST API.
            assert_eq!(
                authorise(
                    &caller(Role::Integration, vec![]),
                    t,
                    Interaction::SearchType
                ),
                Ok(WardScope::All)
            );
        }
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
