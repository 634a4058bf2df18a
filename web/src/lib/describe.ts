// Activities in words, for lists and the activity page.
import type { Activity, Me, ServiceUser } from "../api/client";
import { appConfig } from "./config";
import { kindSpec, type FieldSpec } from "./form";
import { dayAndTime, humanise, minutesLabel, summaryLabel } from "./labels";
import { labelsOf } from "./people";
import type { Worker } from "./ward";

/** Each of the ward's people's labels: initials, and where two share
 * them the disambiguator the trust chose (see lib/people.ts). */
export function personLabelsOf(serviceUsers: ServiceUser[]): Map<string, string> {
  return labelsOf(serviceUsers, appConfig.get()?.person_disambiguator ?? "reference");
}

export function people(ids: string[], serviceUsers: ServiceUser[]): string {
  if (!ids.length) return "—";
  const named = personLabelsOf(serviceUsers);
  const labels = ids.map((id) => named.get(id));
  const known = labels.filter(Boolean) as string[];
  const unknown = labels.length - known.length;
  return [...known, ...(unknown ? [`${unknown} other${unknown === 1 ? "" : "s"}`] : [])].join(", ");
}

export function workerName(id: string, me: Me | null, workers: Worker[]): string {
  if (me && id === me.id) return `${me.display_name} (you)`;
  return workers.find((w) => w.id === id)?.display_name ?? "Another worker";
}

export function detailValue(f: FieldSpec | undefined, value: unknown): string {
  if (value === null || value === undefined || value === "") return "—";
  if (Array.isArray(value)) return value.length ? value.map((v) => humanise(String(v))).join(", ") : "—";
  if (typeof value === "boolean") return value ? "Yes" : "No";
  if (f?.type === "date-time" || (typeof value === "string" && /^\d{4}-\d\d-\d\dT/.test(value))) return dayAndTime(String(value));
  if (f?.type === "enum") return humanise(String(value));
  return String(value);
}

export interface Line {
  key: string;
  label: string;
  value: string;
}

/** Every field of a record, in words, in the form's order. */
export function lines(a: Activity, serviceUsers: ServiceUser[], me: Me | null, workers: Worker[]): Line[] {
  const spec = kindSpec(a.kind);
  const out: Line[] = [
    { key: "kind", label: "Activity", value: humanise(a.kind) },
    { key: "service_user_ids", label: "People involved", value: people(a.service_user_ids, serviceUsers) },
    { key: "started_at", label: "Started", value: dayAndTime(a.started_at) },
    { key: "duration", label: "Length", value: `${minutesLabel(a.duration_minutes)} (ended ${dayAndTime(a.ended_at)})` },
  ];
  const details = (a.details ?? {}) as Record<string, unknown>;
  for (const f of spec?.fields ?? []) {
    out.push({ key: `details.${f.name}`, label: summaryLabel(f.name), value: detailValue(f, details[f.name]) });
  }
  out.push({
    key: "co_worker_ids",
    label: "Other peer workers",
    value: a.co_worker_ids.length ? a.co_worker_ids.map((id) => workerName(id, me, workers)).join(", ") : "—",
  });
  out.push({ key: "note", label: "Note", value: a.note || "—" });
  return out;
}

/** The fields that differ between two versions of a record. */
export function changedLines(before: Activity, after: Activity, serviceUsers: ServiceUser[], me: Me | null, workers: Worker[]) {
  const a = lines(before, serviceUsers, me, workers);
  const b = lines(after, serviceUsers, me, workers);
  return b
    .map((line, i) => ({ key: line.key, label: line.label, before: a[i]?.value ?? "—", after: line.value }))
    .filter((x) => x.before !== x.after);
}
