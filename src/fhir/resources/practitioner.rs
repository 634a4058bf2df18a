//! Practitioner and PractitionerRole (UK Core): the peer support workers
//! and team leaders who record activities, with their role code and wards.
//! Other accounts (ward staff, managers, admins) are not practitioners of
//! peer support and are not served.

use serde_json::{json, Value};

use super::meta;
use crate::fhir::coding::practitioner_role_coding;
use crate::fhir::{Trust, USER_ID_SYSTEM};
use crate::models::user::User;

/// The Practitioner of a peer worker's account (`None` for other roles).
/// Their display name is the name the trust gave the account.
pub fn practitioner(u: &User) -> Option<Value> {
    practitioner_role_coding(u.role)?;
    Some(json!({
        "resourceType": "Practitioner",
        "id": u.id.to_string(),
        "meta": meta(None, u.updated_at, Some("Practitioner")),
        "identifier": [{ "system": USER_ID_SYSTEM, "value": u.id.to_string() }],
        "active": u.active,
        "name": [{ "text": u.display_name }],
    }))
}

/// The PractitionerRole of a peer worker: their role code at the trust, on
/// their wards. Its id is the account's, as one account has one role.
pub fn practitioner_role(u: &User, trust: &Trust) -> Option<Value> {
    let code = practitioner_role_coding(u.role)?;
    let wards: Vec<Value> = u
        .ward_ids
        .iter()
        .map(|w| json!({ "reference": format!("Location/{w}") }))
        .collect();
    let mut r = json!({
        "resourceType": "PractitionerRole",
        "id": u.id.to_string(),
        "meta": meta(None, u.updated_at, Some("PractitionerRole")),
        "active": u.active,
        "practitioner": { "reference": format!("Practitioner/{}", u.id), "display": u.display_name },
        "organization": trust.reference(),
        "code": [code.concept()],
    });
    if !wards.is_empty() {
        r["location"] = json!(wards);
    }
    Some(r)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::Role;
    use crate::fhir::resources::examples;

    #[test]
    fn a_peer_support_worker_has_a_role_code_on_their_wards() {
        let u = examples::worker(Role::PeerSupportWorker);
        let p = practitioner(&u).unwrap();
        assert_eq!(p["name"][0]["text"], "Jo Smith");
        let r = practitioner_role(&u, &examples::trust()).unwrap();
        assert_eq!(r["code"][0]["coding"][0]["code"], "peer-support-worker");
        assert_eq!(
            r["location"][0]["reference"],
            format!("Location/{}", examples::WARD)
        );
        assert_eq!(
            r["practitioner"]["reference"],
            format!("Practitioner/{}", u.id)
        );
    }

    #[test]
    fn other_accounts_are_not_practitioners() {
        let u = examples::worker(Role::Manager);
        assert!(practitioner(&u).is_none());
        assert!(practitioner_role(&u, &examples::trust()).is_none());
    }
}
