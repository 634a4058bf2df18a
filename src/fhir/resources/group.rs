//! Group (base R4; UK Core has no Group profile): the people at a group
//! session, named members plus a count of those not named.

use serde_json::{json, Value};

use super::meta;
use crate::fhir::coding::kind_coding;
use crate::fhir::UNNAMED_ATTENDEES_EXTENSION;
use crate::models::activity::{Activity, ActivityDetails, ActivityStatus};

/// How many attended an activity without being named.
fn unnamed(a: &Activity) -> i32 {
    match &a.details {
        ActivityDetails::GroupSession(g) => g.unnamed_attendees,
        ActivityDetails::Awareness(s) => (s.attendees - a.service_user_ids.len() as i32).max(0),
        _ => 0,
    }
}

/// The Group of an activity: an actual group of persons, coded by kind,
/// whose `quantity` counts everyone who attended and whose members are the
/// people named. An activity entered in error leaves an inactive Group.
pub fn group(a: &Activity) -> Value {
    let unnamed = unnamed(a);
    let members: Vec<Value> = a
        .service_user_ids
        .iter()
        .map(|p| json!({ "entity": { "reference": format!("Patient/{p}") } }))
        .collect();
    let mut r = json!({
        "resourceType": "Group",
        "id": a.id.to_string(),
        "meta": meta(Some(a.version), a.updated_at, None),
        "extension": [{ "url": UNNAMED_ATTENDEES_EXTENSION, "valueInteger": unnamed }],
        "active": a.status != ActivityStatus::EnteredInError,
        "type": "person",
        "actual": true,
        "code": kind_coding(a.details.kind()).concept(),
        "quantity": members.len() as i32 + unnamed,
    });
    if !members.is_empty() {
        r["member"] = json!(members);
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fhir::resources::examples;

    #[test]
    fn a_group_session_names_its_members_and_counts_the_others() {
        let a = examples::group_session();
        let g = group(&a);
        assert_eq!(g["resourceType"], "Group");
        assert_eq!(g["type"], "person");
        assert_eq!(g["actual"], true);
        assert_eq!(g["active"], true);
        assert_eq!(g["member"].as_array().unwrap().len(), 2);
        assert_eq!(g["extension"][0]["valueInteger"], 3);
        assert_eq!(g["quantity"], 5);
        assert!(g["meta"].get("profile").is_none());
    }
}
