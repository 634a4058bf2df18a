// What the record form says: the message for each missing answer, the
// nouns its checks use, and the server's 422 field paths mapped back onto
// the fields they name, in the form's own words.
import type { FieldError, Problem } from "../api/client";
import type { Errors, FieldSpec, KindSpec } from "./form";
import { fieldLabel } from "./labels";

export const REQUIRED: Record<string, string> = {
  started_at: "Enter when it started",
  duration: "Select how long it lasted",
  authorisation: "Select the leave authorisation",
  authorised_by: "Enter who authorised the leave",
  destination: "Select where you went",
  departed_at: "Enter when you left the ward",
  returned_as_planned: "Select whether they returned as planned",
  incident: "Select whether there was an incident",
  topics: "Select at least one thing you talked about",
  setting: "Select where the advocacy was",
  mode: "Select how you helped",
  outcome: "Select the outcome",
  activity: "Select what the group did",
  format: "Select the type of group",
  unnamed_attendees: "Enter how many attendees are not named",
  situation: "Select what the situation was",
  approaches: "Select at least one thing you tried",
  restraint_avoided: "Select whether restraint was avoided",
  staff_called: "Select whether staff were called",
  presentation: "Select what it looked like",
  staff_informed: "Select whether ward staff were told",
  escalated_to: "Enter who on the ward you escalated it to",
  escalated_at: "Enter when you escalated it",
  safety_plan_discussed: "Select whether you discussed their safety plan",
  focus: "Select at least one thing you focused on",
  support: "Select at least one way you supported the review",
  home_leave_recommended: "Select whether you recommended home leave",
  topic: "Select what the session was about",
  audience: "Select who it was for",
  attendees: "Enter how many attended",
  reason: "Select why they needed support",
  staff_count: "Enter how many staff you supported",
};

/** The cross-field rules' errors in the form's words, by `field code` as
 * the server (and the app's evaluator, src/lib/rules.ts) names them. The
 * rules themselves are the server's declarations; a unit test fails when
 * one has no words here. */
export const RULE_MESSAGES: Record<string, string> = {
  "started_at in_future": "The start time cannot be in the future",
  "ended_at before_start": "The time it ended must be after the time it started",
  "ended_at too_long": "An activity lasts at most 24 hours. Check when it started",
  "ended_at in_future": "The time it ended cannot be in the future. Choose Just now, or enter an earlier time",
  "details.departed_at in_future": "The time you left the ward cannot be in the future",
  "details.departed_at before_start": "The time you left the ward cannot be before the activity started",
  "details.departed_at after_end": "The time you left the ward must be before you got back",
  "details.returned_at before_departure": "The time you got back must be after the time you left the ward",
  "details.returned_at after_end": "The time you got back cannot be after the activity ended",
  "details.returned_at in_future": "The time you got back cannot be in the future",
  "details.returned_at required": "Enter when you got back, or choose Not back yet",
  "details.incident_reference not_allowed": "Only give an incident reference if there was an incident",
  "details.restraint_avoided inconsistent":
    "Restraint cannot have been avoided if the outcome was that restraint was used. Change one of these answers",
  "details.unnamed_attendees not_allowed": "Group therapy names everyone who came: enter 0 and select each attendee above",
  "details.format attendees_required": "Group therapy needs its attendees: select everyone who attended",
  "details.attendees too_few": "The number who attended cannot be fewer than the people you selected",
  "details.escalated_at in_future": "The time you escalated it cannot be in the future",
  "details.escalated_at before_start": "The time you escalated it cannot be before the activity started",
};

/** Details that are the activity's own span, so the form asks one pair of
 * times and derives them: escorted leave is the time off the ward, from
 * leaving (`start`) to getting back (`end`, absent when not back; then
 * `whenOpen` gives the answers that follow from it). */
export const SPAN_DETAILS: Record<string, { start: string; end: string; whenOpen: Record<string, string> }> = {
  escorted_leave: { start: "departed_at", end: "returned_at", whenOpen: { returned_as_planned: "no" } },
};

/** The question a field's error belongs on: a derived time on the time
 * question it comes from. */
export function questionOf(key: string, spec: KindSpec | undefined): string {
  const span = spec && SPAN_DETAILS[spec.kind];
  if (span && key === `details.${span.end}`) return "when";
  if (span && key === `details.${span.start}`) return "duration";
  return key;
}

export const NOUNS: Record<string, string> = {
  started_at: "The start time",
  ended_at: "The end time",
  duration: "The length",
  duration_minutes: "The length",
  departed_at: "The time you left the ward",
  returned_at: "The time you got back",
  escalated_at: "The time you escalated it",
  note: "The note",
  service_user_ids: "The people involved",
  co_worker_ids: "The other peer workers",
};

export function requiredMessage(f: FieldSpec): string {
  return (
    REQUIRED[f.name] ??
    (f.type === "enum" || f.type === "boolean"
      ? `Select an answer to '${fieldLabel(f.name)}'`
      : f.type === "enum[]"
        ? `Select at least one answer to '${fieldLabel(f.name)}'`
        : `Enter ${fieldLabel(f.name).toLowerCase()}`)
  );
}

// ---- server errors ---------------------------------------------------------

/** The form field a 422 path names: `details.approaches[1]` → `details.approaches`. */
export function fieldKey(path: string): string {
  const p = path
    .replace(/\[\d+\]/g, "")
    .replace(/^\//, "")
    .replace(/\//g, ".");
  if (p === "duration_minutes" || p === "ended_at") return "duration";
  return p;
}

function plain(message: string): string {
  return message.replace(/`([a-z_.]+)`/g, (_m, code: string) =>
    code === "started_at"
      ? "the start time"
      : code === "ended_at"
        ? "the end time"
        : fieldLabel(code.split(".").pop() ?? code).toLowerCase(),
  );
}

export function serverMessage(fe: FieldError, spec: KindSpec | undefined): string {
  const key = fieldKey(fe.field);
  const name = key.replace(/^details\./, "");
  const f = spec?.fields.find((x) => x.name === name);
  const words = RULE_MESSAGES[`${fe.field} ${fe.code}`];
  if (words) return words;
  if (key === "service_user_ids") {
    if (fe.code === "exactly_one") return "Select one person who was involved";
    if (fe.code === "required") return "Select at least one person who was involved";
    if (fe.code === "not_allowed") return "Do not select anyone for this kind of activity";
    if (fe.code === "unknown" || fe.code === "not_found") return "Someone you selected is not on this ward any more";
  }
  if (fe.code === "required" && f) return requiredMessage(f);
  if (fe.code === "required" && REQUIRED[key]) return REQUIRED[key];
  const noun = NOUNS[key] ?? NOUNS[name] ?? (f ? fieldLabel(f.name) : fieldLabel(name));
  const msg = plain(fe.message);
  if (/^(must|cannot|is|are|has)\b/.test(msg)) return `${noun} ${msg}`;
  return msg.charAt(0).toUpperCase() + msg.slice(1);
}

export function serverErrors(problem: Problem, spec: KindSpec | undefined): Errors {
  const out: Errors = {};
  for (const fe of problem.errors ?? []) {
    const key = questionOf(fieldKey(fe.field), spec);
    if (!out[key]) out[key] = serverMessage(fe, spec);
  }
  if (!Object.keys(out).length) out._form = problem.detail || problem.title;
  return out;
}
