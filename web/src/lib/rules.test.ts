// The app's check of the cross-field rules against the server's own: for
// every rule the server declares, its worked example (a record breaking
// exactly that rule, written by the server's code into
// openapi/rule-examples.json, and held to the code by a Rust test) must
// draw from this app's evaluator the errors the server's check gives, and
// every kind's valid example none. A server rule the app would not apply
// fails here.
import { describe, expect, it } from "vitest";
import examplesJson from "../../../openapi/rule-examples.json";
import type { NewActivityBody } from "../api/client";
import { RULE_MESSAGES } from "./form-messages";
import { checkBody, RULES, rulesOf, type Rule } from "./rules";

interface Example {
  kind: string;
  rule: { field: string; code: string } | null;
  record: NewActivityBody;
  expect: { field: string; code: string }[];
}
const fixture = examplesJson as unknown as { now: string; examples: Example[] };
const now = new Date(fixture.now);

describe("the app applies every rule the server enforces", () => {
  it.each(fixture.examples.map((x) => [x.rule ? `${x.kind}: ${x.rule.field} ${x.rule.code}` : `${x.kind}: a valid record`, x] as const))(
    "%s",
    (_name, x) => {
      const got = checkBody(x.record, now).map(({ field, code }) => ({ field, code }));
      expect(got).toEqual(x.expect);
    },
  );

  it("has a worked example for every rule in the app's copy of the declarations", () => {
    const all: [string, Rule][] = RULES.common.map((r) => ["one_to_one", r]);
    for (const [kind, rules] of Object.entries(RULES.kinds)) for (const r of rules) all.push([kind, r]);
    for (const [kind, r] of all) {
      const found = fixture.examples.some((x) => x.kind === kind && x.rule?.field === r.field && x.rule?.code === r.code);
      expect(found, `${kind}: ${r.field} ${r.code}`).toBe(true);
    }
    expect(all.length).toBeGreaterThan(15);
  });

  it("says every rule's error in the form's words", () => {
    for (const kind of Object.keys(RULES.kinds)) {
      for (const r of rulesOf(kind)) {
        if (r.code === "required") continue; // the form's own "Enter …" message
        expect(RULE_MESSAGES[`${r.field} ${r.code}`], `${r.field} ${r.code}`).toBeTruthy();
      }
    }
  });
});
