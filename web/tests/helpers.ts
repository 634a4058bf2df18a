// What the browser tests share: the API as a second client (to set up and
// check records), signing in through the app, and axe-core.
import AxeBuilder from "@axe-core/playwright";
import { expect, test as base, type APIRequestContext, type Page } from "@playwright/test";
import { randomUUID } from "node:crypto";
import kindsJson from "../src/api/kinds.json" with { type: "json" };
import { fieldLabel, humanise } from "../src/lib/labels";

export const PASSWORD = "peerlog-demo";

/** Every test: no Content-Security-Policy refusal and no uncaught error in
 * the page (peerlog serves the app with a strict CSP). */
export const test = base.extend<{ pageGuard: void }>({
  pageGuard: [
    async ({ page }, use) => {
      const problems: string[] = [];
      page.on("console", (m) => {
        if (/Content Security Policy|Refused to/i.test(m.text())) problems.push(m.text());
      });
      page.on("pageerror", (e) => problems.push(`uncaught: ${e.message}`));
      await use();
      expect(problems, "CSP refusals or uncaught errors in the page").toEqual([]);
    },
    { auto: true },
  ],
});

export interface KindField {
  name: string;
  type: string;
  required: boolean;
}
export const KINDS = (kindsJson as unknown as { kinds: Record<string, { kind: string; fields: KindField[] }> }).kinds;

export interface Ward {
  id: string;
  code: string;
  name: string;
}

export class Api {
  private token = "";
  me!: { id: string; display_name: string; wards: Ward[] };
  constructor(
    private request: APIRequestContext,
    readonly username: string,
  ) {}

  static async as(request: APIRequestContext, username: string): Promise<Api> {
    const api = new Api(request, username);
    const res = await request.post("/api/v1/auth/token", { data: { username, password: PASSWORD } });
    expect(res.status(), `sign in ${username} through the API`).toBe(200);
    api.token = (await res.json()).access_token;
    api.me = await api.get("/api/v1/me");
    return api;
  }

  ward(code: string): Ward {
    const w = this.me.wards.find((x) => x.code === code);
    if (!w) throw new Error(`${this.username} has no ward ${code}`);
    return w;
  }

