// The cross-field rules of a record (a return after the departure, no
// restraint avoided when restraint was used…), as the server declares them
// in the OpenAPI document (`x-record-rules`, copied into kinds.json by
// `npm run gen`), and the one evaluator that reads them. No rule is written
// here: the server runs the same declarations, and a test runs this
// evaluator on the server's worked example of every rule
// (openapi/rule-examples.json) and expects the server's answer.
import kindsJson from "../api/kinds.json";
import type { FieldError, NewActivityBody, Schemas } from "../api/client";

export type RecordRules = Schemas["RecordRules"];
export type Rule = Schemas["Rule"];
type Condition = Schemas["Condition"];
type Operand = Schemas["Operand"];

export const RULES = (kindsJson as unknown as { rules: RecordRules }).rules;

/** A record as the rules read it: its times, the people it names, its details. */
export interface RuleView {
  started_at: string;
  ended_at: string;
  service_user_ids: string[];
  details: Record<string, unknown>;
}

/** The view of a new activity's body, its end worked out from its length
 * as the server works it out. */
export function viewOf(
  body: Pick<NewActivityBody, "started_at" | "ended_at" | "duration_minutes" | "service_user_ids" | "details">,
): RuleView {
  const start = Date.parse(body.started_at);
  const end = body.ended_at ?? new Date(start + (body.duration_minutes ?? 0) * 60_000).toISOString();
  return {
    started_at: body.started_at,
    ended_at: end,
    service_user_ids: body.service_user_ids ?? [],
    details: (body.details ?? {}) as Record<string, unknown>,
  };
}

/** The rules of a record of this kind: the common ones, then its own. */
export function rulesOf(kind: string, rules: RecordRules = RULES): Rule[] {
  return [...rules.common, ...(rules.kinds[kind] ?? [])];
}

function lookup(record: unknown, path: string): unknown {
  let node: unknown = record;
  for (const part of path.split(".")) {
    if (!node || typeof node !== "object") return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node === null ? undefined : node;
}

function valueOf(op: Operand, record: unknown, latest: number): number | undefined {
  switch (op.type) {
    case "field": {
      const v = lookup(record, op.path);
      if (typeof v === "number") return v;
      if (typeof v === "string") {
        const t = Date.parse(v);
        return Number.isNaN(t) ? undefined : t + (op.plus_minutes ?? 0) * 60_000;
      }
      return undefined;
    }
    case "count": {
      const v = lookup(record, op.path);
      return Array.isArray(v) ? v.length : 0;
    }
    case "latest":
      return latest;
    case "number":
      return op.value;
  }
}

function holds(c: Condition, record: unknown, latest: number): boolean {
  switch (c.test) {
    case "is":
      return lookup(record, c.path) === c.value;
    case "missing":
      return lookup(record, c.path) === undefined;
    case "present":
      return lookup(record, c.path) !== undefined;
    case "compare": {
      const l = valueOf(c.left, record, latest);
      const r = valueOf(c.right, record, latest);
      if (l === undefined || r === undefined) return false;
      switch (c.op) {
        case "<":
          return l < r;
        case "<=":
          return l <= r;
        case ">":
          return l > r;
        case ">=":
          return l >= r;
      }
    }
  }
  return false;
}

/** The errors the server would give for these rules, as its 422 names
 * them: one per field at most, the first rule's in the declared order. */
export function evaluate(rules: Rule[], record: RuleView, now = new Date(), skewMinutes = RULES.clock_skew_minutes): FieldError[] {
  const latest = now.getTime() + skewMinutes * 60_000;
  const out: FieldError[] = [];
  for (const rule of rules) {
    if (out.some((e) => e.field === rule.field)) continue;
    if (rule.when.every((c) => holds(c, record, latest))) out.push({ field: rule.field, code: rule.code, message: rule.message });
  }
  return out;
}

/** A new activity's errors under its kind's rules; with `compare` false,
 * only the rules that compare no values (its times not being known yet). */
export function checkBody(body: NewActivityBody, now = new Date(), compare = true): FieldError[] {
  const rules = rulesOf(body.kind).filter((r) => compare || r.when.every((c) => c.test !== "compare"));
  return evaluate(rules, viewOf(body), now);
}

/** Whether a detail may be given at all with the other answers as they
 * are: false when a rule refuses it merely for being there (an incident
 * reference with no incident), or might once an unanswered question is
 * answered, so the form asks it only when it is allowed. */
export function allowed(kind: string, field: string, details: Record<string, unknown>): boolean {
  const path = `details.${field}`;
  const record = { details: { ...details, [field]: "x" } };
  const unanswered = (p: string) => lookup(record, p) === undefined || lookup(record, p) === "";
  const mightHold = (c: Condition) => (c.test === "is" && unanswered(c.path)) || holds(c, record, Date.now());
  return !rulesOf(kind).some(
    (r) => r.field === path && r.when.some((c) => c.test === "present" && c.path === path) && r.when.every(mightHold),
  );
}
