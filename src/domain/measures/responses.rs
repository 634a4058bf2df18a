//! The person's own answers: "your say" after a contact, and outcome
//! measures over a stay. Handed over on the worker's tablet, so the worker
//! submits them, but an answer is locked on submit: nobody reads it back one
//! by one, and only a shared quote can later be withdrawn. Creates are
//! idempotent on the client's id, as activities are, so an offline tablet's
//! retry never makes a second answer.

use chrono::{DateTime, Duration, Utc};
use diesel_async::{AsyncConnection, AsyncPgConnection};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::definition::{MeasureDefinition, Respondent};
use super::scoring::{self, Answers};
use super::stored_definition;
use crate::access::Actor;
use crate::audit::{self, AuditActor, AuditEvent};
use crate::domain::{DomainError, DomainResult};
use crate::models::measure::{self, ResponseRow};
use crate::models::service_user;
use crate::validate::Errors;

/// A completed measure, as the tablet sends it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewMeasureResponse {
    /// Chosen by the tablet, so that a retry is recognised.
    pub id: Uuid,
    /// The measure's code, e.g. `your_say`, `ons4`.
    #[schema(example = "your_say")]
    pub measure: String,
    /// The definition's version; the latest when absent.
    pub version: Option<i32>,
    pub service_user_id: Uuid,
    /// The contact this answers about ("your say").
    pub activity_id: Option<Uuid>,
    #[serde(default = "default_respondent")]
    pub respondent: Respondent,
    /// When the person finished; not in the future.
    pub completed_at: DateTime<Utc>,
    /// The person preferred not to answer at all.
    #[serde(default)]
    pub declined: bool,
    #[serde(default)]
    pub answers: Answers,
    /// The person's own words; kept only with `share_quote`.
    #[schema(max_length = 500)]
    pub in_own_words: Option<String>,
    /// The person agreed that their words be quoted anonymously in reports.
    #[serde(default)]
    pub share_quote: bool,
}

fn default_respondent() -> Respondent {
    Respondent::ServiceUser
}

/// What the tablet gets back: a receipt, never the answers.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MeasureResponseReceipt {
    pub id: Uuid,
    pub measure: String,
    pub version: i32,
    pub completed_at: DateTime<Utc>,
    /// Always true: the answer cannot be read back or changed.
    pub locked: bool,
    /// Whether the person's words were kept as a quote.
    pub quote_kept: bool,
}

/// What a submit did.
#[derive(Debug)]
pub enum Submitted {
    New(MeasureResponseReceipt),
    AlreadyPresent(MeasureResponseReceipt),
}

impl NewMeasureResponse {
    fn content_hash(&self, recorded_by: Uuid) -> String {
        use sha2::{Digest, Sha256};
        let bytes = serde_json::to_vec(&(recorded_by, self)).unwrap_or_default();
        hex::encode(Sha256::digest(bytes))
    }
}

