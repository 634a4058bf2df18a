// The record form's model: what each kind asks (from kinds.json, generated
// from the OpenAPI document), the values as the inputs hold them, checks
// before saving, the request body, and the server's 422 field paths mapped
// back onto the fields they name.
import kindsJson from "../api/kinds.json";
import type { Activity, ActivityAmendment, NewActivityBody, Vocabulary } from "../api/client";
import { fieldLabel } from "./labels";
import { fieldKey, NOUNS, questionOf, REQUIRED, requiredMessage, serverMessage, SPAN_DETAILS } from "./form-messages";
import { datePartsOf, dateTimePartsOf, EMPTY_DATE_TIME, parseDateTime, type DateTimeParts } from "./dates";
import { allowed, checkBody } from "./rules";

export type FieldType =
  "enum" | "enum[]" | "boolean" | "date-time" | "date" | "integer" | "string" | "uuid" | "uuid[]" | "string[]" | "unknown";

export interface FieldSpec {
  name: string;
  type: FieldType;
  required: boolean;
  nullable: boolean;
  description?: string;
  enum?: string[];
  enumName?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
}

export interface KindSpec {
  kind: string;
  description: string;
  detailsDescription: string;
  common: Partial<Record<"service_user_ids" | "co_worker_ids" | "note" | "duration_minutes" | "ended_at" | "started_at", FieldSpec>>;
  fields: FieldSpec[];
}

export const KINDS = (kindsJson as unknown as { kinds: Record<string, KindSpec> }).kinds;

export function kindSpec(kind: string): KindSpec | undefined {
  return KINDS[kind];
}

/** The kinds in the vocabulary's order (the document's when offline and
 * never seen the vocabulary). */
export function kindOrder(vocab: Vocabulary | null): string[] {
  const known = Object.keys(KINDS);
  return vocab ? vocab.activity_kinds.filter((k) => known.includes(k)) : known;
}

/** The choices for an enum field: the vocabulary list holding the same codes
 * (matched on the codes themselves, so no list is named in the app), in the
 * server's order; the document's own list when there is no vocabulary. */
export function choices(f: FieldSpec, vocab: Vocabulary | null): string[] {
  const own = f.enum ?? [];
  if (!vocab) return own;
  let best: string[] | null = null;
  let bestScore = 0;
  for (const list of Object.values(vocab) as unknown[]) {
    if (!Array.isArray(list)) continue;
    const common = own.filter((c) => list.includes(c)).length;
    const score = common / new Set([...own, ...(list as string[])]).size;
    if (score > bestScore) {
      bestScore = score;
      best = list as string[];
    }
  }
  return best && bestScore >= 0.5 ? best : own;
}

/** Whether service users can, must, or must not be named, and how many,
 * as the kind's schema says (`minItems` / `maxItems` on `service_user_ids`;
 * `min` is undefined when the schema does not say). */
export function involvement(spec: KindSpec): { show: boolean; min: number | undefined; max: number | undefined } {
  const f = spec.common.service_user_ids;
  if (!f) return { show: false, min: 0, max: 0 };
  const max = f.maxItems;
  if (max === 0) return { show: false, min: 0, max: 0 };
  return { show: true, min: f.minItems ?? (f.required ? 1 : undefined), max };
}

// ---- values ----------------------------------------------------------------

/** When it ended: just now, a few minutes ago, or a date and time typed. */
export type EndMode = "now" | "15" | "30" | "60" | "other";
/** How long it lasted: a usual length, minutes typed, or the start time instead. */
export type LengthMode = "15" | "30" | "45" | "60" | "other" | "start" | "";
/** A detail's answer as the inputs hold it (a date-time detail as its boxes). */
export type DetailValue = string | string[] | DateTimeParts;

export interface FormValues {
  kind: string;
  endMode: EndMode;
  /** When it ended, with `endMode` "other". */
  endedAt: DateTimeParts;
  /** Escorted leave: the person is not back on the ward with the worker
   * (no return time; the record ends when it is made). */
  notBack: boolean;
  lengthMode: LengthMode;
  otherMinutes: string;
  /** When it started, with `lengthMode` "start". */
  startedAt: DateTimeParts;
  serviceUserIds: string[];
  coWorkerIds: string[];
  note: string;
  details: Record<string, DetailValue>;
}