  private headers(extra: Record<string, string> = {}) {
    return { Authorization: `Bearer ${this.token}`, ...extra };
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async get(path: string): Promise<any> {
    const res = await this.request.get(path, { headers: this.headers() });
    expect(res.status(), `GET ${path}`).toBe(200);
    return res.json();
  }

  async status(path: string): Promise<number> {
    return (await this.request.get(path, { headers: this.headers() })).status();
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async post(path: string, data: unknown, headers: Record<string, string> = {}): Promise<any> {
    const res = await this.request.post(path, { headers: this.headers(headers), data });
    expect([200, 201], `POST ${path}: ${await res.text()}`).toContain(res.status());
    return res.json();
  }

  /** A PUT that must answer 200 or 201 (e.g. a service user's sync). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async put(path: string, data: unknown): Promise<any> {
    const res = await this.request.put(path, { headers: this.headers(), data });
    expect([200, 201], `PUT ${path}: ${await res.text()}`).toContain(res.status());
    return res.json();
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async patch(path: string, data: unknown, etag: string): Promise<any> {
    const res = await this.request.patch(path, { headers: this.headers({ "If-Match": etag }), data });
    expect(res.status(), `PATCH ${path}: ${await res.text()}`).toBe(200);
    return res.json();
  }

  /** An admin's change to an account (PATCH /api/v1/users/{id}). */
  async patchUser(id: string, data: Record<string, unknown>): Promise<void> {
    const res = await this.request.patch(`/api/v1/users/${id}`, { headers: this.headers(), data });
    expect(res.status(), `PATCH /api/v1/users/${id}: ${await res.text()}`).toBe(200);
  }

  async serviceUsers(wardId: string): Promise<{ id: string; display_label: string }[]> {
    return (await this.get(`/api/v1/service-users?ward_id=${wardId}&discharged=false`)).items;
  }

  /** A one-to-one on the ward, started an hour and a half ago, with a note. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async oneToOne(wardId: string, note: string): Promise<any> {
    const [su] = await this.serviceUsers(wardId);
    return this.post("/api/v1/activities", {
      id: randomUUID(),
      ward_id: wardId,
      kind: "one_to_one",
      started_at: new Date(Date.now() - 90 * 60_000).toISOString(),
      duration_minutes: 20,
      service_user_ids: [su.id],
      note,
      details: { topics: ["listening"] },
    });
  }

  /** Activities on a ward recorded since `from`, any status. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async activitiesSince(wardId: string, from: Date): Promise<any[]> {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const out: any[] = [];
    for (const status of ["recorded", "amended", "entered_in_error"]) {
      const page = await this.get(
        `/api/v1/activities?ward_id=${wardId}&from=${encodeURIComponent(new Date(from.getTime() - 3 * 3600_000).toISOString())}&status=${status}&limit=200`,
      );
      out.push(...page.items);
    }
    return out;
  }
}

export async function signIn(page: Page, username: string, password = PASSWORD) {
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Sign in" })).toHaveCount(0);
}

/** Opens a ward from the ward chooser or wherever the app landed. */
export async function openWard(page: Page, ward: Ward) {
  await page.goto(`/#/ward/${ward.id}`);
  await expect(page.getByRole("heading", { level: 1, name: ward.name })).toBeVisible();
  // Caught up with the server: the ward's service users are on the tablet.
  await expect(page.getByText(/Up to date at/)).toBeVisible();
}

/** No serious or critical axe-core violation (WCAG 2.1 A and AA rules). */
export async function expectAccessible(page: Page, screen: string) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  const bad = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(
    bad.map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help} — ${v.nodes
          .map((n) => n.target.join(" "))
          .slice(0, 3)
          .join(", ")}`,
    ),
    `axe-core on ${screen}`,
  ).toEqual([]);
}

/** Answers a kind's form with valid answers found by the questions' labels. */
export async function fillKind(page: Page, kind: string, note: string) {
  const spec = KINDS[kind];
  const who = page.getByRole("group", { name: /Who (was involved|attended)/ });
  if (kind !== "staff_support" && (await who.count())) {
    const boxes = who.getByRole("checkbox");
    if (await boxes.count()) await boxes.first().check();
    else await who.getByRole("radio").first().check();
  }
  // It ended just now (the form's default): one tap for its length.
  // Escorted leave asks the same as the time back and the time away.
  const leave = kind === "escorted_leave";
  await expect(
    page.getByRole("group", { name: leave ? "When did you get back to the ward?" : "When did it end?" }).getByLabel("Just now"),
  ).toBeChecked();
  await page
    .getByRole("group", { name: leave ? "How long were you off the ward?" : "How long did it last?" })
    .getByLabel("30 minutes")
    .check();
  for (const f of spec.fields) {
    const label = fieldLabel(f.name);
    const group = page.getByRole("group", { name: label });
    switch (f.type) {
      case "enum":
        await group.getByRole("radio").first().check();
        break;
      case "enum[]":
        await group.getByRole("checkbox").first().check();
        break;
      case "boolean":
        await group.getByRole("radio", { name: f.name === "incident" ? "No" : "Yes" }).check();
        break;
      case "date-time": {
        // Escorted leave's times are the ones above: not asked again.
        const quick = page.getByRole("group", { name: `Quick times for: ${label}` });
        if (f.required && (await quick.count())) await quick.getByRole("button", { name: "Same as start time" }).click();
        break;
      }
      case "integer":
        await page.getByLabel(label).fill(f.name === "unnamed_attendees" ? "3" : "2");
        break;
      case "string":
        if (f.required) await page.getByLabel(label).fill(f.name === "escalated_to" ? "Charge nurse J. Okafor" : "Dr Patel (RC)");
        break;
    }
  }
  await page.getByLabel(/^Note/).fill(note);
}

/** A screenshot for the repository (web/screenshots/), at the page's size. */
export async function shot(page: Page, name: string) {
  await page.screenshot({ path: `screenshots/${name}.png` });
}

export { humanise, fieldLabel, randomUUID };
