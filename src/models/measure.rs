//! Measure definitions and the people's answers, as stored. An answer row
//! is never read back one by one through the API: only aggregates leave.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::schema::{activities, activity_service_users, measure_definitions, measure_responses};

/// A stored definition.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = measure_definitions)]
pub struct DefinitionRow {
    pub id: Uuid,
    pub code: String,
    pub version: i32,
    pub title: String,
    pub licence: String,
    pub shipped: bool,
    pub definition: serde_json::Value,
    pub loaded_by: Option<Uuid>,
    pub loaded_at: DateTime<Utc>,
}

/// Every definition's latest version, by code.
pub async fn latest_definitions(conn: &mut AsyncPgConnection) -> QueryResult<Vec<DefinitionRow>> {
    measure_definitions::table
        .distinct_on(measure_definitions::code)
        .select(DefinitionRow::as_select())
        .order((
            measure_definitions::code.asc(),
            measure_definitions::version.desc(),
        ))
        .load(conn)
        .await
}

/// One code's definition: the given version, or its latest.
pub async fn find_definition(
    conn: &mut AsyncPgConnection,
    code: &str,
    version: Option<i32>,
) -> QueryResult<Option<DefinitionRow>> {
    let mut q = measure_definitions::table
        .filter(measure_definitions::code.eq(code))
        .select(DefinitionRow::as_select())
        .order(measure_definitions::version.desc())
        .into_boxed();
    if let Some(v) = version {
        q = q.filter(measure_definitions::version.eq(v));
    }
    q.first(conn).await.optional()
}

/// Stores a definition; `false` when that code and version exist already.
pub async fn insert_definition(
    conn: &mut AsyncPgConnection,
    row: &DefinitionRow,
) -> QueryResult<bool> {
    let n = diesel::insert_into(measure_definitions::table)
        .values(row)
        .on_conflict((measure_definitions::code, measure_definitions::version))
        .do_nothing()
        .execute(conn)
        .await?;
    Ok(n == 1)
}

/// A stored answer.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = measure_responses)]
pub struct ResponseRow {
    pub id: Uuid,
    pub definition_id: Uuid,
    pub service_user_id: Uuid,
    pub ward_id: Uuid,
    pub activity_id: Option<Uuid>,
    pub respondent: String,
    pub completed_at: DateTime<Utc>,
    pub declined: bool,
    pub answers: serde_json::Value,
    pub scores: serde_json::Value,
    pub recorded_by: Uuid,
    pub content_hash: String,
    pub quote: Option<String>,
    pub quote_consent: bool,
    pub quote_withdrawn_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

/// Stores an answer unless its id exists; answers the stored row's content
/// hash and ward when it did (a retry, or another record reusing the id).
pub async fn insert_response(
    conn: &mut AsyncPgConnection,
    row: &ResponseRow,
) -> QueryResult<Option<(String, Uuid)>> {
    let n = diesel::insert_into(measure_responses::table)
        .values(row)
        .on_conflict(measure_responses::id)
        .do_nothing()
        .execute(conn)
        .await?;
    if n == 1 {
        return Ok(None);
    }
    measure_responses::table
        .find(row.id)
        .select((measure_responses::content_hash, measure_responses::ward_id))
        .first(conn)
        .await
        .map(Some)
}

/// Empties every shared quote of a person and marks it withdrawn; answers
/// how many were withdrawn.
pub async fn withdraw_quotes(
    conn: &mut AsyncPgConnection,
    service_user_id: Uuid,
    at: DateTime<Utc>,
) -> QueryResult<usize> {
    diesel::update(
        measure_responses::table
            .filter(measure_responses::service_user_id.eq(service_user_id))
            .filter(measure_responses::quote.is_not_null()),
    )
    .set((
        measure_responses::quote.eq(None::<String>),
        measure_responses::quote_withdrawn_at.eq(Some(at)),
    ))
    .execute(conn)
    .await
}

/// Whether a contact (not entered in error) on this ward involved this person.
pub async fn contact_involves(
    conn: &mut AsyncPgConnection,
    activity_id: Uuid,
    service_user_id: Uuid,
    ward_id: Uuid,
) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        activities::table
            .inner_join(activity_service_users::table)
            .filter(activities::id.eq(activity_id))
            .filter(activities::ward_id.eq(ward_id))
            .filter(activities::status.ne("entered_in_error"))
            .filter(activity_service_users::service_user_id.eq(service_user_id)),
    ))
    .get_result(conn)
    .await
}

/// A person on a ward, with what decides whether a measure is due.
#[derive(Debug, Clone, diesel::QueryableByName)]
pub struct PersonOnWard {
    #[diesel(sql_type = diesel::sql_types::Uuid)]
    pub service_user_id: Uuid,
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub display_label: String,
    /// Their first contact with peer support (not entered in error).
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Timestamptz>)]
    pub first_contact: Option<DateTime<Utc>>,
    /// Their latest discharge support.
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Timestamptz>)]
    pub last_discharge_support: Option<DateTime<Utc>>,
}