export const END_OFFSETS: [EndMode, string, number][] = [
  ["now", "Just now", 0],
  ["15", "15 minutes ago", 15],
  ["30", "30 minutes ago", 30],
  ["60", "1 hour ago", 60],
];

/** Whether the form asks this detail, with the answers as they are: not
 * when it is derived from the times, nor when a rule refuses it merely for
 * being given (an incident reference with no incident). */
export function asks(spec: KindSpec, v: FormValues, name: string): boolean {
  const span = SPAN_DETAILS[spec.kind];
  if (span && (name === span.start || name === span.end)) return false;
  if (span && v.notBack && name in span.whenOpen) return false;
  return allowed(spec.kind, name, detailsOf(v, spec));
}

export function isDateTimeParts(x: unknown): x is DateTimeParts {
  return !!x && typeof x === "object" && !Array.isArray(x) && "time" in x && "day" in x;
}

/** A new record's values: it ended just now, the day filled in for "another time". */
export function emptyValues(kind: string, now = new Date()): FormValues {
  const spec = kindSpec(kind);
  const details: Record<string, DetailValue> = {};
  for (const f of spec?.fields ?? []) details[f.name] = f.type.endsWith("[]") ? [] : f.type === "date-time" ? { ...EMPTY_DATE_TIME } : "";
  const today = { ...datePartsOf(now), time: "" };
  return {
    kind,
    endMode: "now",
    endedAt: today,
    notBack: false,
    lengthMode: "",
    otherMinutes: "",
    startedAt: { ...today },
    serviceUserIds: [],
    coWorkerIds: [],
    note: "",
    details,
  };
}

const floorMinute = (t: number) => Math.floor(t / 60_000) * 60_000;

/** The form's values for a record as the API (or the queue) holds it: its
 * end as a date and time, its length in minutes. */
export function valuesFrom(
  a: Pick<Activity, "kind" | "started_at" | "service_user_ids" | "co_worker_ids" | "note" | "details"> & {
    duration_minutes?: number | null;
    ended_at?: string | null;
  },
): FormValues {
  const v = emptyValues(a.kind);
  const span = SPAN_DETAILS[a.kind];
  const d = (a.details ?? {}) as Record<string, unknown>;
  let started = Date.parse(a.started_at);
  let minutes = a.duration_minutes ?? (a.ended_at ? Math.round((Date.parse(a.ended_at) - started) / 60000) : null);
  let ended = a.ended_at ? Date.parse(a.ended_at) : started + (minutes ?? 0) * 60_000;
  if (span && typeof d[span.start] === "string") {
    // The leave's own times are the ones the form asks.
    started = Date.parse(d[span.start] as string);
    if (typeof d[span.end] === "string") ended = Date.parse(d[span.end] as string);
    else v.notBack = true;
    minutes = Math.round((ended - started) / 60_000);
  }
  v.endMode = "other";
  v.endedAt = dateTimePartsOf(new Date(ended));
  v.startedAt = dateTimePartsOf(new Date(started));
  if (minutes && ["15", "30", "45", "60"].includes(String(minutes))) v.lengthMode = String(minutes) as LengthMode;
  else if (minutes) {
    v.lengthMode = "other";
    v.otherMinutes = String(minutes);
  }
  v.serviceUserIds = [...a.service_user_ids];
  v.coWorkerIds = [...a.co_worker_ids];
  v.note = a.note ?? "";
  for (const f of kindSpec(a.kind)?.fields ?? []) {
    const x = d[f.name];
    if (x === null || x === undefined) continue;
    if (f.type === "boolean") v.details[f.name] = x ? "yes" : "no";
    else if (f.type === "date-time") v.details[f.name] = dateTimePartsOf(new Date(String(x)));
    else if (Array.isArray(x)) v.details[f.name] = x.map(String);
    else v.details[f.name] = String(x);
  }
  return v;
}

