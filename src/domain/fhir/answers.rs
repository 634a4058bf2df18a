//! People's answers to measures as QuestionnaireResponses and the scores
//! made from them as Observations (see `fhir::resources::answers`): read,
//! search and what `$everything` carries. Only the roles
//! `fhir::access::authorise` allows reach them (the trust's systems, and
//! `$everything`'s approved roles), within their ward scope, and every read
//! is audited (`fhir_read`, `fhir_search`, `fhir_everything`) as a read of
//! the answers, named by id.
//!
//! The words a person agreed to share as an anonymous quote are not part
//! of either resource: they were given to be quoted without a name.

use diesel_async::AsyncPgConnection;
use serde_json::Value;
use uuid::Uuid;

use super::{uuid_of, FhirResult};
use crate::access::{Actor, WardScope};
use crate::audit::{self, AuditActor, AuditEvent};
use crate::domain::measures::definition::{MeasureDefinition, GOALS};
use crate::domain::measures::scoring::{Answers, Scores};
use crate::domain::DomainError;
use crate::fhir::access::ResourceType;
use crate::fhir::bundle::Entry;
use crate::fhir::resources::answers::{AnswerSheet, AnsweredItem, ScoreValue};
use crate::fhir::resources::{observation, questionnaire_response};
use crate::fhir::search::{Search, SearchError};
use crate::models::measure::{self, AnswerFilter, DefinitionRow, ResponseRow};
use crate::pagination::{decode_cursor, encode_cursor, MAX_LIMIT};

/// An answer as its resources are made from it: the definition gives the
/// questions' words and the scores' labels.
fn sheet(row: ResponseRow, def_row: DefinitionRow) -> FhirResult<AnswerSheet> {
    let def: MeasureDefinition = serde_json::from_value(def_row.definition)
        .map_err(|e| DomainError::internal(format!("definition {}: {e}", def_row.code)))?;
    let answers: Answers = serde_json::from_value(row.answers)
        .map_err(|e| DomainError::internal(format!("answer {}: {e}", row.id)))?;
    let scores: Scores = serde_json::from_value(row.scores)
        .map_err(|e| DomainError::internal(format!("answer {}: {e}", row.id)))?;
    let mut items: Vec<AnsweredItem> = def
        .items
        .iter()
        .filter_map(|i| {
            answers.items.get(&i.id).map(|v| AnsweredItem {
                link_id: i.id.clone(),
                text: i.text.clone(),
                value: *v,
            })
        })
        .collect();
    items.extend(answers.goals.iter().map(|g| AnsweredItem {
        link_id: format!("{GOALS}.{}", g.goal),
        text: format!("Goal {}: how close are you to reaching it?", g.goal),
        value: g.rating,
    }));
    let scores = def
        .scores
        .iter()
        .filter_map(|s| {
            scores.get(&s.id).map(|v| ScoreValue {
                id: s.id.clone(),
                label: s.label.clone(),
                value: *v,
            })
        })
        .collect();
    Ok(AnswerSheet {
        id: row.id,
        measure_code: def.code,
        measure_version: def.version,
        measure_title: def.title,
        service_user_id: row.service_user_id,
        ward_id: row.ward_id,
        activity_id: row.activity_id,
        by_carer: row.respondent == "carer",
        completed_at: row.completed_at,
        stored_at: row.created_at,
        declined: row.declined,
        items,
        scores,
    })
}

/// The resource of this type an answer has, if any.
fn resource_of(t: ResourceType, s: &AnswerSheet) -> Option<Value> {
    match t {
        ResourceType::QuestionnaireResponse => Some(questionnaire_response(s)),
        ResourceType::Observation => observation(s),
        _ => None,
    }
}

