//! Worked examples for the mapping's unit tests: a trust, a ward, a
//! person, a worker, a one-to-one and a group session.

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::json;
use uuid::{uuid, Uuid};

use crate::access::Role;
use crate::fhir::Trust;
use crate::models::activity::{Activity, ActivityDetails, ActivityKind, ActivityStatus};
use crate::models::service_user::{ServiceUser, ServiceUserSummary};
use crate::models::user::User;
use crate::models::ward::{ServiceLine, Ward};

pub const WARD: Uuid = uuid!("00000000-0000-4000-8000-00000000000a");
pub const PERSON: Uuid = uuid!("00000000-0000-4000-8000-00000000000b");
pub const OTHER_PERSON: Uuid = uuid!("00000000-0000-4000-8000-00000000000c");
pub const WORKER: Uuid = uuid!("00000000-0000-4000-8000-00000000000d");
pub const CO_WORKER: Uuid = uuid!("00000000-0000-4000-8000-00000000000e");

fn at(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

pub fn trust() -> Trust {
    Trust {
        ods_code: "RX4".into(),
        name: "Example Mental Health NHS Trust".into(),
    }
}

pub fn ward(site: Option<&str>) -> Ward {
    Ward {
        id: WARD,
        code: "ADULT-ASH".into(),
        name: "Ash Ward".into(),
        service_line: ServiceLine::Adult,
        active: true,
        ods_site_code: site.map(String::from),
        created_at: at("2026-01-01T00:00:00Z"),
        updated_at: at("2026-01-01T00:00:00Z"),
    }
}

pub fn person(nhs_number: Option<&str>) -> ServiceUser {
    ServiceUser {
        summary: ServiceUserSummary {
            id: PERSON,
            reference: "RX4-000123".into(),
            display_label: "J.S.".into(),
            ward_id: WARD,
            admitted_on: NaiveDate::from_ymd_opt(2026, 10, 1).unwrap(),
            discharged_on: None,
            updated_at: at("2026-10-01T09:00:00Z"),
            bed_or_bay: None,
        },
        nhs_number: nhs_number.map(String::from),
    }
}

pub fn worker(role: Role) -> User {
    User {
        id: WORKER,
        username: "jsmith".into(),
        display_name: "Jo Smith".into(),
        role,
        active: true,
        ward_ids: vec![WARD],
        external_id: None,
        created_at: at("2026-01-01T00:00:00Z"),
        updated_at: at("2026-01-01T00:00:00Z"),
    }
}

fn activity(kind: ActivityKind, details: serde_json::Value, people: Vec<Uuid>) -> Activity {
    Activity {
        id: uuid!("00000000-0000-4000-8000-0000000000f1"),
        ward_id: WARD,
        recorded_by: WORKER,
        co_worker_ids: vec![],
        started_at: at("2026-11-02T10:00:00Z"),
        ended_at: at("2026-11-02T10:30:00Z"),
        duration_minutes: 30,
        service_user_ids: people,
        note: None,
        status: ActivityStatus::Amended,
        version: 2,
        void_reason: None,
        leave_confirmation: None,
        created_at: at("2026-11-02T10:31:00Z"),
        updated_at: at("2026-11-02T11:00:00Z"),
        details: ActivityDetails::parse(kind, details).unwrap(),
    }
}

/// A one-to-one about hearing voices and discharge worries, amended once.
pub fn one_to_one() -> Activity {
    let mut a = activity(
        ActivityKind::OneToOne,
        json!({ "topics": ["hearing_voices", "discharge_worries"] }),
        vec![PERSON],
    );
    a.note = Some("Talked about voices at night.".into());
    a
}

/// A clothes-swap group with two named attendees, three more not named,
/// and a co-facilitator.
pub fn group_session() -> Activity {
    let mut a = activity(
        ActivityKind::GroupSession,
        json!({ "activity": "clothes_swap", "format": "group_session", "unnamed_attendees": 3 }),
        vec![PERSON, OTHER_PERSON],
    );
    a.co_worker_ids = vec![CO_WORKER];
    a
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fhir::resources::{activity_resources, ActivityResource};

    #[test]
    fn a_batch_maps_to_each_activitys_resources_in_order() {
        let batch = [one_to_one(), group_session()];
        let all = [
            ActivityResource::Encounter,
            ActivityResource::Procedure,
            ActivityResource::Group,
        ];
        let types: Vec<&str> = activity_resources(&batch, &all, &trust())
            .map(|(t, r)| {
                assert_eq!(r["resourceType"], t.type_name());
                t.type_name()
            })
            .collect();
        // The one-to-one has no Group; the group session has all three.
        assert_eq!(
            types,
            ["Encounter", "Procedure", "Encounter", "Procedure", "Group"]
        );
        let trust = trust();
        let encounters = activity_resources(&batch, &[ActivityResource::Encounter], &trust);
        assert_eq!(encounters.count(), 2);
    }
}
