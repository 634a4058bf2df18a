//! The ward's own figures beside peer support, per month: de-escalations
//! (and restraint avoided) against restraint incidents, escorted leave
//! enabled, and hours of peer support per occupied bed day.

use std::collections::BTreeMap;

use diesel_async::AsyncPgConnection;
use serde::Serialize;
use utoipa::ToSchema;

use super::{Groups, ImpactScope};
use crate::domain::DomainResult;
use crate::models::impact;

/// One group's month. Figures from the trust's systems are `null` where no
/// ward of the group has loaded them for the month.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WardContextRow {
    pub group: String,
    #[schema(example = "2026-10")]
    pub month: String,
    pub contacts: i64,
    pub peer_support_hours: f64,
    pub de_escalations: i64,
    pub restraint_avoided: i64,
    /// From the trust's incident system.
    pub restraint_incidents: Option<i64>,
    pub escorted_leave: i64,
    /// Escorted leave that would have been cancelled without a peer
    /// support worker.
    pub leave_enabled: i64,
    pub occupied_bed_days: Option<i64>,
    pub discharges: Option<i64>,
    /// Hours of peer support per occupied bed day, over the wards that
    /// loaded their bed days.
    pub hours_per_occupied_bed_day: Option<f64>,
}

#[derive(Default, Clone)]
pub(super) struct Sums {
    pub contacts: i64,
    pub minutes: i64,
    pub de_escalations: i64,
    pub restraint_avoided: i64,
    pub restraint_incidents: Option<i64>,
    pub escorted_leave: i64,
    pub leave_enabled: i64,
    pub occupied_bed_days: Option<i64>,
    pub discharges: Option<i64>,
    /// Minutes of the wards with bed days loaded.
    pub minutes_with_beds: i64,
}

fn add(a: Option<i64>, b: Option<i32>) -> Option<i64> {
    match (a, b) {
        (None, None) => None,
        (a, b) => Some(a.unwrap_or(0) + i64::from(b.unwrap_or(0))),
    }
}

impl Sums {
    pub(super) fn add(&mut self, m: &impact::WardMonth) {
        self.contacts += m.contacts;
        self.minutes += m.minutes;
        self.de_escalations += m.de_escalations;
        self.restraint_avoided += m.restraint_avoided;
        self.restraint_incidents = add(self.restraint_incidents, m.restraint_incidents);
        self.escorted_leave += m.escorted_leave;
        self.leave_enabled += m.leave_enabled;
        self.occupied_bed_days = add(self.occupied_bed_days, m.occupied_bed_days);
        self.discharges = add(self.discharges, m.discharges);
        if m.occupied_bed_days.is_some() {
            self.minutes_with_beds += m.minutes;
        }
    }

    pub(super) fn hours(&self) -> f64 {
        (self.minutes as f64 / 6.0).round() / 10.0
    }

    pub(super) fn hours_per_bed_day(&self) -> Option<f64> {
        self.occupied_bed_days
            .filter(|d| *d > 0)
            .map(|d| (self.minutes_with_beds as f64 / 60.0 / d as f64 * 1000.0).round() / 1000.0)
    }
}

/// The period's months, by group and for all wards.
pub async fn ward_context(
    conn: &mut AsyncPgConnection,
    scope: &ImpactScope,
) -> DomainResult<Vec<WardContextRow>> {
    let groups = Groups::load(conn, scope).await?;
    let months = impact::ward_months(conn, scope.from, scope.to, scope.wards.as_deref()).await?;
    let mut sums: BTreeMap<(bool, String, String), Sums> = BTreeMap::new();
    for m in &months {
        let month = m.month.format("%Y-%m").to_string();
        let [own, all] = groups.both(m.ward_id);
        sums.entry((false, own, month.clone())).or_default().add(m);
        sums.entry((true, all, month)).or_default().add(m);
    }
    Ok(sums
        .into_iter()
        .map(|((_, group, month), s)| WardContextRow {
            group,
            month,
            contacts: s.contacts,
            peer_support_hours: s.hours(),
            de_escalations: s.de_escalations,
            restraint_avoided: s.restraint_avoided,
            restraint_incidents: s.restraint_incidents,
            escorted_leave: s.escorted_leave,
            leave_enabled: s.leave_enabled,
            occupied_bed_days: s.occupied_bed_days,
            discharges: s.discharges,
            hours_per_occupied_bed_day: s.hours_per_bed_day(),
        })
        .collect())
}
