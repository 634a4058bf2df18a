//! Activities: what a Peer Support Worker records. The common fields are
//! typed columns; the kind's details are validated per kind (see
//! [`kinds`]) and stored as JSON, with what reports need copied into typed
//! columns. Records are clinical records: changes are amendments that keep
//! every version ([`store`]), and nothing is deleted.
//!
//! Here are the rows, the types and the queries; what a caller sends, the
//! rules every record keeps (each kind's included) and the transactions
//! that write it are in `crate::domain::activities`.

pub mod kinds;
pub mod page;
pub mod refs;
pub mod store;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::access::WardScope;
use crate::schema::{activities, activity_co_workers, activity_service_users, activity_versions};

pub use kinds::{ActivityDetails, ActivityKind};

crate::text_enum! {
    /// Where a record stands. Voided records stay readable but leave
    /// default lists and reports.
    pub enum ActivityStatus {
        Recorded = "recorded",
        Amended = "amended",
        EnteredInError = "entered_in_error",
    }
}

/// An activity as the API returns it (and as versions and events keep it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Activity {
    pub id: Uuid,
    pub ward_id: Uuid,
    /// The worker who recorded it.
    pub recorded_by: Uuid,
    /// Other peer workers who took part (facilitators of a group).
    pub co_worker_ids: Vec<Uuid>,
    #[serde(serialize_with = "crate::rfc3339::serialize")]
    pub started_at: DateTime<Utc>,
    #[serde(serialize_with = "crate::rfc3339::serialize")]
    pub ended_at: DateTime<Utc>,
    #[schema(minimum = 1, maximum = 1440)]
    pub duration_minutes: i32,
    /// The service users involved; for a group, its named attendees.
    pub service_user_ids: Vec<Uuid>,
    #[schema(max_length = 2000)]
    pub note: Option<String>,
    pub status: ActivityStatus,
    /// Increases with every amendment; the ETag is `"v<version>"`.
    pub version: i32,
    /// Why it was marked entered in error.
    pub void_reason: Option<String>,
    /// For escorted leave: the ward staff member who confirmed the leave's
    /// authorisation, and when; absent until confirmed.
    pub leave_confirmation: Option<LeaveConfirmation>,
    #[serde(serialize_with = "crate::rfc3339::serialize")]
    pub created_at: DateTime<Utc>,
    #[serde(serialize_with = "crate::rfc3339::serialize")]
    pub updated_at: DateTime<Utc>,
    #[serde(flatten)]
    pub details: ActivityDetails,
}

/// Ward staff's confirmation that an escorted leave was authorised.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct LeaveConfirmation {
    pub confirmed_by: Uuid,
    #[serde(serialize_with = "crate::rfc3339::serialize")]
    pub confirmed_at: DateTime<Utc>,
}

impl Activity {
    /// The entity tag of this version.
    pub fn etag(&self) -> String {
        format!("\"v{}\"", self.version)
    }

    /// The record as JSON, for versions, events and `current` in problems.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or_default()
    }
}

/// The stored columns of an activity.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = activities)]
pub struct ActivityRow {
    pub id: Uuid,
    pub ward_id: Uuid,
    pub kind: ActivityKind,
    pub recorded_by: Uuid,
    pub started_at: DateTime<Utc>,
    pub ended_at: DateTime<Utc>,
    pub duration_minutes: i32,
    pub note: Option<String>,
    pub status: ActivityStatus,
    pub version: i32,
    pub details: serde_json::Value,
    pub content_hash: String,
    pub void_reason: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub leave_confirmed_by: Option<Uuid>,
    pub leave_confirmed_at: Option<DateTime<Utc>>,
}

impl ActivityRow {
    fn into_activity(
        self,
        co_worker_ids: Vec<Uuid>,
        service_user_ids: Vec<Uuid>,
    ) -> QueryResult<Activity> {
        let details = ActivityDetails::parse(self.kind, self.details).map_err(|e| {
            diesel::result::Error::DeserializationError(
                format!("stored details of {} do not parse: {e:?}", self.id).into(),
            )
        })?;
        Ok(Activity {
            id: self.id,
            ward_id: self.ward_id,
            recorded_by: self.recorded_by,
            co_worker_ids,
            started_at: self.started_at,
            ended_at: self.ended_at,
            duration_minutes: self.duration_minutes,
            service_user_ids,
            note: self.note,
            status: self.status,
            version: self.version,
            void_reason: self.void_reason,
            leave_confirmation: match (self.leave_confirmed_by, self.leave_confirmed_at) {
                (Some(confirmed_by), Some(confirmed_at)) => Some(LeaveConfirmation {
                    confirmed_by,
                    confirmed_at,
                }),
                _ => None,
            },
            created_at: self.created_at,
            updated_at: self.updated_at,
            details,
        })
    }
}