/// Checks and stores a completed measure, or recognises a retry.
pub async fn submit(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    max_age_days: i64,
    input: NewMeasureResponse,
) -> DomainResult<Submitted> {
    let (def_id, def) = stored_definition(conn, &input.measure, input.version)
        .await?
        .ok_or_else(|| {
            DomainError::field(
                "measure",
                "unknown_measure",
                "no measure with this code (and version)",
            )
        })?;
    let hash = input.content_hash(actor.id);
    let words = input
        .in_own_words
        .as_deref()
        .map(str::trim)
        .filter(|w| !w.is_empty())
        .map(str::to_string);
    let quote = words.clone().filter(|_| input.share_quote);
    let receipt = MeasureResponseReceipt {
        id: input.id,
        measure: def.code.clone(),
        version: def.version,
        completed_at: input.completed_at,
        locked: true,
        quote_kept: quote.is_some(),
    };

    let mut e = Errors::new();
    check_input(&def, &input, words.as_deref(), max_age_days, &mut e);
    let person = service_user::find(conn, input.service_user_id, &actor.ward_scope()).await?;
    if person.is_none() {
        e.add(
            "service_user_id",
            "unknown_reference",
            "no person with this id on your wards",
        );
    }
    if let (Some(activity_id), Some(p)) = (input.activity_id, &person) {
        let involved =
            measure::contact_involves(conn, activity_id, p.summary.id, p.summary.ward_id).await?;
        if !involved {
            e.add(
                "activity_id",
                "unknown_reference",
                "no contact with this person on their ward has this id",
            );
        }
    }
    e.finish()?;
    let ward_id = person.expect("checked above").summary.ward_id;
    let scores = scoring::score(&def, &input.answers);
    let row = ResponseRow {
        id: input.id,
        definition_id: def_id,
        service_user_id: input.service_user_id,
        ward_id,
        activity_id: input.activity_id,
        respondent: input.respondent.as_str().to_string(),
        completed_at: input.completed_at,
        declined: input.declined,
        answers: serde_json::to_value(&input.answers).map_err(DomainError::internal)?,
        scores: serde_json::to_value(&scores).map_err(DomainError::internal)?,
        recorded_by: actor.id,
        content_hash: hash.clone(),
        quote,
        quote_consent: input.share_quote,
        quote_withdrawn_at: None,
        created_at: Utc::now(),
    };
    let by = AuditActor::user(actor.id, actor.role, &actor.meta);
    conn.transaction::<_, DomainError, _>(async move |conn| {
        match measure::insert_response(conn, &row).await? {
            None => {
                audit::record(
                    conn,
                    &by,
                    AuditEvent::new("create", "measure_response", row.id)
                        .ward(Some(row.ward_id))
                        .details(serde_json::json!({
                            "measure": receipt.measure,
                            "version": receipt.version,
                            "declined": row.declined,
                            "quote_kept": receipt.quote_kept,
                        })),
                )
                .await?;
                Ok(Submitted::New(receipt))
            }
            Some((stored_hash, _)) if stored_hash == hash => Ok(Submitted::AlreadyPresent(receipt)),
            Some(_) => Err(DomainError::Conflict {
                code: "id_conflict",
                detail: format!("Another answer is already stored with id {}.", row.id),
                current: None,
            }),
        }
    })
    .await
}

fn check_input(
    def: &MeasureDefinition,
    input: &NewMeasureResponse,
    words: Option<&str>,
    max_age_days: i64,
    e: &mut Errors,
) {
    if !def.respondents.contains(&input.respondent) {
        e.add(
            "respondent",
            "not_a_respondent",
            "this measure is not filled in by this respondent",
        );
    }
    let now = Utc::now();
    if input.completed_at > now + Duration::minutes(5) {
        e.add("completed_at", "in_the_future", "must not be in the future");
    } else if input.completed_at < now - Duration::days(max_age_days) {
        e.add(
            "completed_at",
            "too_old",
            format!("must be within the last {max_age_days} days"),
        );
    }
    if input.declined {
        if input.answers != Answers::default() || words.is_some() || input.share_quote {
            e.add(
                "declined",
                "declined_with_answers",
                "a person who preferred not to answer has no answers",
            );
        }
        return;
    }
    scoring::check(def, &input.answers, "answers", e);
    if input.answers == Answers::default() && words.is_none() {
        e.add(
            "answers",
            "required",
            "answer at least one question, or record that the person preferred not to say",
        );
    }
    match (&def.free_text, words) {
        (None, Some(_)) => e.add(
            "in_own_words",
            "no_free_text",
            "this measure asks for no words of the person's own",
        ),
        (Some(ft), Some(w)) if w.chars().count() > ft.max_length as usize => e.add(
            "in_own_words",
            "too_long",
            format!("must be at most {} characters", ft.max_length),
        ),
        _ => {}
    }
    if input.share_quote && words.is_none() {
        e.add(
            "share_quote",
            "nothing_to_share",
            "a quote needs the person's own words",
        );
    }
}

/// Withdraws every quote a person agreed to share, at their request:
/// the words are removed from the record and from every report at once.
pub async fn withdraw_quotes(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    service_user_id: Uuid,
) -> DomainResult<usize> {
    let person = service_user::find(conn, service_user_id, &actor.ward_scope())
        .await?
        .ok_or(DomainError::NotFound)?;
    let by = AuditActor::user(actor.id, actor.role, &actor.meta);
    conn.transaction::<_, DomainError, _>(async move |conn| {
        let withdrawn = measure::withdraw_quotes(conn, service_user_id, Utc::now()).await?;
        audit::record(
            conn,
            &by,
            AuditEvent::new("withdraw_quotes", "service_user", service_user_id)
                .ward(Some(person.summary.ward_id))
                .details(serde_json::json!({ "withdrawn": withdrawn })),
        )
        .await?;
        Ok(withdrawn)
    })
    .await
}
