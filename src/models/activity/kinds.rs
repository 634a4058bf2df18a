//! The twelve activity kinds of DESIGN.md, each with its own details type,
//! its controlled vocabularies and its rules. The same enums feed the
//! validation, the OpenAPI document and `GET /api/v1/vocabulary`.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::validate::Errors;
use crate::validate::FieldError;

/// How many service users a kind names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Involvement {
    /// None may be named (`staff_support`: staff are not named either).
    None,
    /// Exactly one person (`one_to_one`, `suicide_prevention`).
    One,
    /// One or more.
    AtLeastOne,
    /// Any number, none included (groups and awareness sessions).
    Any,
}

/// The times a kind's rules compare against.
#[derive(Debug, Clone, Copy)]
pub struct Span {
    pub started_at: DateTime<Utc>,
    pub ended_at: DateTime<Utc>,
    /// The latest instant a recorded time may have (now plus clock skew).
    pub latest: DateTime<Utc>,
    /// How many service users the activity names.
    pub named: usize,
}

/// Values reports group and sum by, copied into typed columns.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReportColumns {
    pub restraint_avoided: Option<bool>,
    pub staff_called: Option<bool>,
    pub leave_minutes: Option<i32>,
    pub returned_as_planned: Option<bool>,
    pub attendees_named: Option<i32>,
    pub attendees_unnamed: Option<i32>,
}

/// What each details type checks beyond its shape.
trait KindRules {
    /// Adds errors with paths relative to `details`.
    fn check(&self, span: &Span, errors: &mut Errors);
    fn report_columns(&self, _span: &Span) -> ReportColumns {
        ReportColumns::default()
    }
}

