// Words for codes. The lists themselves come from the API (vocabulary) and
// the OpenAPI document (kinds.json); this file only turns a code such as
// `coffee_and_chat` into "Coffee and chat" (NHS.UK sentence case), with a
// small map for the few that need more than that: abbreviations, proper
// nouns and questions that read better than a field name.

const VALUE_OVERRIDES: Record<string, string> = {
  section_17: "Section 17 (Mental Health Act)",
  informal: "Informal (voluntary patient)",
  one_to_one: "One-to-one",
  de_escalation: "De-escalation",
  self_harm: "Self-harm",
  lgbtq_plus: "LGBTQ+",
  cafe: "Café",
  camhs: "CAMHS",
  mental_health_tribunal: "Mental Health Tribunal",
  care_programme_approach: "Care programme approach (CPA) meeting",
  hospital_managers_hearing: "Hospital managers' hearing",
  group_therapy: "Group therapy (each attendee recorded)",
  group_session: "Group session",
  peer_support_worker: "Peer support worker",
  peer_team_leader: "Peer team leader",
  ward_staff: "Ward staff",
  entered_in_error: "Entered in error",
  trauma_insight: "Insight into trauma",
  restraint_used: "Restraint was used",
  handed_to_staff: "Handed over to staff",
  toward_staff: "Towards staff",
  after_incident: "After an incident",
  practical_issues_at_home: "Practical issues at home",
  substance_cessation: "Stopping drugs or alcohol",
};

/** Sentence case from a snake_case code. */
export function humanise(code: string): string {
  const o = VALUE_OVERRIDES[code];
  if (o) return o;
  const words = code.replace(/_/g, " ").trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Labels for form fields (the kind's `details` fields and the common
 * ones). Where none is given the field's name is humanised. */
const FIELD_LABELS: Record<string, string> = {
  authorisation: "Leave authorisation",
  authorised_by: "Who authorised the leave",
  destination: "Where did you go?",
  departed_at: "When did you leave the ward?",
  returned_at: "When did you get back?",
  returned_as_planned: "Did they return as planned?",
  incident: "Was there an incident?",
  incident_reference: "Incident reference",
  topics: "What did you talk about?",
  setting: "Where was the advocacy?",
  mode: "How did you help?",
  outcome: "What was the outcome?",
  activity: "What did the group do?",
  format: "Type of group",
  unnamed_attendees: "How many attendees are not named above?",
  situation: "What was the situation?",
  approaches: "What did you try?",
  restraint_avoided: "Was restraint avoided?",
  staff_called: "Were staff called?",
  presentation: "What did it look like?",
  staff_informed: "Were ward staff told?",
  escalated_to: "Who on the ward did you escalate it to?",
  escalated_at: "When did you escalate it?",
  safety_plan_discussed: "Did you discuss their safety plan?",
  focus: "What did you focus on?",
  support: "How did you support the ward review?",
  home_leave_recommended: "Did you recommend home leave before discharge?",
  topic: "What was the session about?",
  audience: "Who was it for?",
  attendees: "How many attended?",
  reason: "Why did they need support?",
  staff_count: "How many staff did you support?",
  service_user_ids: "Who was involved?",
  co_worker_ids: "Other peer workers who took part",
  started_at: "When did it start?",
  duration_minutes: "How long did it last?",
  ended_at: "When did it end?",
  note: "Note",
  details: "Details",
};

export function fieldLabel(name: string): string {
  return FIELD_LABELS[name] ?? humanise(name);
}

/** Short labels for a record's summary (nouns rather than questions). */
const SUMMARY_LABELS: Record<string, string> = {
  authorisation: "Leave authorisation",
  unnamed_attendees: "Attendees not named",
  staff_count: "Staff supported",
  attendees: "Attendees",
  format: "Type of group",
  activity: "Group activity",
  mode: "How the worker helped",
  support: "Support given",
};

export function summaryLabel(name: string): string {
  return SUMMARY_LABELS[name] ?? humanise(name);
}

/** Hint text: the API's own descriptions, unless they are written for
 * developers (they name fields in `code`), or a plainer one is given here. */
const HINTS: Record<string, string> = {
  unnamed_attendees: "Enter 0 if everyone who came is named above. For group therapy, name each attendee.",
  escalated_to: "Their name and role, for example Charge nurse J. Okafor",
  service_user_ids: "",
  incident_reference: "The reference in the trust's incident system, if one was raised",
  authorised_by: "Name or role, for example Dr Patel (RC)",
};

export function fieldHint(name: string, description: string | undefined): string | undefined {
  if (name in HINTS) return HINTS[name] || undefined;
  if (!description) return undefined;
  if (/`/.test(description)) return undefined;
  const text = description.replace(/\s*Required\.?\s*$/, "").trim();
  return text || undefined;
}

export function kindLabel(kind: string): string {
  return humanise(kind);
}

export function roleLabel(role: string): string {
  return humanise(role);
}

/** A length as hours and minutes: "45 min", "1 h 30 min". */
export { hoursMinutes as minutesLabel } from "./dates";

const timeFmt = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", timeZone: "Europe/London" });
const dayFmt = new Intl.DateTimeFormat("en-GB", { weekday: "short", day: "numeric", month: "short", timeZone: "Europe/London" });
const fullFmt = new Intl.DateTimeFormat("en-GB", {
  weekday: "long",
  day: "numeric",
  month: "long",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  timeZone: "Europe/London",
});
const londonDay = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/London" });

export function time(iso: string): string {
  return timeFmt.format(new Date(iso));
}

export function dayAndTime(iso: string): string {
  return `${dayFmt.format(new Date(iso))}, ${time(iso)}`;
}

export function fullDateTime(iso: string): string {
  return fullFmt.format(new Date(iso)).replace(" at ", ", ");
}

/** The Europe/London date (YYYY-MM-DD) of an instant. */
export function londonDate(d: Date | string): string {
  return londonDay.format(typeof d === "string" ? new Date(d) : d);
}
