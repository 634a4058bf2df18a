// The record form's model, without a browser: what it refuses before
// sending, the body it sends, the amendment it computes, and how a 422's
// field paths land on the fields a worker sees.
import { describe, expect, it } from "vitest";
import type { Activity, Problem } from "../api/client";
import { dateTimePartsOf } from "./dates";
import { amendmentOf, check, emptyValues, fieldKey, kindSpec, newBody, serverErrors, valuesFrom, type FormValues } from "./form";

const NOW = new Date("2026-12-04T12:00:00Z");
const WARD = "0190a3c4-0000-7000-8000-000000000001";
const PERSON = "0190a3c4-0000-7000-8000-0000000000a1";
const OTHER = "0190a3c4-0000-7000-8000-0000000000a2";

function staffSupport(over: Partial<FormValues> = {}): FormValues {
  const v = emptyValues("staff_support", NOW);
  return { ...v, lengthMode: "30", details: { reason: "stress", staff_count: "2" }, ...over };
}

/** The boxes of a time so many minutes from NOW. */
const at = (minutes: number) => dateTimePartsOf(new Date(NOW.getTime() + minutes * 60_000));

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

  it("by default it ended just now, so any length is accepted and the start is worked out", () => {
    for (const lengthMode of ["15", "30", "45", "60"] as const) {
      expect(check(staffSupport({ lengthMode }), spec("staff_support"), NOW)).toEqual({});
    }
    const body = newBody(staffSupport({ lengthMode: "45" }), spec("staff_support"), WARD, "id-0", NOW);
    expect(body.started_at).toBe("2026-12-04T11:15:00.000Z");
    expect(body.duration_minutes).toBe(45);
    const earlier = newBody(staffSupport({ endMode: "30", lengthMode: "60" }), spec("staff_support"), WARD, "id-0", NOW);
    expect(earlier.started_at).toBe("2026-12-04T10:30:00.000Z");
  });

  it("reads another end time from the day, month, year and time boxes, and refuses one in the future", () => {
    const v = staffSupport({ endMode: "other", endedAt: at(-90) });
    expect(check(v, spec("staff_support"), NOW)).toEqual({});
    expect(newBody(v, spec("staff_support"), WARD, "id-0", NOW).started_at).toBe("2026-12-04T10:00:00.000Z");
    expect(check(staffSupport({ endMode: "other", endedAt: at(60) }), spec("staff_support"), NOW)["ended_at@time"]).toMatch(
      /cannot be in the future/,
    );
    const noTime = check(staffSupport({ endMode: "other", endedAt: { ...at(-90), time: "" } }), spec("staff_support"), NOW);
    expect(noTime).toEqual({ "ended_at@time": "Enter the time it ended, for example 14:30" });
    const badDay = check(
      staffSupport({ endMode: "other", endedAt: { day: "31", month: "11", year: "2026", time: "10:00" } }),
      spec("staff_support"),
      NOW,
    );
    expect(badDay["ended_at@day"]).toBe("The date it ended must be a real date: November 2026 has 30 days");
  });

  it("takes the start time instead of a length, before the end", () => {
    const v = staffSupport({ endMode: "other", endedAt: at(-30), lengthMode: "start", startedAt: at(-100) });
    expect(check(v, spec("staff_support"), NOW)).toEqual({});
    const body = newBody(v, spec("staff_support"), WARD, "id-0", NOW);
    expect(body).toMatchObject({ started_at: "2026-12-04T10:20:00.000Z", ended_at: "2026-12-04T11:30:00.000Z" });
    expect(body.duration_minutes).toBeUndefined();
    const after = check({ ...v, startedAt: at(-10) }, spec("staff_support"), NOW);
    expect(after["started_at@time"]).toBe("The time it started must be before the time it ended");
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
    expect(e["details.staff_count"]).toMatch(
      /^Enter a whole number (from \d+ to \d+ |of \d+ or more )?for 'How many staff did you support\?'$/,
    );
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

  it("sends null for an empty note", () => {
    expect(newBody(staffSupport(), spec("staff_support"), WARD, "id-2", NOW).note).toBeNull();
  });

  it("sends a date-time detail typed in its boxes as an instant", () => {
    const v = {
      ...emptyValues("suicide_prevention", NOW),
      lengthMode: "30" as const,
      details: { escalated_at: { day: "4", month: "12", year: "2026", time: "11:50" } },
    };
    const s = spec("suicide_prevention");
    expect(check(v, s, NOW)["details.escalated_to"]).toBe("Enter who on the ward you escalated it to");
    expect(check(v, s, NOW)["details.escalated_at@day"]).toBeUndefined();
    expect(newBody(v, s, WARD, "id-4", NOW).details.escalated_at).toBe(new Date(2026, 11, 4, 11, 50).toISOString());
    const empty = check({ ...v, details: {} }, s, NOW);
    expect(empty["details.escalated_at@day"]).toBe("Enter when you escalated it");
  });
});

