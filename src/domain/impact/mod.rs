//! Is peer support making a difference here? The impact report sets what
//! the people said ("your say"), how their measures moved over a stay, and
//! what happened on the ward (de-escalations against restraint, leave
//! enabled, hours of peer support per occupied bed day) side by side, by
//! ward or service line with a total for all the wards reported on.
//!
//! Small numbers are suppressed as NHS statistics are: a figure about
//! fewer than 5 people is shown as "<5" ([`Count`]), and a share whose
//! denominator is fewer than 5 people is not shown at all, so no one can be
//! recognised in a board paper.

pub mod board;
mod count;
mod outcomes;
mod ward_context;
mod your_say;

pub use count::Count;
pub use outcomes::{outcomes, OutcomeRow};
pub use ward_context::{ward_context, WardContextRow};
pub use your_say::{your_say, YourSayRow};

use std::collections::BTreeMap;

use chrono::NaiveDate;
use diesel_async::AsyncPgConnection;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::domain::DomainResult;
use crate::models::{impact, ward};

crate::text_enum! {
    /// How the impact report groups wards.
    pub enum GroupBy {
        Ward = "ward",
        ServiceLine = "service_line",
    }
}

/// The label of the row that covers every ward reported on.
pub const ALL_WARDS: &str = "All wards";

/// What an impact report covers.
#[derive(Debug, Clone)]
pub struct ImpactScope {
    /// First Europe/London date included.
    pub from: NaiveDate,
    /// First Europe/London date not included.
    pub to: NaiveDate,
    /// Only these wards; `None`: every ward.
    pub wards: Option<Vec<Uuid>>,
    pub group_by: GroupBy,
}

/// Which group each ward falls in, by the scope's grouping.
struct Groups {
    of_ward: BTreeMap<Uuid, (String, String)>,
    by: GroupBy,
}

impl Groups {
    async fn load(conn: &mut AsyncPgConnection, scope: &ImpactScope) -> DomainResult<Self> {
        let wards = ward::all(conn).await?;
        Ok(Groups {
            of_ward: wards
                .into_iter()
                .map(|w| (w.id, (w.code, w.service_line.as_str().to_string())))
                .collect(),
            by: scope.group_by,
        })
    }

    /// The group label of a ward's rows.
    fn of(&self, ward_id: Uuid) -> String {
        match (self.of_ward.get(&ward_id), self.by) {
            (Some((code, _)), GroupBy::Ward) => code.clone(),
            (Some((_, line)), GroupBy::ServiceLine) => line.clone(),
            (None, _) => ward_id.to_string(),
        }
    }

    /// The groups a ward's rows count in: its own, and all wards.
    fn both(&self, ward_id: Uuid) -> [String; 2] {
        [self.of(ward_id), ALL_WARDS.to_string()]
    }
}

/// A quote a person agreed to share.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct QuoteRow {
    /// `YYYY-MM`, never the day.
    #[schema(example = "2026-10")]
    pub month: String,
    /// The ward or service line, by the report's grouping.
    pub group: String,
    pub quote: String,
}

/// The period's shared quotes (never withdrawn ones), newest first.
pub async fn quotes(
    conn: &mut AsyncPgConnection,
    scope: &ImpactScope,
) -> DomainResult<Vec<QuoteRow>> {
    let groups = Groups::load(conn, scope).await?;
    Ok(
        impact::shared_quotes(conn, scope.from, scope.to, scope.wards.as_deref())
            .await?
            .into_iter()
            .map(|q| QuoteRow {
                month: q.month,
                group: groups.of(q.ward_id),
                quote: q.quote,
            })
            .collect(),
    )
}