// ---- checks ----------------------------------------------------------------

/** Messages by field key. A key may name one box of a date and time after
 * an `@` (`ended_at@time`), so the summary's link lands on that box. */
export type Errors = Record<string, string>;

/** The message for a field, and the box it names, if any. */
export function errorFor(errors: Errors, base: string): { text: string; part?: string } | undefined {
  for (const [k, text] of Object.entries(errors)) {
    if (k === base) return { text };
    if (k.startsWith(`${base}@`)) return { text, part: k.slice(base.length + 1) };
  }
  return undefined;
}

/** Length in minutes from the form's length question, or null. */
export function minutesOf(v: FormValues): number | null {
  if (["15", "30", "45", "60"].includes(v.lengthMode)) return Number(v.lengthMode);
  if (v.lengthMode === "other") {
    const n = Number(v.otherMinutes);
    return Number.isInteger(n) && n > 0 ? n : null;
  }
  return null;
}

/** The record's start, end and length from the time questions, with what
 * is wrong with them. "Just now" and "15 minutes ago" are read at `now`. */
export function timesOf(
  v: FormValues,
  spec: KindSpec,
  now = new Date(),
): { start: Date | null; end: Date | null; minutes: number | null; errors: Errors } {
  const e: Errors = {};
  const slack = now.getTime() + 5 * 60_000;
  let end: Date | null = null;
  // Not back yet: the record ends when it is made (or, opened for an
  // amendment, where it ended).
  const offset = v.notBack && v.endMode !== "other" ? END_OFFSETS[0] : END_OFFSETS.find(([m]) => m === v.endMode);
  if (offset) end = new Date(floorMinute(now.getTime()) - offset[2] * 60_000);
  else {
    const r = parseDateTime(v.endedAt, "The date it ended", "The time it ended");
    if (r.ok) end = r.at;
    else e[`ended_at@${r.part}`] = r.empty ? "Enter the date and time it ended" : r.error;
  }
  if (end && end.getTime() > slack) {
    e["ended_at@time"] = "The time it ended cannot be in the future. Choose Just now, or enter an earlier time";
    end = null;
  }

  const maxMinutes = spec.common.duration_minutes?.maximum ?? 1440;
  let minutes: number | null = null;
  let start: Date | null = null;
  if (!v.lengthMode) e.duration = SPAN_DETAILS[spec.kind] ? "Select how long you were off the ward" : REQUIRED.duration;
  else if (v.lengthMode === "other") {
    const n = Number(v.otherMinutes);
    if (!v.otherMinutes.trim()) e.duration = "Enter how many minutes it lasted";
    else if (!Number.isInteger(n) || n < 1 || n > maxMinutes)
      e.duration = `Length must be a whole number of minutes from 1 to ${maxMinutes}`;
    else minutes = n;
  } else if (v.lengthMode === "start") {
    const r = parseDateTime(v.startedAt, "The date it started", "The time it started");
    if (!r.ok) e[`started_at@${r.part}`] = r.empty ? "Enter the date and time it started" : r.error;
    else if (end && r.at.getTime() >= end.getTime()) e["started_at@time"] = "The time it started must be before the time it ended";
    else if (end && end.getTime() - r.at.getTime() > maxMinutes * 60_000)
      e["started_at@day"] = `It cannot last more than ${maxMinutes / 60} hours. Check the date it started`;
    else start = r.at;
    if (start && end) minutes = Math.round((end.getTime() - start.getTime()) / 60_000);
  } else minutes = Number(v.lengthMode);
  if (end && minutes && !start) start = new Date(end.getTime() - minutes * 60_000);
  return { start, end, minutes, errors: e };
}

