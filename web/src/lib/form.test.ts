// The record form's model, without a browser: what it refuses before
// sending, the body it sends, the amendment it computes, and how a 422's
// field paths land on the fields a worker sees.
import { describe, expect, it } from "vitest";
import type { Activity, Problem } from "../api/client";
import { amendmentOf, check, emptyValues, fieldKey, kindSpec, newBody, serverErrors, toLocalInput, type FormValues } from "./form";

const NOW = new Date("2026-12-04T12:00:00Z");
const WARD = "0190a3c4-0000-7000-8000-000000000001";
const PERSON = "0190a3c4-0000-7000-8000-0000000000a1";
const OTHER = "0190a3c4-0000-7000-8000-0000000000a2";

function staffSupport(over: Partial<FormValues> = {}): FormValues {
  const v = emptyValues("staff_support", new Date(NOW.getTime() - 60 * 60_000));
  return { ...v, lengthMode: "30", details: { reason: "stress", staff_count: "2" }, ...over };
}

function spec(kind: string) {
  const s = kindSpec(kind);
  if (!s) throw new Error(`no spec for ${kind}`);
  return s;
}

describe("check", () => {
  it("names every missing answer of an empty form at once", () => {
    const e = check(emptyValues("staff_support", NOW), spec("staff_support"), NOW);
    expect(Object.keys(e).sort()).toEqual(["details.reason", "details.staff_count", "duration"]);
    expect(e["details.reason"]).toBe("Select why they needed support");
    expect(e.duration).toBe("Select how long it lasted");
  });

  it("accepts a complete record", () => {
    expect(check(staffSupport(), spec("staff_support"), NOW)).toEqual({});
  });

  it("refuses a start or an end in the future, beyond the clock allowance", () => {
    const later = toLocalInput(new Date(NOW.getTime() + 60 * 60_000));
    expect(check(staffSupport({ startedAt: later }), spec("staff_support"), NOW).started_at).toBe("The start time cannot be in the future");
    const justNow = toLocalInput(new Date(NOW.getTime() - 10 * 60_000));
    expect(check(staffSupport({ startedAt: justNow, lengthMode: "60" }), spec("staff_support"), NOW).duration).toMatch(
      /cannot end in the future/,
    );
  });

  it("keeps a typed length within 1 to the schema's maximum", () => {
    const e = check(staffSupport({ lengthMode: "other", otherMinutes: "2000" }), spec("staff_support"), NOW);
    expect(e.duration).toBe("Length must be a whole number of minutes from 1 to 1440");
    expect(check(staffSupport({ lengthMode: "other", otherMinutes: "" }), spec("staff_support"), NOW).duration).toBe(
      "Enter how many minutes it lasted",
    );
  });

  it("asks for exactly one person where the kind names one", () => {
    const v = {
      ...emptyValues("one_to_one", new Date(NOW.getTime() - 60 * 60_000)),
      lengthMode: "30" as const,
      details: { topics: ["housing"] },
    };
    expect(check({ ...v, serviceUserIds: [PERSON, OTHER] }, spec("one_to_one"), NOW).service_user_ids).toBe("Select who was involved");
    expect(check({ ...v, serviceUserIds: [PERSON] }, spec("one_to_one"), NOW).service_user_ids).toBeUndefined();
  });

  it("checks whole numbers in their range", () => {
    const e = check(staffSupport({ details: { reason: "stress", staff_count: "2.5" } }), spec("staff_support"), NOW);
    expect(e["details.staff_count"]).toMatch(/whole number/);
  });
});

describe("newBody", () => {
  it("sends a chosen length as minutes, a trimmed note, and no people for a kind that names none", () => {
    const body = newBody(staffSupport({ note: "  talked it through ", serviceUserIds: [PERSON] }), spec("staff_support"), WARD, "id-1");
    expect(body).toMatchObject({
      id: "id-1",
      ward_id: WARD,
      kind: "staff_support",
      duration_minutes: 30,
      note: "talked it through",
      service_user_ids: [],
    });
    expect(body.details).toEqual({ reason: "stress", staff_count: 2 });
    expect(body.ended_at).toBeUndefined();
  });

  it("sends an end time instead when the worker gave one, and null for an empty note", () => {
    const end = toLocalInput(new Date(NOW.getTime() - 15 * 60_000));
    const body = newBody(staffSupport({ lengthMode: "end", endedAt: end }), spec("staff_support"), WARD, "id-2");
    expect(body.ended_at).toBe(new Date(end).toISOString());
    expect(body.duration_minutes).toBeUndefined();
    expect(body.note).toBeNull();
  });
});

describe("amendmentOf", () => {
  const v = staffSupport();
  const sent = newBody(v, spec("staff_support"), WARD, "id-3");
  const stored = {
    ...sent,
    ended_at: new Date(Date.parse(sent.started_at) + 30 * 60_000).toISOString(),
    duration_minutes: 30,
    co_worker_ids: [],
    service_user_ids: [],
    note: null,
  } as unknown as Activity;

  it("is null when nothing changed, so nothing is queued", () => {
    expect(amendmentOf(stored, v, spec("staff_support"))).toBeNull();
  });

  it("holds only what changed", () => {
    expect(amendmentOf(stored, { ...v, note: "more" }, spec("staff_support"))).toEqual({ note: "more" });
    expect(amendmentOf(stored, { ...v, lengthMode: "45" }, spec("staff_support"))).toEqual({ duration_minutes: 45 });
  });
});

describe("field paths", () => {
  it("maps the server's paths onto the form's fields", () => {
    expect(fieldKey("details.approaches[1]")).toBe("details.approaches");
    expect(fieldKey("/details/topics")).toBe("details.topics");
    expect(fieldKey("duration_minutes")).toBe("duration");
    expect(fieldKey("ended_at")).toBe("duration");
  });

  it("turns a 422 into one message per field, or a message for the form", () => {
    const problem = {
      type: "urn:peerlog:problem:validation_failed",
      title: "Unprocessable Entity",
      status: 422,
      code: "validation_failed",
      errors: [
        { field: "service_user_ids", code: "exactly_one", message: "exactly one" },
        { field: "details.staff_count", code: "required", message: "missing field `staff_count`" },
        { field: "details.staff_count", code: "invalid", message: "second error on the same field" },
      ],
    } as Problem;
    const e = serverErrors(problem, spec("staff_support"));
    expect(e).toEqual({
      service_user_ids: "Select one person who was involved",
      "details.staff_count": "Enter how many staff you supported",
    });
    const bare = { ...problem, errors: [], detail: "Something went wrong." } as Problem;
    expect(serverErrors(bare, undefined)).toEqual({ _form: "Something went wrong." });
  });
});
