//! Demo data for development: the pilot's ten wards and one account per
//! role, all with the password `peerlog-demo`. Loading twice changes
//! nothing. Production refuses to load it (see `config.rs`).

mod activities;
mod buddy;
mod evidence;

use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::access::Role;
use crate::audit::{self, AuditActor, AuditEvent};
use crate::identity::password;
use crate::models::ward::ServiceLine;
use crate::schema::{users, ward_assignments, wards};

/// The password of every demo account.
pub const DEMO_PASSWORD: &str = "peerlog-demo";

/// The pilot's ten wards: code, name, service line.
pub const WARDS: [(&str, &str, ServiceLine); 10] = [
    (
        "CAMHS-WILLOW",
        "Willow Unit (CAMHS general adolescent)",
        ServiceLine::Camhs,
    ),
    (
        "CAMHS-ROWAN",
        "Rowan Unit (CAMHS psychiatric intensive care)",
        ServiceLine::Camhs,
    ),
    ("ADULT-ASH", "Ash Ward (adult acute)", ServiceLine::Adult),
    (
        "ADULT-BIRCH",
        "Birch Ward (adult acute)",
        ServiceLine::Adult,
    ),
    (
        "ADULT-CEDAR",
        "Cedar Ward (adult psychiatric intensive care)",
        ServiceLine::Adult,
    ),
    (
        "OA-MAPLE",
        "Maple Ward (older adult functional)",
        ServiceLine::OlderAdult,
    ),
    (
        "OA-LINDEN",
        "Linden Ward (older adult organic)",
        ServiceLine::OlderAdult,
    ),
    (
        "SPEC-HOLLY",
        "Holly Unit (eating disorders)",
        ServiceLine::Specialist,
    ),
    (
        "SPEC-ALDER",
        "Alder Unit (mother and baby)",
        ServiceLine::Specialist,
    ),
    (
        "MSU-OAK",
        "Oak Ward (medium secure)",
        ServiceLine::MediumSecure,
    ),
];

/// Demo accounts: username, display name, role, ward codes.
pub const USERS: [(&str, &str, Role, &[&str]); 8] = [
    ("admin", "Alex Admin", Role::Admin, &[]),
    ("manager", "Morgan Manager", Role::Manager, &[]),
    (
        "leader",
        "Lee Leader",
        Role::PeerTeamLeader,
        &["ADULT-ASH", "ADULT-BIRCH", "ADULT-CEDAR"],
    ),
    (
        "psw",
        "Pat Peer",
        Role::PeerSupportWorker,
        &["ADULT-ASH", "ADULT-BIRCH"],
    ),
    (
        "psw2",
        "Sam Peer",
        Role::PeerSupportWorker,
        &["CAMHS-WILLOW", "OA-MAPLE"],
    ),
    ("nurse", "Nico Nurse", Role::WardStaff, &["ADULT-ASH"]),
    (
        "coordinator",
        "Casey Coordinator",
        Role::BuddyCoordinator,
        &[],
    ),
    (
        "integration",
        "Trust EPR integration",
        Role::Integration,
        &[],
    ),
];

/// Loads the demo wards and accounts; returns how many rows were new.
pub async fn load(conn: &mut AsyncPgConnection) -> Result<usize, String> {
    let hash = tokio::task::spawn_blocking(|| password::hash(DEMO_PASSWORD))
        .await
        .map_err(|e| e.to_string())??;
    let wards_and_users = conn
        .transaction::<_, diesel::result::Error, _>(async move |conn| {
            let mut created = 0;
            for (code, name, line) in WARDS {
                created += diesel::insert_into(wards::table)
                    .values((
                        wards::id.eq(Uuid::now_v7()),
                        wards::code.eq(code),
                        wards::name.eq(name),
                        wards::service_line.eq(line),
                    ))
                    .on_conflict(wards::code)
                    .do_nothing()
                    .execute(conn)
                    .await?;
            }
            for (username, display, role, ward_codes) in USERS {
                let inserted = diesel::insert_into(users::table)
                    .values((
                        users::id.eq(Uuid::now_v7()),
                        users::username.eq(username),
                        users::display_name.eq(display),
                        users::password_hash.eq(&hash),
                        users::role.eq(role),
                    ))
                    .on_conflict(users::username)
                    .do_nothing()
                    .execute(conn)
                    .await?;
                if inserted == 0 {
                    continue;
                }
                created += inserted;
                let user_id: Uuid = users::table
                    .filter(users::username.eq(username))
                    .select(users::id)
                    .first(conn)
                    .await?;
                let ward_ids: Vec<Uuid> = wards::table
                    .filter(wards::code.eq_any(ward_codes))
                    .select(wards::id)
                    .load(conn)
                    .await?;
                for ward_id in ward_ids {
                    diesel::insert_into(ward_assignments::table)
                        .values((
                            ward_assignments::user_id.eq(user_id),
                            ward_assignments::ward_id.eq(ward_id),
                        ))
                        .on_conflict_do_nothing()
                        .execute(conn)
                        .await?;
                }
            }
            created += buddy::load(conn, &hash).await?;
            if created > 0 {
                audit::record(
                    conn,
                    &AuditActor::system(),
                    AuditEvent::new("load_demo_data", "system", "demo")
                        .details(serde_json::json!({ "rows_created": created })),
                )
                .await?;
            }
            Ok(created)
        })
        .await
        .map_err(|e| e.to_string())?;
    let activities = activities::load(conn).await?;
    Ok(wards_and_users + activities + evidence::load(conn).await?)
}

/// Creates an admin account (the `create-admin` subcommand).
pub async fn create_admin(
    conn: &mut AsyncPgConnection,
    username: &str,
    display_name: &str,
    password_plain: String,
) -> Result<Uuid, String> {
    if !crate::domain::users::valid_username(username) {
        return Err(
            "the username must be 2 to 64 lower-case letters, digits, '.', '_' or '-'".into(),
        );
    }
    password::check_strength(&password_plain).map_err(|e| format!("the password {e}"))?;
    let hash = tokio::task::spawn_blocking(move || password::hash(&password_plain))
        .await
        .map_err(|e| e.to_string())??;
    let username = username.to_string();
    let display_name = display_name.to_string();
    conn.transaction::<_, diesel::result::Error, _>(async move |conn| {
        let id = Uuid::now_v7();
        let inserted = diesel::insert_into(users::table)
            .values((
                users::id.eq(id),
                users::username.eq(&username),
                users::display_name.eq(&display_name),
                users::password_hash.eq(&hash),
                users::role.eq(Role::Admin),
            ))
            .on_conflict(users::username)
            .do_nothing()
            .execute(conn)
            .await?;
        if inserted == 0 {
            return Err(diesel::result::Error::RollbackTransaction);
        }
        audit::record(
            conn,
            &AuditActor::system(),
            AuditEvent::new("create", "user", id).details(
                serde_json::json!({ "username": username, "role": "admin", "via": "create-admin" }),
            ),
        )
        .await?;
        Ok(id)
    })
    .await
    .map_err(|e| match e {
        diesel::result::Error::RollbackTransaction => "that username is taken".to_string(),
        other => other.to_string(),
    })
}
