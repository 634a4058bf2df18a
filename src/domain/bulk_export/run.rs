//! Running an export job: its NDJSON files written a chunk at a time, so
//! memory stays bounded however many records there are; cancellation seen
//! at every chunk; files expired and deleted when their time is up.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use chrono::Utc;
use diesel_async::AsyncPgConnection;
use uuid::Uuid;

use crate::domain::{DomainError, DomainResult};
use crate::fhir::access::ResourceType;
use crate::fhir::resources::{self, ActivityResource};
use crate::fhir::Trust;
use crate::models::activity::{self, Activity};
use crate::models::bulk_export::{self as jobs, Job, JobFile, Window};
use crate::models::ward;

/// What the runner needs besides a connection.
#[derive(Debug, Clone)]
pub struct RunSettings {
    pub trust: Trust,
    /// Where each export's folder of files is written.
    pub dir: PathBuf,
    /// Seconds a completed export's files are kept.
    pub ttl_secs: i64,
    /// Records read from the database at a time.
    pub chunk: i64,
}

/// The folder of one export's files.
pub fn job_dir(dir: &Path, id: Uuid) -> PathBuf {
    dir.join(id.to_string())
}

/// The path of one file of an export.
pub fn file_path(dir: &Path, id: Uuid, seq: i32) -> PathBuf {
    job_dir(dir, id).join(format!("{seq}.ndjson"))
}

/// Deletes an export's files (cancelled, failed or expired).
pub fn remove_files(dir: &Path, id: Uuid) {
    let path = job_dir(dir, id);
    if let Err(e) = std::fs::remove_dir_all(&path) {
        if e.kind() != std::io::ErrorKind::NotFound {
            log::warn!("bulk export {id}: files not removed: {e}");
        }
    }
}

/// Takes the next waiting job and runs it; false when none was waiting.
pub async fn run_next(conn: &mut AsyncPgConnection, settings: &RunSettings) -> DomainResult<bool> {
    let Some(job) = jobs::claim(conn).await? else {
        return Ok(false);
    };
    let id = job.id;
    match run(conn, &job, settings).await {
        Ok(()) => {}
        Err(e) => {
            log::error!("bulk export {id} failed: {e}");
            remove_files(&settings.dir, id);
            jobs::fail(conn, id, "the export could not be completed").await?;
        }
    }
    Ok(true)
}

/// Marks expired exports and deletes their files.
pub async fn expire(conn: &mut AsyncPgConnection, dir: &Path) -> DomainResult<usize> {
    let ids = jobs::expire(conn).await?;
    for id in &ids {
        remove_files(dir, *id);
    }
    Ok(ids.len())
}

/// A file being written.
struct Output {
    resource_type: ResourceType,
    seq: i32,
    writer: BufWriter<File>,
    count: i64,
}

impl Output {
    fn write<R: serde::Serialize + ?Sized>(&mut self, resource: &R) -> DomainResult<()> {
        serde_json::to_writer(&mut self.writer, resource).map_err(DomainError::internal)?;
        self.writer
            .write_all(b"\n")
            .map_err(DomainError::internal)?;
        self.count += 1;
        Ok(())
    }
}

/// Why a run stopped early without failing.
enum Stop {
    Cancelled,
}

/// Writes every file of a job, then completes it.
async fn run(conn: &mut AsyncPgConnection, job: &Job, settings: &RunSettings) -> DomainResult<()> {
    let folder = job_dir(&settings.dir, job.id);
    // A run interrupted by a restart starts again from nothing.
    remove_files(&settings.dir, job.id);
    std::fs::create_dir_all(&folder).map_err(DomainError::internal)?;
    let mut outputs = Vec::new();
    for (i, name) in job.resource_types.iter().enumerate() {
        let resource_type = ResourceType::parse(name)
            .ok_or_else(|| DomainError::internal("unknown type in job"))?;
        let seq = i as i32 + 1;
        let file =
            File::create(file_path(&settings.dir, job.id, seq)).map_err(DomainError::internal)?;
        outputs.push(Output {
            resource_type,
            seq,
            writer: BufWriter::with_capacity(64 * 1024, file),
            count: 0,
        });
    }
    let members = match job.group_id {
        Some(g) => Some(jobs::members_of(conn, g).await?),
        None => None,
    };
    let outcome: DomainResult<Result<(), Stop>> = async {
        if let Err(stop) =
            write_activities(conn, job, settings, members.as_deref(), &mut outputs).await?
        {
            return Ok(Err(stop));
        }
        if let Err(stop) =
            write_people(conn, job, settings, members.as_deref(), &mut outputs).await?
        {
            return Ok(Err(stop));
        }
        write_directory(conn, job, settings, &mut outputs).await
    }
    .await;
    match outcome {
        Ok(Ok(())) => {}
        Ok(Err(Stop::Cancelled)) => {
            remove_files(&settings.dir, job.id);
            return Ok(());
        }
        Err(e) => return Err(e),
    }
    let mut files = Vec::new();
    for mut out in outputs {
        out.writer.flush().map_err(DomainError::internal)?;
        files.push(JobFile {
            export_id: job.id,
            seq: out.seq,
            resource_type: out.resource_type.as_str().to_string(),
            count: out.count,
        });
    }
    let expires_at = Utc::now() + chrono::Duration::seconds(settings.ttl_secs);
    if !jobs::complete(conn, job.id, &files, expires_at).await? {
        remove_files(&settings.dir, job.id);
    }
    Ok(())
}