/// Turns rows into activities, loading their co-workers and service users
/// in two queries for the whole set.
async fn assemble(
    conn: &mut AsyncPgConnection,
    rows: Vec<ActivityRow>,
) -> QueryResult<Vec<Activity>> {
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let workers: Vec<(Uuid, Uuid)> = activity_co_workers::table
        .filter(activity_co_workers::activity_id.eq_any(&ids))
        .select((
            activity_co_workers::activity_id,
            activity_co_workers::user_id,
        ))
        .order((
            activity_co_workers::activity_id,
            activity_co_workers::user_id,
        ))
        .load(conn)
        .await?;
    let people: Vec<(Uuid, Uuid)> = activity_service_users::table
        .filter(activity_service_users::activity_id.eq_any(&ids))
        .select((
            activity_service_users::activity_id,
            activity_service_users::service_user_id,
        ))
        .order((
            activity_service_users::activity_id,
            activity_service_users::service_user_id,
        ))
        .load(conn)
        .await?;
    let of = |links: &[(Uuid, Uuid)], id: Uuid| -> Vec<Uuid> {
        links
            .iter()
            .filter(|(a, _)| *a == id)
            .map(|(_, x)| *x)
            .collect()
    };
    rows.into_iter()
        .map(|row| {
            let (w, p) = (of(&workers, row.id), of(&people, row.id));
            row.into_activity(w, p)
        })
        .collect()
}

/// The stored row of an activity, whatever its ward.
pub async fn find_row(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<Option<ActivityRow>> {
    activities::table
        .find(id)
        .select(ActivityRow::as_select())
        .first(conn)
        .await
        .optional()
}

/// One activity, if its ward is within the scope.
pub async fn find(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    scope: &WardScope,
) -> QueryResult<Option<Activity>> {
    match find_row(conn, id).await? {
        Some(row) if scope.contains(row.ward_id) => {
            Ok(assemble(conn, vec![row]).await?.into_iter().next())
        }
        _ => Ok(None),
    }
}

/// Filters for listing activities: the query of `GET /api/v1/activities`
/// as it is, and what the page query takes.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ActivityFilter {
    pub ward_id: Option<Uuid>,
    pub kind: Option<ActivityKind>,
    /// Activities starting at or after this instant.
    pub from: Option<DateTime<Utc>>,
    /// Activities starting before this instant.
    pub to: Option<DateTime<Utc>>,
    /// Only those recorded by this worker.
    pub recorded_by: Option<Uuid>,
    /// Only those naming this service user.
    pub service_user_id: Option<Uuid>,
    /// Only this status; by default every status but `entered_in_error`.
    pub status: Option<ActivityStatus>,
    /// Last changed at or after this instant (FHIR `_lastUpdated`; not a
    /// query parameter of the REST list).
    #[serde(skip)]
    #[param(ignore)]
    pub updated_from: Option<DateTime<Utc>>,
    /// Last changed before this instant (FHIR only).
    #[serde(skip)]
    #[param(ignore)]
    pub updated_to: Option<DateTime<Utc>>,
}

/// The keyset of the list order: newest start first, then id.
pub type ListKey = (DateTime<Utc>, Uuid);

/// A page of activities in the scope, newest first, after the cursor, in
/// one statement (see [`page`]).
pub use page::list;

/// One version of an activity: who changed it, when, why, and how it read.
#[derive(Debug, Clone, Queryable, Selectable, Serialize, ToSchema)]
#[diesel(table_name = activity_versions)]
pub struct ActivityVersion {
    pub version: i32,
    /// `created`, `amended` or `voided`.
    #[schema(example = "amended")]
    pub change: String,
    pub changed_by: Uuid,
    pub changed_at: DateTime<Utc>,
    /// Why it was amended or voided; absent for the first version.
    pub reason: Option<String>,
    /// The record as it read at this version.
    #[schema(value_type = Activity)]
    pub snapshot: serde_json::Value,
}

/// Every version of an activity, oldest first.
pub async fn history(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<Vec<ActivityVersion>> {
    activity_versions::table
        .filter(activity_versions::activity_id.eq(id))
        .select(ActivityVersion::as_select())
        .order(activity_versions::version.asc())
        .load(conn)
        .await
}