describe("amendmentOf", () => {
  const sent = newBody(staffSupport({ endMode: "other", endedAt: at(-60) }), spec("staff_support"), WARD, "id-3", NOW);
  const stored = {
    ...sent,
    ended_at: new Date(Date.parse(sent.started_at) + 30 * 60_000).toISOString(),
    duration_minutes: 30,
    co_worker_ids: [],
    service_user_ids: [],
    note: null,
    details: { reason: "stress", staff_count: 2 },
  } as unknown as Activity;
  const v = valuesFrom(stored);

  it("is null when nothing changed, so nothing is queued (times compared to the minute)", () => {
    expect(v.endMode).toBe("other");
    expect(amendmentOf(stored, v, spec("staff_support"))).toBeNull();
    const late = (iso: string) => new Date(Date.parse(iso) + 37_000).toISOString();
    const withSeconds = { ...stored, started_at: late(stored.started_at), ended_at: late(stored.ended_at) } as Activity;
    expect(amendmentOf(withSeconds, valuesFrom(withSeconds), spec("staff_support"))).toBeNull();
  });

  it("holds only what changed; a new length keeps the end and moves the start", () => {
    expect(amendmentOf(stored, { ...v, note: "more" }, spec("staff_support"))).toEqual({ note: "more" });
    expect(amendmentOf(stored, { ...v, lengthMode: "45" }, spec("staff_support"))).toEqual({
      started_at: "2026-12-04T10:15:00.000Z",
      duration_minutes: 45,
    });
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

describe("the server's cross-field rules on the form", () => {
  const deEscalation = (over: Record<string, string | string[]> = {}): FormValues => ({
    ...emptyValues("de_escalation", NOW),
    lengthMode: "15",
    serviceUserIds: [PERSON],
    details: {
      situation: "toward_staff",
      approaches: ["verbal_calming"],
      restraint_avoided: "yes",
      staff_called: "no",
      outcome: "resolved",
      ...over,
    },
  });

  it("refuses restraint avoided with the outcome 'restraint used', in plain words, before anything is sent", () => {
    expect(check(deEscalation(), spec("de_escalation"), NOW)).toEqual({});
    const e = check(deEscalation({ outcome: "restraint_used" }), spec("de_escalation"), NOW);
    expect(e).toEqual({
      "details.restraint_avoided":
        "Restraint cannot have been avoided if the outcome was that restraint was used. Change one of these answers",
    });
  });

  it("shows a contradiction with the other missing answers, in one pass", () => {
    const e = check({ ...deEscalation({ outcome: "restraint_used" }), lengthMode: "" }, spec("de_escalation"), NOW);
    expect(Object.keys(e).sort()).toEqual(["details.restraint_avoided", "duration"]);
  });

  const leave = (over: Partial<FormValues> = {}): FormValues => ({
    ...emptyValues("escorted_leave", NOW),
    lengthMode: "45",
    serviceUserIds: [PERSON],
    details: {
      ...emptyValues("escorted_leave", NOW).details,
      authorisation: "section_17",
      authorised_by: "Dr Patel (RC)",
      destination: "cafe",
      returned_as_planned: "yes",
      incident: "no",
    },
    ...over,
  });

  it("asks escorted leave one pair of times and derives the leave's from them", () => {
    const s = spec("escorted_leave");
    expect(check(leave(), s, NOW)).toEqual({});
    const body = newBody(leave({ endMode: "15" }), s, WARD, "id-0", NOW);
    expect(body.started_at).toBe("2026-12-04T11:00:00.000Z");
    expect(body.duration_minutes).toBe(45);
    expect(body.details).toMatchObject({
      departed_at: "2026-12-04T11:00:00.000Z",
      returned_at: "2026-12-04T11:45:00.000Z",
      returned_as_planned: true,
    });
  });

  it("not back yet: no return time, not returned as planned, and the record ends now", () => {
    const s = spec("escorted_leave");
    const v = leave({ notBack: true, endMode: "30" });
    expect(check(v, s, NOW)).toEqual({});
    const body = newBody(v, s, WARD, "id-0", NOW);
    expect(body.started_at).toBe("2026-12-04T11:15:00.000Z");
    expect(body.details).toMatchObject({ departed_at: "2026-12-04T11:15:00.000Z", returned_at: null, returned_as_planned: false });
  });

  it("asks for an incident reference only when there was an incident", async () => {
    const { asks } = await import("./form");
    const s = spec("escorted_leave");
    expect(asks(s, leave(), "incident_reference")).toBe(false);
    expect(asks(s, leave({ details: { ...leave().details, incident: "" } }), "incident_reference")).toBe(false);
    expect(asks(s, leave({ details: { ...leave().details, incident: "yes" } }), "incident_reference")).toBe(true);
    expect(asks(s, leave(), "departed_at")).toBe(false);
    expect(asks(s, leave(), "returned_at")).toBe(false);
    expect(asks(s, leave({ notBack: true }), "returned_as_planned")).toBe(false);
    const body = newBody(leave({ details: { ...leave().details, incident_reference: "INC-1" } }), s, WARD, "id-0", NOW);
    expect(body.details).not.toHaveProperty("incident_reference");
  });

  it("puts a refused leave time on the time question it comes from", () => {
    const problem: Problem = {
      type: "about:blank",
      title: "Invalid",
      status: 422,
      code: "validation_failed",
      errors: [{ field: "details.returned_at", code: "required", message: "required when the person returned as planned" }],
    };
    expect(serverErrors(problem, spec("escorted_leave"))).toEqual({ when: "Enter when you got back, or choose Not back yet" });
  });
});

describe("amending escorted leave", () => {
  const base = {
    id: "id-9",
    ward_id: WARD,
    kind: "escorted_leave",
    started_at: "2026-12-04T10:00:00Z",
    ended_at: "2026-12-04T10:45:00Z",
    duration_minutes: 45,
    service_user_ids: [PERSON],
    co_worker_ids: [],
    note: null,
    details: {
      authorisation: "section_17",
      authorised_by: "Dr Patel (RC)",
      destination: "cafe",
      departed_at: "2026-12-04T10:00:00Z",
      returned_at: "2026-12-04T10:45:00Z",
      returned_as_planned: true,
      incident: false,
    },
  } as unknown as Activity;

  it("opens with the leave's own times and changes nothing when nothing is changed", () => {
    const v = valuesFrom(base);
    expect(v.notBack).toBe(false);
    expect(check(v, spec("escorted_leave"), NOW)).toEqual({});
    expect(amendmentOf(base, v, spec("escorted_leave"))).toBeNull();
  });

  it("a leave recorded as not back opens as not back, and keeps its end", () => {
    const out = { ...base, details: { ...base.details, returned_at: null, returned_as_planned: false } } as unknown as Activity;
    const v = valuesFrom(out);
    expect(v.notBack).toBe(true);
    expect(amendmentOf(out, v, spec("escorted_leave"))).toBeNull();
  });
});