/// The people on a ward now (not discharged), with their first contact and
/// latest discharge support.
pub async fn people_on_ward(
    conn: &mut AsyncPgConnection,
    ward_id: Uuid,
) -> QueryResult<Vec<PersonOnWard>> {
    diesel::sql_query(
        "SELECT su.id AS service_user_id, su.display_label, \
                min(a.started_at) AS first_contact, \
                max(a.started_at) FILTER (WHERE a.kind = 'discharge_support') AS last_discharge_support \
         FROM service_users su \
         LEFT JOIN activity_service_users asu ON asu.service_user_id = su.id \
         LEFT JOIN activities a ON a.id = asu.activity_id AND a.status <> 'entered_in_error' \
         WHERE su.ward_id = $1 AND su.discharged_on IS NULL \
         GROUP BY su.id, su.display_label \
         ORDER BY su.display_label, su.id",
    )
    .bind::<diesel::sql_types::Uuid, _>(ward_id)
    .load(conn)
    .await
}

/// Each (person, measure code)'s latest answer, for the people on a ward.
#[derive(Debug, Clone, diesel::QueryableByName)]
pub struct LastAnswer {
    #[diesel(sql_type = diesel::sql_types::Uuid)]
    pub service_user_id: Uuid,
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub code: String,
    #[diesel(sql_type = diesel::sql_types::Timestamptz)]
    pub completed_at: DateTime<Utc>,
}

/// The latest answer of each person on a ward (not discharged) to each measure.
pub async fn last_answers_on_ward(
    conn: &mut AsyncPgConnection,
    ward_id: Uuid,
) -> QueryResult<Vec<LastAnswer>> {
    diesel::sql_query(
        "SELECT r.service_user_id, d.code, max(r.completed_at) AS completed_at \
         FROM measure_responses r \
         JOIN measure_definitions d ON d.id = r.definition_id \
         JOIN service_users su ON su.id = r.service_user_id \
         WHERE su.ward_id = $1 AND su.discharged_on IS NULL \
         GROUP BY r.service_user_id, d.code",
    )
    .bind::<diesel::sql_types::Uuid, _>(ward_id)
    .load(conn)
    .await
}

/// Which answers the FHIR API reads (`QuestionnaireResponse`,
/// `Observation`): by id, by person, by when given or stored.
#[derive(Debug, Clone, Default)]
pub struct AnswerFilter {
    pub ids: Vec<Uuid>,
    pub service_user_id: Option<Uuid>,
    pub completed_from: Option<DateTime<Utc>>,
    pub completed_to: Option<DateTime<Utc>>,
    pub stored_from: Option<DateTime<Utc>>,
    pub stored_to: Option<DateTime<Utc>>,
}

/// The keyset of the answers' order: newest given first, then id.
pub type AnswerKey = (DateTime<Utc>, Uuid);

/// Answers within the scope with their definitions, newest given first,
/// after the cursor; one more than `limit` when there are more.
pub async fn answers(
    conn: &mut AsyncPgConnection,
    scope: &crate::access::WardScope,
    f: &AnswerFilter,
    after: Option<AnswerKey>,
    limit: i64,
) -> QueryResult<Vec<(ResponseRow, DefinitionRow)>> {
    use crate::access::WardScope;
    let mut q = measure_responses::table
        .inner_join(measure_definitions::table)
        .select((ResponseRow::as_select(), DefinitionRow::as_select()))
        .into_boxed();
    if let WardScope::Only(wards) = scope {
        q = q.filter(measure_responses::ward_id.eq_any(wards.clone()));
    }
    if !f.ids.is_empty() {
        q = q.filter(measure_responses::id.eq_any(f.ids.clone()));
    }
    if let Some(p) = f.service_user_id {
        q = q.filter(measure_responses::service_user_id.eq(p));
    }
    if let Some(t) = f.completed_from {
        q = q.filter(measure_responses::completed_at.ge(t));
    }
    if let Some(t) = f.completed_to {
        q = q.filter(measure_responses::completed_at.lt(t));
    }
    if let Some(t) = f.stored_from {
        q = q.filter(measure_responses::created_at.ge(t));
    }
    if let Some(t) = f.stored_to {
        q = q.filter(measure_responses::created_at.lt(t));
    }
    if let Some((at, id)) = after {
        q = q.filter(
            measure_responses::completed_at
                .lt(at)
                .or(measure_responses::completed_at
                    .eq(at)
                    .and(measure_responses::id.lt(id))),
        );
    }
    q.order((
        measure_responses::completed_at.desc(),
        measure_responses::id.desc(),
    ))
    .limit(limit + 1)
    .load(conn)
    .await
}