macro_rules! activity_kinds {
    ($( $(#[$doc:meta])* $variant:ident($details:ident) = $value:tt, $involvement:expr; )+) => {
        crate::text_enum! {
            /// What kind of peer-support activity a record is.
            pub enum ActivityKind {
                $( $(#[$doc])* $variant = $value ),+
            }
        }

        /// An activity's kind and its kind-specific details: a union
        /// discriminated by `kind`, one schema per kind.
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
        // `rename_all` rather than a per-variant rename: utoipa reads it here,
        // and each kind's value is its variant's snake_case name.
        #[serde(tag = "kind", content = "details", rename_all = "snake_case")]
        pub enum ActivityDetails {
            $( $(#[$doc])* $variant($details) ),+
        }

        impl ActivityKind {
            /// How many service users an activity of this kind names.
            pub fn involvement(self) -> Involvement {
                match self { $( ActivityKind::$variant => $involvement ),+ }
            }
        }

        impl ActivityDetails {
            /// The kind these details belong to.
            pub fn kind(&self) -> ActivityKind {
                match self { $( ActivityDetails::$variant(_) => ActivityKind::$variant ),+ }
            }

            /// Reads `details` as the type its `kind` calls for; errors
            /// name `details.<field>`.
            pub fn parse(kind: ActivityKind, details: serde_json::Value) -> Result<Self, FieldError> {
                match kind {
                    $( ActivityKind::$variant => crate::json_path::parse_json_value::<$details>(details, "details")
                        .map(ActivityDetails::$variant) ),+
                }
            }

            /// Reads `details` from its raw JSON text, as [`Self::parse`]
            /// does from a tree: a request's details are never made a tree.
            pub fn parse_raw(kind: ActivityKind, details: &serde_json::value::RawValue) -> Result<Self, FieldError> {
                match kind {
                    $( ActivityKind::$variant => crate::json_path::parse_raw::<$details>(details, "details")
                        .map(ActivityDetails::$variant) ),+
                }
            }

            /// The details alone, as stored in the `details` column.
            pub fn to_value(&self) -> serde_json::Value {
                match self { $( ActivityDetails::$variant(d) => serde_json::to_value(d).unwrap_or_default() ),+ }
            }

            fn rules(&self) -> &dyn KindRules {
                match self { $( ActivityDetails::$variant(d) => d ),+ }
            }
        }
    };
}

activity_kinds! {
    /// Taking someone off the ward when staff are too busy.
    EscortedLeave(EscortedLeave) = "escorted_leave", Involvement::AtLeastOne;
    /// Therapeutic one-to-one engagement on controlled topics.
    OneToOne(OneToOne) = "one_to_one", Involvement::One;
    /// Advocating, or supporting self-advocacy, at a tribunal or meeting.
    Advocacy(Advocacy) = "advocacy", Involvement::AtLeastOne;
    /// Running a peer group; named attendees are the activity's service users.
    GroupSession(GroupSession) = "group_session", Involvement::Any;
    /// Intervening in a situation; whether restraint was avoided.
    DeEscalation(DeEscalation) = "de_escalation", Involvement::AtLeastOne;
    /// Calming a panic attack or distress.
    CrisisSupport(CrisisSupport) = "crisis_support", Involvement::AtLeastOne;
    /// A conversation about suicidal thoughts; must record its escalation.
    SuicidePrevention(SuicidePrevention) = "suicide_prevention", Involvement::One;
    /// Exercise, eating, self-care, substance cessation, practical issues.
    Wellbeing(Wellbeing) = "wellbeing", Involvement::AtLeastOne;
    /// Assisting with a ward review.
    WardReviewSupport(WardReviewSupport) = "ward_review_support", Involvement::AtLeastOne;
    /// Assisting with discharge planning.
    DischargeSupport(DischargeSupport) = "discharge_support", Involvement::AtLeastOne;
    /// An awareness session, e.g. LGBTQ+ awareness.
    Awareness(Awareness) = "awareness", Involvement::Any;
    /// Supporting stressed or overwhelmed staff; nobody is named.
    StaffSupport(StaffSupport) = "staff_support", Involvement::None;
}

crate::text_enum! {
    /// On what authority a service user left the ward.
    pub enum LeaveAuthorisation {
        /// Mental Health Act section 17 leave.
        Section17 = "section_17",
        /// An informal (voluntary) patient's agreed leave.
        Informal = "informal",
        Other = "other",
    }
}

crate::text_enum! {
    /// Where escorted leave went, as a category (never an address).
    pub enum DestinationCategory {
        HospitalGrounds = "hospital_grounds",
        LocalCommunity = "local_community",
        Shops = "shops",
        ParkOrOutdoors = "park_or_outdoors",
        Cafe = "cafe",
        HomeVisit = "home_visit",
        Appointment = "appointment",
        Other = "other",
    }
}

crate::text_enum! {
    /// Topics of one-to-one engagement.
    pub enum Topic {
        Listening = "listening",
        CopingStrategies = "coping_strategies",
        TraumaInsight = "trauma_insight",
        HearingVoices = "hearing_voices",
        MedicationAdherence = "medication_adherence",
        DischargeWorries = "discharge_worries",
        Relationships = "relationships",
        SelfHarm = "self_harm",
        Sleep = "sleep",
        PhysicalHealth = "physical_health",
        Other = "other",
    }
}

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

crate::text_enum! {
    /// What a group did.
    pub enum GroupActivity {
        ClothesSwap = "clothes_swap",
        CoffeeAndChat = "coffee_and_chat",
        Music = "music",
        Dance = "dance",
        Art = "art",
        Walking = "walking",
        Football = "football",
        TableTennis = "table_tennis",
        Cooking = "cooking",
        Gardening = "gardening",
        Other = "other",
    }
}

crate::text_enum! {
    /// NHS data definitions: a group session records attendance as a count;
    /// group therapy records each attendee.
    pub enum GroupFormat {
        GroupSession = "group_session",
        GroupTherapy = "group_therapy",
    }
}

crate::text_enum! {
    /// Who a situation involved.
    pub enum DeEscalationSituation {
        BetweenServiceUsers = "between_service_users",
        TowardStaff = "toward_staff",
        SelfDirected = "self_directed",
        Other = "other",
    }
}

crate::text_enum! {
    /// What the worker tried ("efforts made to avoid force").
    pub enum DeEscalationApproach {
        VerbalCalming = "verbal_calming",
        Distraction = "distraction",
        SpaceAndTime = "space_and_time",
        Validation = "validation",
        ProblemSolving = "problem_solving",
        SensoryTools = "sensory_tools",
        Other = "other",
    }
}

crate::text_enum! {
    /// How a de-escalation ended.
    pub enum DeEscalationOutcome {
        Resolved = "resolved",
        PartiallyResolved = "partially_resolved",
        HandedToStaff = "handed_to_staff",
        RestraintUsed = "restraint_used",
        Other = "other",
    }
}

crate::text_enum! {
    /// What the crisis looked like.
    pub enum CrisisPresentation {
        PanicAttack = "panic_attack",
        Distress = "distress",
        Dissociation = "dissociation",
        Flashback = "flashback",
        Other = "other",
    }
}

crate::text_enum! {
    /// How the worker helped in a crisis.
    pub enum CrisisApproach {
        Grounding = "grounding",
        Breathing = "breathing",
        Reassurance = "reassurance",
        QuietSpace = "quiet_space",
        Other = "other",
    }
}

crate::text_enum! {
    /// The area of wellbeing encouraged.
    pub enum WellbeingFocus {
        PhysicalExercise = "physical_exercise",
        Eating = "eating",
        SelfCare = "self_care",
        Sleep = "sleep",
        SubstanceCessation = "substance_cessation",
        PracticalIssuesAtHome = "practical_issues_at_home",
        Other = "other",
    }
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

crate::text_enum! {
    /// What an awareness session was about.
    pub enum AwarenessTopic {
        LgbtqPlus = "lgbtq_plus",
        Stigma = "stigma",
        Cultural = "cultural",
        Neurodiversity = "neurodiversity",
        Other = "other",
    }
}

crate::text_enum! {
    /// Who an awareness session was for.
    pub enum Audience {
        ServiceUsers = "service_users",
        Staff = "staff",
        Mixed = "mixed",
    }
}

crate::text_enum! {
    /// Why staff needed support.
    pub enum StaffSupportReason {
        Stress = "stress",
        Overwhelmed = "overwhelmed",
        AfterIncident = "after_incident",
        Other = "other",
    }
}

/// Incident references in the trust's incident system: letters, digits, `-`.
fn check_reference(errors: &mut Errors, field: &str, value: Option<&str>) {
    if let Some(v) = value {
        let ok = (1..=64).contains(&v.len())
            && v.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'/');
        if !ok {
            errors.add(field, "invalid", "1 to 64 letters, digits, '-' or '/'");
        }
    }
}

/// A list drawn from a vocabulary: at least one, at most `max`, no repeats.
fn check_choices<T: PartialEq>(errors: &mut Errors, field: &str, values: &[T], max: usize) {
    if values.is_empty() {
        errors.add(field, "required", "choose at least one");
    } else if values.len() > max {
        errors.add(field, "too_many", format!("at most {max}"));
    }
    for (i, v) in values.iter().enumerate() {
        if values[..i].contains(v) {
            errors.add(format!("{field}[{i}]"), "duplicate", "listed twice");
        }
    }
}

/// A time inside the activity's record: not in the future, not before it began.
fn check_instant(errors: &mut Errors, field: &str, at: DateTime<Utc>, span: &Span) {
    if at > span.latest {
        errors.add(field, "in_future", "cannot be in the future");
    } else if at < span.started_at {
        errors.add(field, "before_start", "cannot be before `started_at`");
    }
}

/// `escorted_leave` details.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EscortedLeave {
    pub authorisation: LeaveAuthorisation,
    /// Who authorised the leave (name or role), e.g. "Dr Patel (RC)".
    #[schema(min_length = 1, max_length = 200)]
    pub authorised_by: String,
    pub destination: DestinationCategory,
    pub departed_at: DateTime<Utc>,
    /// Absent only when the person did not return with the worker.
    pub returned_at: Option<DateTime<Utc>>,
    pub returned_as_planned: bool,
    /// Whether an incident happened during the leave.
    pub incident: bool,
    /// The incident's reference in the trust's incident system.
    #[schema(max_length = 64)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub incident_reference: Option<String>,
}

impl KindRules for EscortedLeave {
    fn check(&self, span: &Span, e: &mut Errors) {
        e.text("authorised_by", &self.authorised_by, 1, 200);
        check_instant(e, "departed_at", self.departed_at, span);
        // The leave is what the activity was: it happens within it, so the
        // hours off the ward reports sum can never exceed the activity.
        if self.departed_at >= span.ended_at {
            e.add("departed_at", "after_end", "must be before `ended_at`");
        }
        match self.returned_at {
            Some(back) if back <= self.departed_at => e.add(
                "returned_at",
                "before_departure",
                "must be after `departed_at`",
            ),
            Some(back) if back > span.ended_at => e.add(
                "returned_at",
                "after_end",
                "cannot be after the activity's `ended_at`",
            ),
            Some(back) if back > span.latest => {
                e.add("returned_at", "in_future", "cannot be in the future")
            }
            None if self.returned_as_planned => e.add(
                "returned_at",
                "required",
                "required when the person returned as planned",
            ),
            _ => {}
        }
        if self.incident_reference.is_some() && !self.incident {
            e.add(
                "incident_reference",
                "not_allowed",
                "only when `incident` is true",
            );
        }
        check_reference(e, "incident_reference", self.incident_reference.as_deref());
    }

    fn report_columns(&self, _: &Span) -> ReportColumns {
        ReportColumns {
            returned_as_planned: Some(self.returned_as_planned),
            leave_minutes: self
                .returned_at
                .map(|back| (back - self.departed_at).num_minutes().max(0) as i32),
            ..Default::default()
        }
    }
}

/// `one_to_one` details.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OneToOne {
    /// One to ten topics, no repeats.
    #[schema(min_items = 1, max_items = 10)]
    pub topics: Vec<Topic>,
}

impl KindRules for OneToOne {
    fn check(&self, _: &Span, e: &mut Errors) {
        check_choices(e, "topics", &self.topics, 10);
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

impl KindRules for Advocacy {
    fn check(&self, _: &Span, _: &mut Errors) {}
}

/// `group_session` details. Named attendees are the activity's
/// `service_user_ids`; others are counted in `unnamed_attendees`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GroupSession {
    pub activity: GroupActivity,
    pub format: GroupFormat,
    /// Attendees not recorded individually (0 for group therapy).
    #[schema(minimum = 0, maximum = 500)]
    pub unnamed_attendees: i32,
}

impl KindRules for GroupSession {
    fn check(&self, span: &Span, e: &mut Errors) {
        if !(0..=500).contains(&self.unnamed_attendees) {
            e.add("unnamed_attendees", "out_of_range", "must be 0 to 500");
        }
        if self.format == GroupFormat::GroupTherapy {
            if self.unnamed_attendees > 0 {
                e.add(
                    "unnamed_attendees",
                    "not_allowed",
                    "group therapy records each attendee by name",
                );
            }
            if span.named == 0 {
                e.add(
                    "format",
                    "attendees_required",
                    "group therapy needs its attendees in `service_user_ids`",
                );
            }
        }
    }

    fn report_columns(&self, span: &Span) -> ReportColumns {
        ReportColumns {
            attendees_named: Some(span.named as i32),
            attendees_unnamed: Some(self.unnamed_attendees.max(0)),
            ..Default::default()
        }
    }
}

/// `de_escalation` details.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeEscalation {
    pub situation: DeEscalationSituation,
    /// What was tried, one or more.
    #[schema(min_items = 1, max_items = 7)]
    pub approaches: Vec<DeEscalationApproach>,
    pub restraint_avoided: bool,
    pub staff_called: bool,
    pub outcome: DeEscalationOutcome,
    /// The reference in the trust's incident system, if one was raised.
    #[schema(max_length = 64)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub incident_reference: Option<String>,
}

impl KindRules for DeEscalation {
    fn check(&self, _: &Span, e: &mut Errors) {
        check_choices(e, "approaches", &self.approaches, 7);
        if self.outcome == DeEscalationOutcome::RestraintUsed && self.restraint_avoided {
            e.add(
                "restraint_avoided",
                "inconsistent",
                "cannot be true when the outcome is `restraint_used`",
            );
        }
        check_reference(e, "incident_reference", self.incident_reference.as_deref());
    }

    fn report_columns(&self, _: &Span) -> ReportColumns {
        ReportColumns {
            restraint_avoided: Some(self.restraint_avoided),
            staff_called: Some(self.staff_called),
            ..Default::default()
        }
    }
}

/// `crisis_support` details.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CrisisSupport {
    pub presentation: CrisisPresentation,
    #[schema(min_items = 1, max_items = 5)]
    pub approaches: Vec<CrisisApproach>,
    /// Whether ward staff were told.
    pub staff_informed: bool,
}

impl KindRules for CrisisSupport {
    fn check(&self, _: &Span, e: &mut Errors) {
        check_choices(e, "approaches", &self.approaches, 5);
    }
}

/// `suicide_prevention` details. Safety rule: never saved without who on the
/// ward it was escalated to, and when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SuicidePrevention {
    /// Who on the ward it was escalated to (name and role). Required.
    #[schema(
        required = true,
        min_length = 1,
        max_length = 200,
        example = "Charge nurse J. Okafor"
    )]
    pub escalated_to: Option<String>,
    /// When it was escalated. Required.
    #[schema(required = true)]
    pub escalated_at: Option<DateTime<Utc>>,
    pub safety_plan_discussed: bool,
}

