// The record form's model: what each kind asks (from kinds.json, generated
// from the OpenAPI document), the values as the inputs hold them, checks
// before saving, the request body, and the server's 422 field paths mapped
// back onto the fields they name.
import kindsJson from "../api/kinds.json";
import type { Activity, ActivityAmendment, NewActivityBody, Vocabulary } from "../api/client";
import { fieldLabel } from "./labels";
import { NOUNS, REQUIRED, requiredMessage } from "./form-messages";

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

export type LengthMode = "15" | "30" | "45" | "60" | "other" | "end" | "";

export interface FormValues {
  kind: string;
  startedAt: string; // datetime-local
  lengthMode: LengthMode;
  otherMinutes: string;
  endedAt: string; // datetime-local
  serviceUserIds: string[];
  coWorkerIds: string[];
  note: string;
  details: Record<string, string | string[]>;
}

const pad = (n: number) => String(n).padStart(2, "0");

/** A datetime-local value (the tablet's local time, to the minute). */
export function toLocalInput(d: Date): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function fromLocalInput(v: string): string | null {
  if (!v) return null;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

export function emptyValues(kind: string, now = new Date()): FormValues {
  const spec = kindSpec(kind);
  const details: Record<string, string | string[]> = {};
  for (const f of spec?.fields ?? []) details[f.name] = f.type.endsWith("[]") ? [] : "";
  return {
    kind,
    startedAt: toLocalInput(now),
    lengthMode: "",
    otherMinutes: "",
    endedAt: "",
    serviceUserIds: [],
    coWorkerIds: [],
    note: "",
    details,
  };
}

/** The form's values for a record as the API (or the queue) holds it. */
export function valuesFrom(
  a: Pick<Activity, "kind" | "started_at" | "service_user_ids" | "co_worker_ids" | "note" | "details"> & {
    duration_minutes?: number | null;
    ended_at?: string | null;
  },
): FormValues {
  const v = emptyValues(a.kind);
  v.startedAt = toLocalInput(new Date(a.started_at));
  const minutes = a.duration_minutes ?? (a.ended_at ? Math.round((Date.parse(a.ended_at) - Date.parse(a.started_at)) / 60000) : null);
  if (minutes && ["15", "30", "45", "60"].includes(String(minutes))) v.lengthMode = String(minutes) as LengthMode;
  else if (minutes) {
    v.lengthMode = "other";
    v.otherMinutes = String(minutes);
  }
  v.serviceUserIds = [...a.service_user_ids];
  v.coWorkerIds = [...a.co_worker_ids];
  v.note = a.note ?? "";
  const d = (a.details ?? {}) as Record<string, unknown>;
  for (const f of kindSpec(a.kind)?.fields ?? []) {
    const x = d[f.name];
    if (x === null || x === undefined) continue;
    if (f.type === "boolean") v.details[f.name] = x ? "yes" : "no";
    else if (f.type === "date-time") v.details[f.name] = toLocalInput(new Date(String(x)));
    else if (Array.isArray(x)) v.details[f.name] = x.map(String);
    else v.details[f.name] = String(x);
  }
  return v;
}

// ---- checks ----------------------------------------------------------------

export type Errors = Record<string, string>;

/** Length in minutes from the form, or null. */
export function minutesOf(v: FormValues): number | null {
  if (["15", "30", "45", "60"].includes(v.lengthMode)) return Number(v.lengthMode);
  if (v.lengthMode === "other") {
    const n = Number(v.otherMinutes);
    return Number.isInteger(n) && n > 0 ? n : null;
  }
  return null;
}

export function check(v: FormValues, spec: KindSpec, now = new Date()): Errors {
  const e: Errors = {};
  const started = fromLocalInput(v.startedAt);
  if (!started) e.started_at = REQUIRED.started_at;
  else if (Date.parse(started) > now.getTime() + 5 * 60_000) e.started_at = "The start time cannot be in the future";

  const maxMinutes = spec.common.duration_minutes?.maximum ?? 1440;
  if (!v.lengthMode) e.duration = REQUIRED.duration;
  else if (v.lengthMode === "other") {
    const n = Number(v.otherMinutes);
    if (!v.otherMinutes.trim()) e.duration = "Enter how many minutes it lasted";
    else if (!Number.isInteger(n) || n < 1 || n > maxMinutes)
      e.duration = `Length must be a whole number of minutes from 1 to ${maxMinutes}`;
  } else if (v.lengthMode === "end") {
    const end = fromLocalInput(v.endedAt);
    if (!end) e.duration = "Enter when it ended";
    else if (started && Date.parse(end) <= Date.parse(started)) e.duration = "The end time must be after the start time";
    else if (Date.parse(end) > now.getTime() + 5 * 60_000) e.duration = "The end time cannot be in the future";
  }

  // The server allows a few minutes of clock difference, no more.
  const minutes = minutesOf(v);
  if (!e.started_at && !e.duration && started && minutes && Date.parse(started) + minutes * 60_000 > now.getTime() + 5 * 60_000) {
    e.duration = "It cannot end in the future. Choose when it started (for example, 30 min ago) or a shorter length";
  }

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
    const empty = Array.isArray(raw) ? raw.length === 0 : !String(raw ?? "").trim();
    if (empty) {
      if (f.required && !(f.type === "enum[]" && f.minItems === 0)) e[key] = requiredMessage(f);
      continue;
    }
    if (f.type === "integer") {
      const n = Number(raw);
      const lo = f.minimum ?? -Infinity;
      const hi = f.maximum ?? Infinity;
      if (!Number.isInteger(n)) e[key] = `${fieldLabel(f.name)}: enter a whole number`;
      else if (n < lo || n > hi) e[key] = `${fieldLabel(f.name)}: enter a number from ${lo} to ${hi}`;
    } else if (f.type === "string") {
      const s = String(raw).trim();
      if (f.maxLength && s.length > f.maxLength) e[key] = `${fieldLabel(f.name)} must be ${f.maxLength} characters or fewer`;
    } else if (f.type === "date-time") {
      const at = fromLocalInput(String(raw));
      if (!at) e[key] = requiredMessage(f);
      else if (Date.parse(at) > now.getTime() + 5 * 60_000) e[key] = `${NOUNS[f.name] ?? fieldLabel(f.name)} cannot be in the future`;
    } else if (f.type === "enum[]" && f.maxItems !== undefined && (raw as string[]).length > f.maxItems) {
      e[key] = `Select at most ${f.maxItems}`;
    }
  }
  return e;
}

