//! "Your say" in aggregate: for each question, how many answered each way,
//! by group and for all wards; never one person's answer.

use std::collections::{BTreeMap, BTreeSet};

use diesel_async::AsyncPgConnection;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::{Count, Groups, ImpactScope};
use crate::domain::measures::definition::Scale;
use crate::domain::measures::stored_definition;
use crate::domain::{DomainError, DomainResult};
use crate::models::impact;

/// The measure the tablet hands over after a contact.
pub const YOUR_SAY: &str = "your_say";

/// How many answered one question one way, in one group.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct YourSayRow {
    /// Ward code, service line, or "All wards".
    pub group: String,
    /// The item id; `declined` for those who preferred not to answer at all.
    pub item: String,
    pub question: String,
    /// The answer's value on the item's scale (`null` for `declined`).
    pub answer: Option<i32>,
    pub label: String,
    pub responses: Count,
    /// Distinct people who answered so.
    pub people: Count,
}

type Key = (String, String, Option<i32>);

/// The "your say" answers of a period.
pub async fn your_say(
    conn: &mut AsyncPgConnection,
    scope: &ImpactScope,
) -> DomainResult<Vec<YourSayRow>> {
    let (_, def) = stored_definition(conn, YOUR_SAY, None)
        .await?
        .ok_or_else(|| DomainError::internal("the your_say measure is not installed"))?;
    let groups = Groups::load(conn, scope).await?;
    let rows = impact::answered_items(conn, scope.from, scope.to, scope.wards.as_deref(), YOUR_SAY)
        .await?;
    let mut tally: BTreeMap<Key, (BTreeSet<Uuid>, BTreeSet<Uuid>)> = BTreeMap::new();
    for r in rows {
        let item = r.item.clone().unwrap_or_else(|| "declined".into());
        for g in groups.both(r.ward_id) {
            let (responses, people) = tally.entry((g, item.clone(), r.value)).or_default();
            responses.insert(r.response_id);
            people.insert(r.service_user_id);
        }
    }
    let mut out = Vec::new();
    for ((group, item, value), (responses, people)) in tally {
        let found = def.items.iter().find(|i| i.id == item);
        let question = found.map_or("Preferred not to answer".to_string(), |i| i.text.clone());
        let label = match (found.and_then(|i| def.scales.get(&i.scale)), value) {
            (Some(Scale::Options(o)), Some(v)) => o
                .options
                .iter()
                .find(|opt| opt.value == v)
                .map_or(v.to_string(), |opt| opt.label.clone()),
            (_, Some(v)) => v.to_string(),
            (_, None) => "Preferred not to say".to_string(),
        };
        out.push(YourSayRow {
            group,
            item,
            question,
            answer: value,
            label,
            responses: Count(responses.len() as i64),
            people: Count(people.len() as i64),
        });
    }
    Ok(out)
}