impl KindRules for SuicidePrevention {
    fn check(&self, span: &Span, e: &mut Errors) {
        match self.escalated_to.as_deref() {
            Some(who) => e.text("escalated_to", who, 1, 200),
            None => e.add(
                "escalated_to",
                "required",
                "record who on the ward this was escalated to",
            ),
        }
        match self.escalated_at {
            Some(at) => check_instant(e, "escalated_at", at, span),
            None => e.add("escalated_at", "required", "record when it was escalated"),
        }
    }
}

/// `wellbeing` details.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Wellbeing {
    #[schema(min_items = 1, max_items = 7)]
    pub focus: Vec<WellbeingFocus>,
}

impl KindRules for Wellbeing {
    fn check(&self, _: &Span, e: &mut Errors) {
        check_choices(e, "focus", &self.focus, 7);
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

impl KindRules for WardReviewSupport {
    fn check(&self, _: &Span, e: &mut Errors) {
        check_choices(e, "support", &self.support, 4);
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

impl KindRules for DischargeSupport {
    fn check(&self, _: &Span, e: &mut Errors) {
        check_choices(e, "focus", &self.focus, 7);
    }
}

/// `awareness` details.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Awareness {
    pub topic: AwarenessTopic,
    pub audience: Audience,
    /// How many attended, named or not.
    #[schema(minimum = 0, maximum = 500)]
    pub attendees: i32,
}

impl KindRules for Awareness {
    fn check(&self, span: &Span, e: &mut Errors) {
        if !(0..=500).contains(&self.attendees) {
            e.add("attendees", "out_of_range", "must be 0 to 500");
        } else if (self.attendees as usize) < span.named {
            e.add(
                "attendees",
                "too_few",
                "cannot be fewer than the service users named",
            );
        }
    }
}

/// `staff_support` details. Staff are counted, never named.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StaffSupport {
    pub reason: StaffSupportReason,
    #[schema(minimum = 1, maximum = 50)]
    pub staff_count: i32,
}

impl KindRules for StaffSupport {
    fn check(&self, _: &Span, e: &mut Errors) {
        if !(1..=50).contains(&self.staff_count) {
            e.add("staff_count", "out_of_range", "must be 1 to 50");
        }
    }
}

impl ActivityDetails {
    /// The kind's own rules; errors are named `details.<field>`.
    pub fn check(&self, span: &Span, errors: &mut Errors) {
        let mut own = Errors::new();
        self.rules().check(span, &mut own);
        errors.extend_prefixed("details", own);
    }

    /// The typed report columns for these details.
    pub fn report_columns(&self, span: &Span) -> ReportColumns {
        self.rules().report_columns(span)
    }
}
