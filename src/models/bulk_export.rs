//! FHIR Bulk Data export jobs and their files, and the reads an export
//! makes: the activity outbox in a window, service users, wards.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Jsonb, Text, Timestamptz, Uuid as SqlUuid};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::access::WardScope;
use crate::models::service_user::ServiceUser;
use crate::schema::{bulk_export_files, bulk_exports, service_users};

crate::text_enum! {
    /// Where an export job stands.
    pub enum JobStatus {
        Pending = "pending",
        Running = "running",
        Completed = "completed",
        Failed = "failed",
        Cancelled = "cancelled",
        /// Completed, and its files since deleted.
        Expired = "expired",
    }
}

/// A job's row.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = bulk_exports)]
pub struct Job {
    pub id: Uuid,
    pub requested_by: Uuid,
    pub request_url: String,
    pub group_id: Option<Uuid>,
    pub resource_types: Vec<String>,
    pub since: Option<DateTime<Utc>>,
    pub since_horizon: i64,
    pub ward_ids: Option<Vec<Uuid>>,
    pub transaction_time: DateTime<Utc>,
    pub horizon: i64,
    pub status: JobStatus,
    pub progress: Option<String>,
    pub error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub completed_at: Option<DateTime<Utc>>,
    pub expires_at: Option<DateTime<Utc>>,
}

impl Job {
    /// The wards the export covers.
    pub fn scope(&self) -> WardScope {
        match &self.ward_ids {
            None => WardScope::All,
            Some(ids) => WardScope::Only(ids.clone()),
        }
    }
}

/// One NDJSON file of a completed export.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = bulk_export_files)]
pub struct JobFile {
    pub export_id: Uuid,
    pub seq: i32,
    pub resource_type: String,
    pub count: i64,
}

pub async fn insert(conn: &mut AsyncPgConnection, job: &Job) -> QueryResult<()> {
    diesel::insert_into(bulk_exports::table)
        .values(job.clone())
        .execute(conn)
        .await
        .map(|_| ())
}

