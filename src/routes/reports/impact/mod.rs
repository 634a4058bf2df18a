//! `/api/v1/reports/impact/…`: is peer support making a difference? What
//! the people said, how their measures moved, the ward's own figures beside
//! peer support, and the quotes they agreed to share. Same callers and
//! periods as the other reports, grouped by ward or service line with a row
//! for all wards; figures about fewer than 5 people are shown as "<5".

pub mod outcomes;
pub mod quotes;
pub mod ward_context;
pub mod your_say;

use serde::Deserialize;
use utoipa::IntoParams;

use super::PeriodQuery;
use crate::auth::CurrentUser;
use crate::domain::impact::{GroupBy, ImpactScope};
use crate::error::ApiResult;

/// How to group an impact report.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct GroupQuery {
    /// `ward` (the default) or `service_line`.
    pub group_by: Option<GroupBy>,
}

/// The scope of an impact report, checked as every report's period is.
fn scope(user: &CurrentUser, period: &PeriodQuery, group: &GroupQuery) -> ApiResult<ImpactScope> {
    let p = period.period(user)?;
    Ok(ImpactScope {
        from: p.from,
        to: p.to,
        wards: p.wards,
        group_by: group.group_by.unwrap_or(GroupBy::Ward),
    })
}
