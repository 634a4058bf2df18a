//! The person's voice in decisions about their care: advocacy at a
//! tribunal or meeting, ward reviews, discharge planning.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

crate::text_enum! {
    /// Where advocacy happened.
    pub enum AdvocacySetting {
        MentalHealthTribunal = "mental_health_tribunal",
        WardReview = "ward_review",
        CareProgrammeApproach = "care_programme_approach",
        DischargeMeeting = "discharge_meeting",
        HospitalManagersHearing = "hospital_managers_hearing",
        Other = "other",
    }
}

crate::text_enum! {
    /// Whether the worker advocated or supported the person to speak.
    pub enum AdvocacyMode {
        Advocating = "advocating",
        SupportingSelfAdvocacy = "supporting_self_advocacy",
    }
}

crate::text_enum! {
    /// What came of the advocacy.
    pub enum AdvocacyOutcome {
        ViewsHeard = "views_heard",
        RequestAgreed = "request_agreed",
        RequestDeclined = "request_declined",
        Adjourned = "adjourned",
        Pending = "pending",
        Other = "other",
    }
}

/// `advocacy` details.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Advocacy {
    pub setting: AdvocacySetting,
    pub mode: AdvocacyMode,
    pub outcome: AdvocacyOutcome,
}

crate::text_enum! {
    /// How the worker supported a ward review.
    pub enum ReviewSupport {
        PreparingQuestions = "preparing_questions",
        AttendingReview = "attending_review",
        FeedbackAfterwards = "feedback_afterwards",
        Other = "other",
    }
}

/// `ward_review_support` details.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WardReviewSupport {
    #[schema(min_items = 1, max_items = 4)]
    pub support: Vec<ReviewSupport>,
    /// Whether the worker recommended home leave before discharge.
    pub home_leave_recommended: bool,
}

crate::text_enum! {
    /// What discharge planning covered.
    pub enum DischargeFocus {
        Housing = "housing",
        Finances = "finances",
        CommunityServices = "community_services",
        Medication = "medication",
        RelapsePrevention = "relapse_prevention",
        HomeLeave = "home_leave",
        Other = "other",
    }
}

/// `discharge_support` details.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DischargeSupport {
    #[schema(min_items = 1, max_items = 7)]
    pub focus: Vec<DischargeFocus>,
    /// Whether the worker recommended home leave before discharge.
    pub home_leave_recommended: bool,
}