pub async fn find(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<Option<Job>> {
    bulk_exports::table
        .find(id)
        .select(Job::as_select())
        .first(conn)
        .await
        .optional()
}

pub async fn files(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<Vec<JobFile>> {
    bulk_export_files::table
        .filter(bulk_export_files::export_id.eq(id))
        .select(JobFile::as_select())
        .order(bulk_export_files::seq)
        .load(conn)
        .await
}

/// The horizon of the export that reported this transactionTime, if any.
pub async fn horizon_at(
    conn: &mut AsyncPgConnection,
    transaction_time: DateTime<Utc>,
) -> QueryResult<Option<i64>> {
    bulk_exports::table
        .filter(bulk_exports::transaction_time.eq(transaction_time))
        // Two exports in one millisecond: the earlier horizon, so a change
        // may repeat but is never missed.
        .order(bulk_exports::horizon.asc())
        .select(bulk_exports::horizon)
        .first(conn)
        .await
        .optional()
}

/// Marks a job cancelled unless it already ended; true when it was live
/// or completed (its files are then the caller's to delete).
pub async fn cancel(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<bool> {
    diesel::update(bulk_exports::table.find(id))
        .filter(bulk_exports::status.eq_any(["pending", "running", "completed"]))
        .set(bulk_exports::status.eq(JobStatus::Cancelled))
        .execute(conn)
        .await
        .map(|n| n > 0)
}

/// Takes the oldest pending job for running, if any (one runner wins).
pub async fn claim(conn: &mut AsyncPgConnection) -> QueryResult<Option<Job>> {
    diesel::sql_query(
        "UPDATE bulk_exports SET status = 'running' WHERE id = ( \
           SELECT id FROM bulk_exports WHERE status = 'pending' \
           ORDER BY created_at FOR UPDATE SKIP LOCKED LIMIT 1) \
         RETURNING *",
    )
    .get_result::<JobByName>(conn)
    .await
    .optional()
    .map(|j| j.map(|j| j.0))
}

/// A job read by a raw statement.
struct JobByName(Job);

impl QueryableByName<diesel::pg::Pg> for JobByName {
    fn build<'a>(
        row: &impl diesel::row::NamedRow<'a, diesel::pg::Pg>,
    ) -> diesel::deserialize::Result<Self> {
        use diesel::row::NamedRow;
        let status: String = NamedRow::get::<Text, _>(row, "status")?;
        Ok(JobByName(Job {
            id: NamedRow::get::<SqlUuid, _>(row, "id")?,
            requested_by: NamedRow::get::<SqlUuid, _>(row, "requested_by")?,
            request_url: NamedRow::get::<Text, _>(row, "request_url")?,
            group_id: NamedRow::get::<diesel::sql_types::Nullable<SqlUuid>, _>(row, "group_id")?,
            resource_types: NamedRow::get::<Array<Text>, _>(row, "resource_types")?,
            since: NamedRow::get::<diesel::sql_types::Nullable<Timestamptz>, _>(row, "since")?,
            since_horizon: NamedRow::get::<BigInt, _>(row, "since_horizon")?,
            ward_ids: NamedRow::get::<diesel::sql_types::Nullable<Array<SqlUuid>>, _>(
                row, "ward_ids",
            )?,
            transaction_time: NamedRow::get::<Timestamptz, _>(row, "transaction_time")?,
            horizon: NamedRow::get::<BigInt, _>(row, "horizon")?,
            status: JobStatus::parse(&status).ok_or("unknown job status")?,
            progress: NamedRow::get::<diesel::sql_types::Nullable<Text>, _>(row, "progress")?,
            error: NamedRow::get::<diesel::sql_types::Nullable<Text>, _>(row, "error")?,
            created_at: NamedRow::get::<Timestamptz, _>(row, "created_at")?,
            completed_at: NamedRow::get::<diesel::sql_types::Nullable<Timestamptz>, _>(
                row,
                "completed_at",
            )?,
            expires_at: NamedRow::get::<diesel::sql_types::Nullable<Timestamptz>, _>(
                row,
                "expires_at",
            )?,
        }))
    }
}

/// Jobs a stopped service left running go back to pending, to run again
/// from the start (same horizon, so the same output).
pub async fn requeue_interrupted(conn: &mut AsyncPgConnection) -> QueryResult<usize> {
    diesel::update(bulk_exports::table.filter(bulk_exports::status.eq("running")))
        .set(bulk_exports::status.eq(JobStatus::Pending))
        .execute(conn)
        .await
}

/// Records progress; false when the job is no longer running (cancelled).
pub async fn progress(conn: &mut AsyncPgConnection, id: Uuid, text: &str) -> QueryResult<bool> {
    diesel::update(bulk_exports::table.find(id))
        .filter(bulk_exports::status.eq("running"))
        .set(bulk_exports::progress.eq(text))
        .execute(conn)
        .await
        .map(|n| n > 0)
}

/// Completes a running job with its files, in one transaction; false when
/// it was cancelled meanwhile.
pub async fn complete(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    files: &[JobFile],
    expires_at: DateTime<Utc>,
) -> QueryResult<bool> {
    use diesel_async::AsyncConnection;
    let files = files.to_vec();
    conn.transaction(async move |conn| {
        let n = diesel::update(bulk_exports::table.find(id))
            .filter(bulk_exports::status.eq("running"))
            .set((
                bulk_exports::status.eq(JobStatus::Completed),
                bulk_exports::completed_at.eq(Utc::now()),
                bulk_exports::expires_at.eq(expires_at),
                bulk_exports::progress.eq(None::<String>),
            ))
            .execute(conn)
            .await?;
        if n == 0 {
            return Ok(false);
        }
        diesel::insert_into(bulk_export_files::table)
            .values(files)
            .execute(conn)
            .await?;
        Ok(true)
    })
    .await
}

/// Marks a running job failed.
pub async fn fail(conn: &mut AsyncPgConnection, id: Uuid, error: &str) -> QueryResult<()> {
    diesel::update(bulk_exports::table.find(id))
        .filter(bulk_exports::status.eq("running"))
        .set((
            bulk_exports::status.eq(JobStatus::Failed),
            bulk_exports::error.eq(error),
        ))
        .execute(conn)
        .await
        .map(|_| ())
}

/// Completed jobs whose files are past their time, marked expired; their
/// ids, for the files to be deleted.
pub async fn expire(conn: &mut AsyncPgConnection) -> QueryResult<Vec<Uuid>> {
    diesel::update(
        bulk_exports::table
            .filter(bulk_exports::status.eq("completed"))
            .filter(bulk_exports::expires_at.lt(Utc::now())),
    )
    .set(bulk_exports::status.eq(JobStatus::Expired))
    .returning(bulk_exports::id)
    .get_results(conn)
    .await
}

/// An outbox row in an export's window.
#[derive(Debug, QueryableByName)]
pub struct WindowEvent {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = Text)]
    pub xid: String,
    #[diesel(sql_type = SqlUuid)]
    pub activity_id: Uuid,
    #[diesel(sql_type = Jsonb)]
    pub payload: serde_json::Value,
}

