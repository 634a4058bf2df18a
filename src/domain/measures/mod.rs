//! Measures: what peer support meant to the people it supported. The
//! definitions are data ([`definition`]), scored by one rule
//! ([`scoring`]); the people's answers are locked on submit
//! ([`responses`]); a measure falls due for a person on a ward by its
//! schedule ([`due`]).

pub mod definition;
pub mod due;
pub mod responses;
pub mod scoring;

use chrono::Utc;
use diesel_async::{AsyncConnection, AsyncPgConnection};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::access::Actor;
use crate::audit::{self, AuditActor, AuditEvent};
use crate::domain::{DomainError, DomainResult};
use crate::models::measure::{self, DefinitionRow};
use definition::MeasureDefinition;

/// A definition as the API shows it: the definition and how it came.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StoredMeasure {
    /// Shipped with peerlog (freely usable), or loaded by the trust.
    pub shipped: bool,
    pub loaded_at: chrono::DateTime<Utc>,
    pub definition: MeasureDefinition,
}

fn parse(row: DefinitionRow) -> DomainResult<(Uuid, StoredMeasure)> {
    let definition: MeasureDefinition =
        serde_json::from_value(row.definition).map_err(DomainError::internal)?;
    Ok((
        row.id,
        StoredMeasure {
            shipped: row.shipped,
            loaded_at: row.loaded_at,
            definition,
        },
    ))
}

/// A code's definition (a version, or the latest) and its row id.
pub(crate) async fn stored_definition(
    conn: &mut AsyncPgConnection,
    code: &str,
    version: Option<i32>,
) -> DomainResult<Option<(Uuid, MeasureDefinition)>> {
    match measure::find_definition(conn, code, version).await? {
        None => Ok(None),
        Some(row) => parse(row).map(|(id, m)| Some((id, m.definition))),
    }
}

/// Every measure's latest definition.
pub async fn list(conn: &mut AsyncPgConnection) -> DomainResult<Vec<StoredMeasure>> {
    measure::latest_definitions(conn)
        .await?
        .into_iter()
        .map(|r| parse(r).map(|(_, m)| m))
        .collect()
}

/// One measure: a version, or the latest.
pub async fn get(
    conn: &mut AsyncPgConnection,
    code: &str,
    version: Option<i32>,
) -> DomainResult<StoredMeasure> {
    let row = measure::find_definition(conn, code, version)
        .await?
        .ok_or(DomainError::NotFound)?;
    Ok(parse(row)?.1)
}

/// Loads a trust's definition (checked whole first), audited. A code and
/// version already loaded is a conflict: definitions are never changed,
/// a new version is loaded instead.
pub async fn load(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    body: serde_json::Value,
) -> DomainResult<StoredMeasure> {
    let def = MeasureDefinition::from_json(body)?;
    let by = AuditActor::user(actor.id, actor.role, &actor.meta);
    let row = row_of(&def, false, Some(actor.id))?;
    conn.transaction::<_, DomainError, _>(async move |conn| {
        if !measure::insert_definition(conn, &row).await? {
            return Err(DomainError::Conflict {
                code: "measure_version_exists",
                detail: format!(
                    "{} version {} is already loaded; load a new version.",
                    def.code, def.version
                ),
                current: None,
            });
        }
        audit::record(
            conn,
            &by,
            AuditEvent::new(
                "load",
                "measure_definition",
                format!("{}@{}", def.code, def.version),
            )
            .details(serde_json::json!({ "title": def.title, "licence": def.licence })),
        )
        .await?;
        Ok(StoredMeasure {
            shipped: false,
            loaded_at: row.loaded_at,
            definition: def,
        })
    })
    .await
}

fn row_of(def: &MeasureDefinition, shipped: bool, by: Option<Uuid>) -> DomainResult<DefinitionRow> {
    Ok(DefinitionRow {
        id: Uuid::now_v7(),
        code: def.code.clone(),
        version: def.version,
        title: def.title.clone(),
        licence: def.licence.clone(),
        shipped,
        definition: serde_json::to_value(def).map_err(DomainError::internal)?,
        loaded_by: by,
        loaded_at: Utc::now(),
    })
}

/// Stores the shipped definitions that are not yet stored (at start-up;
/// a later peerlog shipping a new version adds it beside the old).
pub async fn install_shipped(conn: &mut AsyncPgConnection) -> DomainResult<usize> {
    let mut added = 0;
    for text in definition::SHIPPED {
        let value: serde_json::Value = serde_json::from_str(text).map_err(DomainError::internal)?;
        let def = MeasureDefinition::from_json(value).map_err(|e| {
            DomainError::internal(format!("a shipped measure is invalid: {:?}", e.0))
        })?;
        if measure::insert_definition(conn, &row_of(&def, true, None)?).await? {
            added += 1;
        }
    }
    Ok(added)
}