export function check(v: FormValues, spec: KindSpec, now = new Date()): Errors {
  const e: Errors = { ...timesOf(v, spec, now).errors };
  const slack = now.getTime() + 5 * 60_000;

  const inv = involvement(spec);
  if (inv.show) {
    if (inv.max === 1 && v.serviceUserIds.length !== 1) e.service_user_ids = "Select who was involved";
    else if (v.serviceUserIds.length < (inv.min ?? 0)) e.service_user_ids = "Select at least one person who was involved";
    else if (inv.max !== undefined && v.serviceUserIds.length > inv.max) e.service_user_ids = `Select at most ${inv.max} people`;
  }

  const noteMax = spec.common.note?.maxLength ?? 2000;
  if (v.note.length > noteMax) e.note = `The note must be ${noteMax} characters or fewer`;

  for (const f of spec.fields) {
    const key = `details.${f.name}`;
    const raw = v.details[f.name];
    if (!asks(spec, v, f.name)) continue;
    if (f.type === "date-time") {
      const parts = isDateTimeParts(raw) ? raw : EMPTY_DATE_TIME;
      const names = dateTimeNames(f);
      const r = parseDateTime(parts, names.date, names.time);
      if (!r.ok) {
        if (!r.empty) e[`${key}@${r.part}`] = r.error;
        else if (f.required) e[`${key}@day`] = requiredMessage(f);
      } else if (r.at.getTime() > slack) e[`${key}@time`] = `${names.time} cannot be in the future`;
      continue;
    }
    const empty = Array.isArray(raw) ? raw.length === 0 : !String(raw ?? "").trim();
    if (empty) {
      if (f.required && !(f.type === "enum[]" && f.minItems === 0)) e[key] = requiredMessage(f);
      continue;
    }
    if (f.type === "integer") {
      const n = Number(raw);
      const lo = f.minimum ?? -Infinity;
      const hi = f.maximum ?? Infinity;
      const range = Number.isFinite(lo) && Number.isFinite(hi) ? ` from ${lo} to ${hi}` : Number.isFinite(lo) ? ` of ${lo} or more` : "";
      if (!Number.isInteger(n) || n < lo || n > hi) e[key] = `Enter a whole number${range} for '${fieldLabel(f.name)}'`;
    } else if (f.type === "string") {
      const s = String(raw).trim();
      if (f.maxLength && s.length > f.maxLength) e[key] = `${fieldLabel(f.name)} must be ${f.maxLength} characters or fewer`;
    } else if (f.type === "enum[]" && f.maxItems !== undefined && (raw as string[]).length > f.maxItems) {
      e[key] = `Select at most ${f.maxItems}`;
    }
  }
  // The server's cross-field rules, read from its own declarations, on the
  // body this form would send, so every refusal shows in one pass; each
  // message lands on the question it is about. While the times are not
  // all answered, rules comparing values wait for them.
  const timesAnswered = !Object.keys(timesOf(v, spec, now).errors).length;
  for (const fe of checkBody(newBody(v, spec, "", "", now), now, timesAnswered)) {
    const key = questionOf(fieldKey(fe.field), spec);
    if (!errorFor(e, key)) e[key] = serverMessage(fe, spec);
  }
  return e;
}

/** The words a date-time detail's messages begin with ("The date you left
 * the ward", "The time you left the ward"). */
export function dateTimeNames(f: FieldSpec): { date: string; time: string } {
  const noun = NOUNS[f.name];
  if (noun && noun.startsWith("The time ")) return { date: noun.replace("The time ", "The date "), time: noun };
  const label = fieldLabel(f.name);
  return { date: `The date of '${label}'`, time: `The time of '${label}'` };
}

// ---- request bodies --------------------------------------------------------

