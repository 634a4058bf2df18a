//! `GET /api/v1/vocabulary`: the controlled vocabularies, so tablets build
//! their forms from the server. Generated from the same enums the
//! validation uses, so the two cannot disagree.

use actix_web::{get, HttpResponse};
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::CurrentUser;
use crate::error::ApiResult;
use crate::fhir::coding::Codings;
use crate::models::activity::kinds::*;
use crate::models::activity::ActivityStatus;
use crate::models::ward::ServiceLine;

/// One vocabulary's values, in display order.
fn values<T: Copy + std::fmt::Display>(all: &[T]) -> Vec<String> {
    all.iter().map(ToString::to_string).collect()
}

/// Every controlled vocabulary, by name.
#[derive(Debug, Serialize, ToSchema)]
pub struct Vocabulary {
    pub activity_kinds: Vec<String>,
    pub activity_statuses: Vec<String>,
    pub service_lines: Vec<String>,
    pub leave_authorisations: Vec<String>,
    pub destination_categories: Vec<String>,
    pub topics: Vec<String>,
    pub advocacy_settings: Vec<String>,
    pub advocacy_modes: Vec<String>,
    pub advocacy_outcomes: Vec<String>,
    pub group_activities: Vec<String>,
    pub group_formats: Vec<String>,
    pub de_escalation_situations: Vec<String>,
    pub de_escalation_approaches: Vec<String>,
    pub de_escalation_outcomes: Vec<String>,
    pub crisis_presentations: Vec<String>,
    pub crisis_approaches: Vec<String>,
    pub wellbeing_focus: Vec<String>,
    pub review_support: Vec<String>,
    pub discharge_focus: Vec<String>,
    pub awareness_topics: Vec<String>,
    pub audiences: Vec<String>,
    pub staff_support_reasons: Vec<String>,
    /// How kinds, topics and peer-worker roles are coded in FHIR: each
    /// value's code system (canonical URL), code and display.
    pub codings: Codings,
}

impl Vocabulary {
    /// The vocabularies as the code defines them.
    pub fn current() -> Self {
        Vocabulary {
            activity_kinds: values(ActivityKind::ALL),
            activity_statuses: values(ActivityStatus::ALL),
            service_lines: values(ServiceLine::ALL),
            leave_authorisations: values(LeaveAuthorisation::ALL),
            destination_categories: values(DestinationCategory::ALL),
            topics: values(Topic::ALL),
            advocacy_settings: values(AdvocacySetting::ALL),
            advocacy_modes: values(AdvocacyMode::ALL),
            advocacy_outcomes: values(AdvocacyOutcome::ALL),
            group_activities: values(GroupActivity::ALL),
            group_formats: values(GroupFormat::ALL),
            de_escalation_situations: values(DeEscalationSituation::ALL),
            de_escalation_approaches: values(DeEscalationApproach::ALL),
            de_escalation_outcomes: values(DeEscalationOutcome::ALL),
            crisis_presentations: values(CrisisPresentation::ALL),
            crisis_approaches: values(CrisisApproach::ALL),
            wellbeing_focus: values(WellbeingFocus::ALL),
            review_support: values(ReviewSupport::ALL),
            discharge_focus: values(DischargeFocus::ALL),
            awareness_topics: values(AwarenessTopic::ALL),
            audiences: values(Audience::ALL),
            staff_support_reasons: values(StaffSupportReason::ALL),
            codings: Codings::current(),
        }
    }
}

/// The controlled vocabularies (anyone signed in).
#[utoipa::path(
    tag = "vocabulary",
    responses((status = 200, description = "Every vocabulary", body = Vocabulary))
)]
#[get("/vocabulary")]
pub async fn vocabulary(_user: CurrentUser) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(Vocabulary::current()))
}
