//! When a measure falls due for a person on a ward: at their first contact
//! with peer support, every N weeks after their last answer, and before
//! discharge (discharge support recorded, nothing answered since). Any
//! answer counts, "prefer not to say" included, so nobody is asked again
//! the same day.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use diesel_async::AsyncPgConnection;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::definition::Schedule;
use crate::access::Actor;
use crate::domain::{DomainError, DomainResult};
use crate::models::measure;

crate::text_enum! {
    /// Why a measure is due.
    pub enum DueReason {
        FirstContact = "first_contact",
        Review = "review",
        BeforeDischarge = "before_discharge",
    }
}

/// A measure due for a person.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MeasureDue {
    pub service_user_id: Uuid,
    /// Initials, as the ward shows them (never an NHS number).
    pub display_label: String,
    pub measure: String,
    pub title: String,
    pub reason: DueReason,
}

/// The rule, on one person's facts.
pub fn due(
    schedule: &Schedule,
    first_contact: Option<DateTime<Utc>>,
    last_answer: Option<DateTime<Utc>>,
    last_discharge_support: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Option<DueReason> {
    if schedule.before_discharge {
        if let Some(d) = last_discharge_support {
            if last_answer.is_none_or(|a| a < d) {
                return Some(DueReason::BeforeDischarge);
            }
        }
    }
    match last_answer {
        None if schedule.at_first_contact && first_contact.is_some() => {
            Some(DueReason::FirstContact)
        }
        Some(a) => schedule
            .every_weeks
            .filter(|w| now - a >= Duration::weeks(i64::from(*w)))
            .map(|_| DueReason::Review),
        None => None,
    }
}

/// Every measure due for the people on a ward now (a ward outside the
/// actor's scope does not exist for them).
pub async fn on_ward(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    ward_id: Uuid,
) -> DomainResult<Vec<MeasureDue>> {
    if !actor.ward_scope().contains(ward_id) {
        return Err(DomainError::NotFound);
    }
    let measures = super::list(conn).await?;
    let people = measure::people_on_ward(conn, ward_id).await?;
    let last: BTreeMap<(Uuid, String), DateTime<Utc>> =
        measure::last_answers_on_ward(conn, ward_id)
            .await?
            .into_iter()
            .map(|a| ((a.service_user_id, a.code), a.completed_at))
            .collect();
    let now = Utc::now();
    let mut out = Vec::new();
    for p in &people {
        for m in &measures {
            let d = &m.definition;
            let last_answer = last.get(&(p.service_user_id, d.code.clone())).copied();
            if let Some(reason) = due(
                &d.schedule,
                p.first_contact,
                last_answer,
                p.last_discharge_support,
                now,
            ) {
                out.push(MeasureDue {
                    service_user_id: p.service_user_id,
                    display_label: p.display_label.clone(),
                    measure: d.code.clone(),
                    title: d.title.clone(),
                    reason,
                });
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schedule(first: bool, weeks: Option<i32>, discharge: bool) -> Schedule {
        Schedule {
            at_first_contact: first,
            every_weeks: weeks,
            before_discharge: discharge,
        }
    }

    #[test]
    fn due_at_first_contact_then_every_n_weeks_then_before_discharge() {
        let now = Utc::now();
        let s = schedule(true, Some(4), true);
        let day = Duration::days(1);
        // No contact yet: nothing due.
        assert_eq!(due(&s, None, None, None, now), None);
        // A first contact and no answer.
        assert_eq!(
            due(&s, Some(now - day), None, None, now),
            Some(DueReason::FirstContact)
        );
        // Answered 3 weeks ago: not yet; 4 weeks ago: a review.
        assert_eq!(
            due(&s, Some(now - day * 30), Some(now - day * 21), None, now),
            None
        );
        assert_eq!(
            due(&s, Some(now - day * 30), Some(now - day * 28), None, now),
            Some(DueReason::Review)
        );
        // Discharge support after the last answer.
        assert_eq!(
            due(
                &s,
                Some(now - day * 30),
                Some(now - day * 3),
                Some(now - day),
                now
            ),
            Some(DueReason::BeforeDischarge)
        );
        // Answered since the discharge support.
        assert_eq!(
            due(&s, Some(now - day * 30), Some(now), Some(now - day), now),
            None
        );
    }

    #[test]
    fn a_measure_without_a_schedule_is_never_due() {
        let now = Utc::now();
        let s = schedule(false, None, false);
        assert_eq!(due(&s, Some(now), None, Some(now), now), None);
    }
}