/// What an export reads of the outbox.
pub struct Window<'a> {
    /// Events of transactions at or above this (a previous export's horizon).
    pub from_horizon: i64,
    /// Events of transactions below this (this export's horizon).
    pub horizon: i64,
    pub wards: Option<&'a [Uuid]>,
    /// Only events written after this (a `_since` no export reported).
    pub since: Option<DateTime<Utc>>,
    /// Only activities with one of these people (a Group export).
    pub members: Option<&'a [Uuid]>,
}

/// The next `limit` events of the window after `(xid, id)`, each the last
/// of its activity in the window, so every activity changed in the window
/// is read once, as it stood at the horizon. Ordered as the outbox is
/// (see `models::feed`), so the window's end is final when the job starts.
pub async fn window_after(
    conn: &mut AsyncPgConnection,
    window: &Window<'_>,
    after: (u64, i64),
    limit: i64,
) -> QueryResult<Vec<WindowEvent>> {
    let mut sql = String::from(
        "SELECT e.id, e.xid::text AS xid, e.activity_id, e.payload FROM activity_events e \
         WHERE (e.xid, e.id) > ($1::text::xid8, $2) AND e.xid >= $3::text::xid8 AND e.xid < $4::text::xid8 \
           AND NOT EXISTS (SELECT 1 FROM activity_events l WHERE l.activity_id = e.activity_id \
                           AND l.xid < $4::text::xid8 AND (l.xid, l.id) > (e.xid, e.id))",
    );
    let mut n = 5;
    if window.wards.is_some() {
        sql.push_str(&format!(" AND e.ward_id = ANY(${n})"));
        n += 1;
    }
    if window.since.is_some() {
        sql.push_str(&format!(" AND e.occurred_at > ${n}"));
        n += 1;
    }
    if window.members.is_some() {
        sql.push_str(&format!(
            " AND e.activity_id IN (SELECT activity_id FROM activity_service_users \
               WHERE service_user_id = ANY(${n}))"
        ));
        n += 1;
    }
    sql.push_str(&format!(" ORDER BY e.xid, e.id LIMIT ${n}"));
    let mut query = diesel::sql_query(sql)
        .into_boxed::<diesel::pg::Pg>()
        .bind::<Text, _>(after.0.to_string())
        .bind::<BigInt, _>(after.1)
        .bind::<Text, _>(window.from_horizon.to_string())
        .bind::<Text, _>(window.horizon.to_string());
    if let Some(w) = window.wards {
        query = query.bind::<Array<SqlUuid>, _>(w.to_vec());
    }
    if let Some(s) = window.since {
        query = query.bind::<Timestamptz, _>(s);
    }
    if let Some(m) = window.members {
        query = query.bind::<Array<SqlUuid>, _>(m.to_vec());
    }
    query.bind::<BigInt, _>(limit).load(conn).await
}

/// The next `limit` service users in id order after `after`, on the wards
/// (all when `None`), changed after `since`, among `members`.
pub async fn people_after(
    conn: &mut AsyncPgConnection,
    wards: Option<&[Uuid]>,
    since: Option<DateTime<Utc>>,
    members: Option<&[Uuid]>,
    after: Option<Uuid>,
    limit: i64,
) -> QueryResult<Vec<ServiceUser>> {
    let mut query = service_users::table
        .select(ServiceUser::as_select())
        .order(service_users::id)
        .limit(limit)
        .into_boxed();
    if let Some(w) = wards {
        query = query.filter(service_users::ward_id.eq_any(w.to_vec()));
    }
    if let Some(s) = since {
        query = query.filter(service_users::updated_at.gt(s));
    }
    if let Some(m) = members {
        query = query.filter(service_users::id.eq_any(m.to_vec()));
    }
    if let Some(a) = after {
        query = query.filter(service_users::id.gt(a));
    }
    query.load(conn).await
}

/// The service users of one activity (a group session's named members).
pub async fn members_of(conn: &mut AsyncPgConnection, activity: Uuid) -> QueryResult<Vec<Uuid>> {
    crate::schema::activity_service_users::table
        .filter(crate::schema::activity_service_users::activity_id.eq(activity))
        .select(crate::schema::activity_service_users::service_user_id)
        .load(conn)
        .await
}