// ---- request bodies --------------------------------------------------------

export function detailsOf(v: FormValues, spec: KindSpec): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of spec.fields) {
    const raw = v.details[f.name];
    const empty = Array.isArray(raw) ? false : !String(raw ?? "").trim();
    if (empty) {
      if (f.nullable) out[f.name] = null;
      continue;
    }
    switch (f.type) {
      case "boolean":
        out[f.name] = raw === "yes";
        break;
      case "integer":
        out[f.name] = Number(raw);
        break;
      case "date-time":
        out[f.name] = fromLocalInput(String(raw));
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

export function newBody(v: FormValues, spec: KindSpec, wardId: string, id: string): NewActivityBody {
  const inv = involvement(spec);
  const body: NewActivityBody = {
    id,
    ward_id: wardId,
    kind: v.kind as NewActivityBody["kind"],
    started_at: fromLocalInput(v.startedAt) as string,
    service_user_ids: inv.show ? v.serviceUserIds : [],
    co_worker_ids: v.coWorkerIds,
    note: v.note.trim() || null,
    details: detailsOf(v, spec),
  };
  if (v.lengthMode === "end") body.ended_at = fromLocalInput(v.endedAt);
  else body.duration_minutes = minutesOf(v);
  return body;
}

/** The changes between the record as it was and the form, as an amendment
 * (absent fields stay as they are on the server). Null when nothing changed. */
export function amendmentOf(base: Activity, v: FormValues, spec: KindSpec): Omit<ActivityAmendment, "reason"> | null {
  const now = newBody(v, spec, base.ward_id, base.id);
  const out: Omit<ActivityAmendment, "reason"> = {};
  const started = now.started_at !== base.started_at && Date.parse(now.started_at) !== Date.parse(base.started_at);
  const endNow = now.ended_at ?? new Date(Date.parse(now.started_at) + (now.duration_minutes ?? 0) * 60_000).toISOString();
  const lengthChanged = Date.parse(endNow) - Date.parse(now.started_at) !== Date.parse(base.ended_at) - Date.parse(base.started_at);
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
  if (typeof x === "string" && /^\d{4}-\d\d-\d\dT/.test(x)) return new Date(x).toISOString();
  return x;
}

export function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(norm(a)) === JSON.stringify(norm(b));
}

export { fieldKey, serverErrors, serverMessage } from "./form-messages";
