//! One function per FHIR resource type, each mapping a domain record to
//! its resource, and [`activity_resources`] for the resources of a batch
//! of activities (what a search page and the bulk export emit).
//!
//! An activity is three resources with the activity's id:
//! - an **Encounter** (every kind but `staff_support`, which names nobody
//!   and is about staff, not a person's care);
//! - a **Procedure**, what was done, coded by kind;
//! - a **Group**, for group and awareness sessions and for any activity
//!   naming more than one person: its named members and the count of those
//!   not named. The Encounter's and Procedure's subject is then the Group;
//!   otherwise it is the one Patient.
//!
//! Their `meta.versionId` is the activity's version, so a version of the
//! stored history maps to the same resources as they read then.

pub mod answers;
pub mod encounter;
pub mod group;
pub mod location;
pub mod organization;
pub mod patient;
pub mod practitioner;
pub mod procedure;

pub use answers::{observation, questionnaire_response, AnswerSheet};
pub use encounter::encounter;
pub use group::group;
pub use location::location;
pub use organization::organization;
pub use patient::patient;
pub use practitioner::{practitioner, practitioner_role};
pub use procedure::procedure;

use chrono::{DateTime, Utc};
use serde_json::{json, Value};
use uuid::Uuid;

use super::{instant, uk_core_profile, Trust};
use crate::models::activity::{Activity, ActivityKind};

/// The resource types an activity maps to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActivityResource {
    Encounter,
    Procedure,
    Group,
}

impl ActivityResource {
    /// The FHIR resource type name.
    pub fn type_name(self) -> &'static str {
        match self {
            ActivityResource::Encounter => "Encounter",
            ActivityResource::Procedure => "Procedure",
            ActivityResource::Group => "Group",
        }
    }

    /// Whether an activity has this resource (see the module notes).
    pub fn exists_for(self, a: &Activity) -> bool {
        match self {
            ActivityResource::Encounter | ActivityResource::Procedure => {
                a.details.kind() != ActivityKind::StaffSupport
            }
            ActivityResource::Group => has_group(a),
        }
    }

    /// The resource of an activity, if it has one of this type.
    pub fn map(self, a: &Activity, trust: &Trust) -> Option<Value> {
        if !self.exists_for(a) {
            return None;
        }
        Some(match self {
            ActivityResource::Encounter => encounter(a, trust),
            ActivityResource::Procedure => procedure(a),
            ActivityResource::Group => group(a),
        })
    }

    /// The resource of an activity already serialised, if it has one of
    /// this type: what a search page writes (an Encounter straight from
    /// the record, the others through their JSON tree).
    pub fn raw(self, a: &Activity, trust: &Trust) -> Option<crate::fhir::bundle::RawMatch> {
        if !self.exists_for(a) {
            return None;
        }
        let body = match self {
            ActivityResource::Encounter => {
                serde_json::value::to_raw_value(&encounter::encounter_out(a, trust))
            }
            ActivityResource::Procedure => serde_json::value::to_raw_value(&procedure(a)),
            ActivityResource::Group => serde_json::value::to_raw_value(&group(a)),
        }
        .expect("a resource serialises");
        Some(crate::fhir::bundle::RawMatch {
            type_name: self.type_name(),
            id: a.id,
            body,
        })
    }
}

/// Whether an activity is shown as a Group of people.
pub(crate) fn has_group(a: &Activity) -> bool {
    matches!(
        a.details.kind(),
        ActivityKind::GroupSession | ActivityKind::Awareness
    ) || a.service_user_ids.len() > 1
}

/// Who an activity's Encounter and Procedure are about: its Group, its one
/// Patient, or nobody (staff support).
fn subject(a: &Activity) -> Option<Value> {
    if has_group(a) {
        Some(json!({ "reference": format!("Group/{}", a.id) }))
    } else {
        a.service_user_ids
            .first()
            .map(|p| json!({ "reference": format!("Patient/{p}") }))
    }
}

/// The workers who did an activity: who recorded it first, then the others.
fn workers(a: &Activity) -> impl Iterator<Item = (usize, Uuid)> + '_ {
    std::iter::once(a.recorded_by)
        .chain(
            a.co_worker_ids
                .iter()
                .copied()
                .filter(|w| *w != a.recorded_by),
        )
        .enumerate()
}

/// A resource's `meta`: its version (when it has versions), when it last
/// changed, and the profile it claims (`None`: base R4, no claim).
fn meta(version: Option<i32>, updated: DateTime<Utc>, profile: Option<&str>) -> Value {
    let mut meta = json!({ "lastUpdated": instant(updated) });
    if let Some(v) = version {
        meta["versionId"] = json!(v.to_string());
    }
    if let Some(p) = profile {
        meta["profile"] = json!([uk_core_profile(p)]);
    }
    meta
}

/// Every resource of a batch of activities, in order, each as
/// `(type, resource)`: what the bulk export writes for rows read by
/// `models::activity::list` (or its history), one type at a time if it
/// filters by `_type`.
pub fn activity_resources<'a>(
    batch: &'a [Activity],
    types: &'a [ActivityResource],
    trust: &'a Trust,
) -> impl Iterator<Item = (ActivityResource, Value)> + 'a {
    batch.iter().flat_map(move |a| {
        types
            .iter()
            .filter_map(move |t| t.map(a, trust).map(|r| (*t, r)))
    })
}

#[cfg(test)]
pub(crate) mod examples;