/// Records progress; `Stop::Cancelled` once the job was cancelled.
async fn checkpoint(
    conn: &mut AsyncPgConnection,
    job: &Job,
    text: &str,
) -> DomainResult<Result<(), Stop>> {
    Ok(if jobs::progress(conn, job.id, text).await? {
        Ok(())
    } else {
        Err(Stop::Cancelled)
    })
}

/// Encounters, Procedures and Groups: one pass over the job's window of
/// the outbox, each activity once, as it stood at the horizon.
async fn write_activities(
    conn: &mut AsyncPgConnection,
    job: &Job,
    settings: &RunSettings,
    members: Option<&[Uuid]>,
    outputs: &mut [Output],
) -> DomainResult<Result<(), Stop>> {
    let wanted: Vec<(usize, ActivityResource)> = outputs
        .iter()
        .enumerate()
        .filter_map(|(i, o)| activity_resource(o.resource_type).map(|r| (i, r)))
        .collect();
    if wanted.is_empty() {
        return Ok(Ok(()));
    }
    let window = Window {
        from_horizon: job.since_horizon,
        horizon: job.horizon,
        wards: job.ward_ids.as_deref(),
        since: job.since,
        members,
    };
    let mut at = (0u64, 0i64);
    let mut read = 0u64;
    loop {
        let rows = jobs::window_after(conn, &window, at, settings.chunk).await?;
        for row in &rows {
            let a = payload_activity(conn, row).await?;
            for (i, kind) in &wanted {
                // Encounters are written straight from the record (no JSON
                // tree), as a search page writes them.
                if *kind == ActivityResource::Encounter {
                    if kind.exists_for(&a) {
                        outputs[*i]
                            .write(&resources::encounter::encounter_out(&a, &settings.trust))?;
                    }
                } else if let Some(resource) = kind.map(&a, &settings.trust) {
                    outputs[*i].write(&resource)?;
                }
            }
        }
        read += rows.len() as u64;
        if let Some(last) = rows.last() {
            at = (last.xid.parse().map_err(DomainError::internal)?, last.id);
        }
        if let Err(stop) = checkpoint(conn, job, &format!("{read} activities read")).await? {
            return Ok(Err(stop));
        }
        if (rows.len() as i64) < settings.chunk {
            return Ok(Ok(()));
        }
    }
}

/// The activity an outbox row carries; a payload an older peerlog wrote
/// that no longer reads is replaced by the activity as it reads now.
async fn payload_activity(
    conn: &mut AsyncPgConnection,
    row: &jobs::WindowEvent,
) -> DomainResult<Activity> {
    match <Activity as serde::Deserialize>::deserialize(&row.payload) {
        Ok(a) => Ok(a),
        Err(e) => {
            log::warn!(
                "outbox event {} unreadable ({e}); exporting the activity as it reads now",
                row.id
            );
            activity::find(conn, row.activity_id, &crate::access::WardScope::All)
                .await?
                .ok_or_else(|| DomainError::internal("activity vanished"))
        }
    }
}

fn activity_resource(t: ResourceType) -> Option<ActivityResource> {
    match t {
        ResourceType::Encounter => Some(ActivityResource::Encounter),
        ResourceType::Procedure => Some(ActivityResource::Procedure),
        ResourceType::Group => Some(ActivityResource::Group),
        _ => None,
    }
}

/// Patients: the service users on the job's wards (or the group's members).
async fn write_people(
    conn: &mut AsyncPgConnection,
    job: &Job,
    settings: &RunSettings,
    members: Option<&[Uuid]>,
    outputs: &mut [Output],
) -> DomainResult<Result<(), Stop>> {
    let Some(out) = outputs
        .iter_mut()
        .find(|o| o.resource_type == ResourceType::Patient)
    else {
        return Ok(Ok(()));
    };
    let mut after = None;
    loop {
        let people = jobs::people_after(
            conn,
            job.ward_ids.as_deref(),
            job.since,
            members,
            after,
            settings.chunk,
        )
        .await?;
        for person in &people {
            out.write(&resources::patient(person, &settings.trust))?;
        }
        after = people.last().map(|p| p.summary.id);
        if let Err(stop) = checkpoint(conn, job, &format!("{} patients written", out.count)).await?
        {
            return Ok(Err(stop));
        }
        if (people.len() as i64) < settings.chunk {
            return Ok(Ok(()));
        }
    }
}

/// Locations (the job's wards) and the trust's Organization: a handful.
async fn write_directory(
    conn: &mut AsyncPgConnection,
    job: &Job,
    settings: &RunSettings,
    outputs: &mut [Output],
) -> DomainResult<Result<(), Stop>> {
    for out in outputs.iter_mut() {
        match out.resource_type {
            ResourceType::Location => {
                let wards =
                    ward::list(conn, &job.scope(), &Default::default(), None, 10_000).await?;
                for w in wards
                    .iter()
                    .filter(|w| job.since.is_none_or(|s| w.updated_at > s))
                {
                    out.write(&resources::location(w, &settings.trust))?;
                }
            }
            ResourceType::Organization if job.since.is_none() && job.since_horizon == 0 => {
                out.write(&resources::organization(&settings.trust))?;
            }
            _ => {}
        }
    }
    checkpoint(conn, job, "directory written").await
}