/// Audits a read of answers: one row for one, one naming them all for
/// several, none for none.
async fn audit_answers(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    action: &str,
    shown: &[AnswerSheet],
) -> FhirResult<()> {
    let who = AuditActor::user(actor.id, actor.role, &actor.meta);
    let event = match shown {
        [] => return Ok(()),
        [one] => AuditEvent::new(action, "measure_response", one.id)
            .ward(Some(one.ward_id))
            .details(serde_json::json!({ "service_user_id": one.service_user_id })),
        many => {
            let ids: Vec<Uuid> = many.iter().map(|s| s.id).collect();
            let mut e = AuditEvent::new(action, "measure_response", "")
                .details(serde_json::json!({ "measure_response_ids": ids }));
            e.entity_id = None;
            e
        }
    };
    audit::record_read(conn, &who, event).await?;
    Ok(())
}

/// `GET QuestionnaireResponse/{id}` or `Observation/{id}`, already
/// authorised with `scope`.
pub async fn read(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    scope: &WardScope,
    t: ResourceType,
    id: &str,
) -> FhirResult<Option<Value>> {
    let filter = AnswerFilter {
        ids: vec![uuid_of(t, id)?],
        ..Default::default()
    };
    let Some((row, def)) = measure::answers(conn, scope, &filter, None, 1)
        .await?
        .into_iter()
        .next()
    else {
        return Ok(None);
    };
    let s = sheet(row, def)?;
    let Some(resource) = resource_of(t, &s) else {
        return Ok(None);
    };
    audit_answers(conn, actor, "fhir_read", std::slice::from_ref(&s)).await?;
    Ok(Some(resource))
}

/// A search page of answers, newest given first, and the next cursor.
pub async fn search(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    scope: &WardScope,
    t: ResourceType,
    s: &Search,
) -> FhirResult<(Vec<Entry>, Option<String>)> {
    let after: Option<measure::AnswerKey> = match &s.cursor {
        Some(c) => Some(decode_cursor(c).map_err(|_| SearchError {
            param: "_cursor".into(),
            message: "not a cursor this server gave".into(),
        })?),
        None => None,
    };
    let filter = AnswerFilter {
        ids: s.ids.clone(),
        service_user_id: s.patient,
        completed_from: s.date.from,
        completed_to: s.date.to,
        stored_from: s.last_updated.from,
        stored_to: s.last_updated.to,
    };
    let mut rows = measure::answers(conn, scope, &filter, after, s.count).await?;
    let more = rows.len() as i64 > s.count;
    rows.truncate(s.count as usize);
    let next = more
        .then(|| {
            rows.last()
                .map(|(r, _)| encode_cursor(&(r.completed_at, r.id)))
        })
        .flatten();
    let mut sheets = Vec::with_capacity(rows.len());
    for (row, def) in rows {
        sheets.push(sheet(row, def)?);
    }
    let shown: Vec<(AnswerSheet, Value)> = sheets
        .into_iter()
        .filter_map(|s| resource_of(t, &s).map(|r| (s, r)))
        .collect();
    let audited: Vec<AnswerSheet> = shown.iter().map(|(s, _)| s.clone()).collect();
    audit_answers(conn, actor, "fhir_search", &audited).await?;
    let entries = shown
        .into_iter()
        .map(|(_, resource)| Entry {
            resource,
            matched: true,
        })
        .collect();
    Ok((entries, next))
}

/// Every answer of a person within the scope, as its QuestionnaireResponse
/// and Observation (for `$everything`, which audits the call itself);
/// answers their ids too.
pub async fn of_person(
    conn: &mut AsyncPgConnection,
    scope: &WardScope,
    person: Uuid,
) -> FhirResult<(Vec<Value>, Vec<Uuid>)> {
    let filter = AnswerFilter {
        service_user_id: Some(person),
        ..Default::default()
    };
    let mut out = Vec::new();
    let mut ids = Vec::new();
    let mut after = None;
    loop {
        let mut rows = measure::answers(conn, scope, &filter, after, MAX_LIMIT).await?;
        let more = rows.len() as i64 > MAX_LIMIT;
        rows.truncate(MAX_LIMIT as usize);
        after = rows.last().map(|(r, _)| (r.completed_at, r.id));
        for (row, def) in rows {
            let s = sheet(row, def)?;
            ids.push(s.id);
            out.push(questionnaire_response(&s));
            out.extend(observation(&s));
        }
        if !more {
            return Ok((out, ids));
        }
    }
}