export function detailsOf(v: FormValues, spec: KindSpec, times?: { start: Date | null; end: Date | null }): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const span = SPAN_DETAILS[spec.kind];
  for (const f of spec.fields) {
    let raw = v.details[f.name];
    if (span && times && f.name === span.start) {
      if (times.start) out[f.name] = times.start.toISOString();
      continue;
    }
    if (span && times && f.name === span.end) {
      out[f.name] = v.notBack || !times.end ? null : times.end.toISOString();
      continue;
    }
    if (span && v.notBack && f.name in span.whenOpen) raw = span.whenOpen[f.name];
    if (times && !asks(spec, v, f.name) && !(span && v.notBack && f.name in span.whenOpen)) continue;
    const empty = Array.isArray(raw) ? false : isDateTimeParts(raw) ? !raw.day.trim() && !raw.time.trim() : !String(raw ?? "").trim();
    if (empty) {
      if (f.nullable) out[f.name] = null;
      continue;
    }
    if (f.type === "date-time") {
      const r = parseDateTime(isDateTimeParts(raw) ? raw : EMPTY_DATE_TIME, "The date", "The time");
      if (r.ok) out[f.name] = r.at.toISOString();
      else if (f.nullable) out[f.name] = null;
      continue;
    }
    switch (f.type) {
      case "boolean":
        out[f.name] = raw === "yes";
        break;
      case "integer":
        out[f.name] = Number(raw);
        break;
      case "string":
        out[f.name] = String(raw).trim();
        break;
      default:
        out[f.name] = raw;
    }
  }
  return out;
}

/** The request body for a new record, its times read at `now` (a form that
 * passed `check`). */
export function newBody(v: FormValues, spec: KindSpec, wardId: string, id: string, now = new Date()): NewActivityBody {
  const inv = involvement(spec);
  const t = timesOf(v, spec, now);
  const body: NewActivityBody = {
    id,
    ward_id: wardId,
    kind: v.kind as NewActivityBody["kind"],
    started_at: (t.start ?? now).toISOString(),
    service_user_ids: inv.show ? v.serviceUserIds : [],
    co_worker_ids: v.coWorkerIds,
    note: v.note.trim() || null,
    details: detailsOf(v, spec, t),
  };
  if (v.lengthMode === "start") body.ended_at = t.end ? t.end.toISOString() : null;
  else body.duration_minutes = t.minutes;
  return body;
}

/** The changes between the record as it was and the form, as an amendment
 * (absent fields stay as they are on the server). Null when nothing changed. */
export function amendmentOf(base: Activity, v: FormValues, spec: KindSpec): Omit<ActivityAmendment, "reason"> | null {
  const now = newBody(v, spec, base.ward_id, base.id);
  const out: Omit<ActivityAmendment, "reason"> = {};
  // Compared to the minute: the form holds times to the minute.
  const started = floorMinute(Date.parse(now.started_at)) !== floorMinute(Date.parse(base.started_at));
  const endNow = now.ended_at ?? new Date(Date.parse(now.started_at) + (now.duration_minutes ?? 0) * 60_000).toISOString();
  const lengthChanged =
    Math.round((Date.parse(endNow) - Date.parse(now.started_at)) / 60_000) !==
    Math.round((Date.parse(base.ended_at) - Date.parse(base.started_at)) / 60_000);
  if (started) out.started_at = now.started_at;
  if (lengthChanged || started) {
    if (now.ended_at) out.ended_at = now.ended_at;
    else out.duration_minutes = now.duration_minutes;
  }
  if (!sameSet(now.service_user_ids, base.service_user_ids)) out.service_user_ids = now.service_user_ids;
  if (!sameSet(now.co_worker_ids, base.co_worker_ids)) out.co_worker_ids = now.co_worker_ids;
  if ((now.note ?? "") !== (base.note ?? "")) out.note = now.note ?? "";
  if (!sameJson(now.details, base.details)) out.details = now.details as ActivityAmendment["details"];
  return Object.keys(out).length ? out : null;
}

function sameSet(a: string[], b: string[]) {
  return a.length === b.length && a.every((x) => b.includes(x));
}

function norm(x: unknown): unknown {
  if (Array.isArray(x)) return [...x].map(norm).sort();
  if (x && typeof x === "object") {
    return Object.fromEntries(
      Object.entries(x as Record<string, unknown>)
        .filter(([, v]) => v !== null && v !== undefined)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => [k, norm(v)]),
    );
  }
  if (typeof x === "string" && /^\d{4}-\d\d-\d\dT/.test(x)) return new Date(floorMinute(Date.parse(x))).toISOString();
  return x;
}

export function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(norm(a)) === JSON.stringify(norm(b));
}

export { fieldKey, questionOf, serverErrors, serverMessage, SPAN_DETAILS } from "./form-messages";
