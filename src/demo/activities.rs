//! Demo service users and three weeks of activities of every kind on each
//! of the ten demo wards, recorded through the same code path as the API
//! (so every demo record passes the rules, and has its version, event and
//! audit row). Wards no demo worker covers get a worker of their own.
//! Loading again changes nothing: the first demo service user marks the
//! set as loaded.

use chrono::{Duration, DurationRound, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use serde_json::json;
use uuid::Uuid;

use super::WARDS;
use crate::access::{Actor, RequestMeta, Role};
use crate::domain::activities::create;
use crate::domain::activities::NewActivity;
use crate::domain::DomainError;
use crate::models::activity::kinds::ActivityKind;
use crate::models::service_user::{self, ServiceUserFields};
use crate::schema::{service_users, users, ward_assignments, wards};

/// Service users per demo ward.
const PEOPLE_PER_WARD: usize = 6;
/// How many days back the demo activities go.
const DAYS: i64 = 21;
/// Initials for the demo service users' display labels.
const LABELS: [&str; 12] = [
    "A.K.", "B.M.", "C.O.", "D.P.", "E.R.", "F.S.", "G.T.", "H.W.", "J.L.", "K.N.", "L.Y.", "M.Z.",
];

/// The details of the `n`th demo activity of a kind, and how many service
/// users it names.
fn details(
    kind: ActivityKind,
    n: usize,
    start: chrono::DateTime<Utc>,
) -> (serde_json::Value, usize) {
    let pick = |list: &[&str]| list[n % list.len()].to_string();
    let at = |m: i64| start + Duration::minutes(m);
    match kind {
        ActivityKind::EscortedLeave => (
            json!({ "authorisation": pick(&["section_17", "informal"]), "authorised_by": "Responsible clinician",
                    "destination": pick(&["hospital_grounds", "shops", "park_or_outdoors", "cafe"]),
                    "departed_at": at(5), "returned_at": at(25), "returned_as_planned": n % 7 != 3, "incident": false,
                    "would_have_been_cancelled": n % 3 != 2 }),
            1,
        ),
        ActivityKind::OneToOne => (
            json!({ "topics": [pick(&["listening", "coping_strategies", "hearing_voices", "discharge_worries"]), "other"] }),
            1,
        ),
        ActivityKind::Advocacy => (
            json!({ "setting": pick(&["ward_review", "mental_health_tribunal", "care_programme_approach"]),
                    "mode": pick(&["advocating", "supporting_self_advocacy"]), "outcome": pick(&["views_heard", "request_agreed", "pending"]) }),
            1,
        ),
        ActivityKind::GroupSession => (
            json!({ "activity": pick(&["clothes_swap", "coffee_and_chat", "music", "art", "walking", "table_tennis"]),
                    "format": "group_session", "unnamed_attendees": (n % 5) as i32 + 2 }),
            3,
        ),
        ActivityKind::DeEscalation => (
            json!({ "situation": pick(&["between_service_users", "toward_staff"]), "approaches": ["verbal_calming", "space_and_time"],
                    "restraint_avoided": n % 6 != 5, "staff_called": n.is_multiple_of(3),
                    "outcome": if n % 6 == 5 { "restraint_used" } else { "resolved" } }),
            2,
        ),
        ActivityKind::CrisisSupport => (
            json!({ "presentation": pick(&["panic_attack", "distress"]), "approaches": ["grounding", "breathing"], "staff_informed": true }),
            1,
        ),
        ActivityKind::SuicidePrevention => (
            json!({ "escalated_to": "Nurse in charge", "escalated_at": at(30), "safety_plan_discussed": n.is_multiple_of(2) }),
            1,
        ),
        ActivityKind::Wellbeing => (
            json!({ "focus": [pick(&["physical_exercise", "eating", "self_care", "substance_cessation", "practical_issues_at_home"])] }),
            1,
        ),
        ActivityKind::WardReviewSupport => (
            json!({ "support": ["preparing_questions", "attending_review"], "home_leave_recommended": n.is_multiple_of(4) }),
            1,
        ),
        ActivityKind::DischargeSupport => (
            json!({ "focus": [pick(&["housing", "finances", "community_services", "home_leave"])], "home_leave_recommended": n.is_multiple_of(3) }),
            1,
        ),
        ActivityKind::Awareness => (
            json!({ "topic": pick(&["lgbtq_plus", "stigma", "neurodiversity"]), "audience": pick(&["service_users", "mixed", "staff"]),
                    "attendees": 8 }),
            0,
        ),
        ActivityKind::StaffSupport => (
            json!({ "reason": pick(&["stress", "overwhelmed", "after_incident"]), "staff_count": (n % 3) as i32 + 1 }),
            0,
        ),
    }
}

/// A peer worker who records on the ward: an assigned demo worker, or a
/// new one for the ward.
async fn worker_for(conn: &mut AsyncPgConnection, ward_id: Uuid, code: &str) -> QueryResult<Actor> {
    let assigned: Option<(Uuid, Role)> = users::table
        .inner_join(ward_assignments::table)
        .filter(ward_assignments::ward_id.eq(ward_id))
        .filter(users::role.eq(Role::PeerSupportWorker))
        .select((users::id, users::role))
        .order(users::username)
        .first(conn)
        .await
        .optional()?;
    let (id, role) = match assigned {
        Some(found) => found,
        None => {
            let hash: String = users::table
                .filter(users::username.eq("psw"))
                .select(users::password_hash)
                .first(conn)
                .await?;
            let id = Uuid::now_v7();
            let username = format!("psw-{}", code.to_ascii_lowercase());
            let name = format!("Peer worker ({code})");
            diesel::insert_into(users::table)
                .values((
                    users::id.eq(id),
                    users::username.eq(&username),
                    users::display_name.eq(&name),
                    users::password_hash.eq(hash),
                    users::role.eq(Role::PeerSupportWorker),
                ))
                .execute(conn)
                .await?;
            diesel::insert_into(ward_assignments::table)
                .values((
                    ward_assignments::user_id.eq(id),
                    ward_assignments::ward_id.eq(ward_id),
                ))
                .execute(conn)
                .await?;
            (id, Role::PeerSupportWorker)
        }
    };
    Ok(Actor {
        id,
        role,
        ward_ids: vec![ward_id],
        meta: RequestMeta::default(),
        grant: None,
    })
}

/// Loads demo service users and activities, all or nothing; returns how
/// many rows were new.
pub async fn load(conn: &mut AsyncPgConnection) -> Result<usize, String> {
    conn.transaction::<_, DomainError, _>(async |conn| load_all(conn).await)
        .await
        .map_err(|e| format!("demo activities: {e:?}"))
}

async fn load_all(conn: &mut AsyncPgConnection) -> Result<usize, DomainError> {
    let loaded: i64 = service_users::table
        .filter(service_users::reference.like("DEMO-%"))
        .count()
        .get_result(conn)
        .await
        .map_err(DomainError::from)?;
    if loaded > 0 {
        return Ok(0);
    }
    let today = Utc::now()
        .duration_trunc(Duration::days(1))
        .map_err(DomainError::internal)?;
    let mut created = 0;
    for (w, (code, _, _)) in WARDS.iter().enumerate() {
        let ward_id: Uuid = wards::table
            .filter(wards::code.eq(code))
            .select(wards::id)
            .first(conn)
            .await
            .map_err(DomainError::from)?;
        let mut people = Vec::new();
        for p in 0..PEOPLE_PER_WARD {
            let fields = ServiceUserFields {
                display_label: LABELS[(w + p) % LABELS.len()],
                ward_id,
                admitted_on: (today - Duration::days(60 + 5 * p as i64)).date_naive(),
                discharged_on: None,
                nhs_number: None,
                updated_at: Utc::now(),
                bed_or_bay: None,
            };
            let (su, _) = service_user::upsert(conn, &format!("DEMO-{code}-{}", p + 1), &fields)
                .await
                .map_err(DomainError::from)?;
            people.push(su.summary.id);
            created += 1;
        }
        let worker = worker_for(conn, ward_id, code)
            .await
            .map_err(DomainError::from)?;
        // Two activities a day, cycling through every kind.
        for n in 0..(DAYS as usize * 2) {
            let day = DAYS - (n / 2) as i64;
            let start =
                today - Duration::days(day) + Duration::hours(if n % 2 == 0 { 10 } else { 14 });
            let kind = ActivityKind::ALL[(n + w) % ActivityKind::ALL.len()];
            let (details, named) = details(kind, n + w, start);
            let named: Vec<Uuid> = (0..named).map(|i| people[(n + i) % people.len()]).collect();
            let body = json!({
                "ward_id": ward_id,
                "kind": kind,
                "started_at": start,
                "duration_minutes": 30 + 15 * (n % 4) as i32,
                "service_user_ids": named,
                "note": "Demo record.",
                "details": details,
            });
            let raw = serde_json::value::to_raw_value(&body).map_err(DomainError::internal)?;
            let body = NewActivity::from_raw(&raw)?;
            create::create(conn, &worker, DAYS + 2, body).await?;
            created += 1;
        }
    }
    Ok(created)
}
