// The console: a manager's reports, a team leader's, an admin's users and
// wards, and the Buddy Scheme coordinator's pairings.
import { expect, type Locator, type Page } from "@playwright/test";
import { readFileSync } from "node:fs";
import { addDays, monthName, shortDayName } from "../src/lib/dates";
import { test, Api, PASSWORD, expectAccessible, humanise, randomUUID, shot, signIn } from "./helpers";

/** A table's cells as text, by row (header row first). */
async function cells(table: Locator): Promise<string[][]> {
  return table
    .locator("tr")
    .evaluateAll((rows) => rows.map((r) => Array.from(r.querySelectorAll("th,td"), (c) => (c.textContent ?? "").trim())));
}

/** The day in an NHS.UK date input (its group named by the legend), as ISO. */
async function dateIn(page: Page, legend: string): Promise<string> {
  const group = page.getByRole("group", { name: legend, exact: true });
  const [d, m, y] = await Promise.all(["Day", "Month", "Year"].map((l) => group.getByLabel(l, { exact: true }).inputValue()));
  return `${y}-${m.padStart(2, "0")}-${d.padStart(2, "0")}`;
}

/** Types a date into an NHS.UK date input, in UK order. */
async function fillDate(group: Locator, day: string, month: string, year: string) {
  await group.getByLabel("Day", { exact: true }).fill(day);
  await group.getByLabel("Month", { exact: true }).fill(month);
  await group.getByLabel("Year", { exact: true }).fill(year);
}

async function signOut(page: Page) {
  await page.goto("/#/sign-out");
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
}

test("a manager opens the year's summary: the chart's table agrees with the API, the CSV is the API's, the link keeps its filters", async ({
  page,
  request,
}) => {
  const api = await Api.as(request, "manager");
  await signIn(page, "manager");
  await expect(page.getByRole("heading", { level: 1, name: /Morgan Manager/ })).toBeVisible();
  await expectAccessible(page, "manager's console");
  await page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Reports" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Reports" })).toBeVisible();

  const table = page.getByRole("table", { name: "Activities by month and kind of activity" });
  await expect(table).toBeVisible();
  await expect(page.locator(".app-chart svg").first()).toBeVisible();
  // The period as the manager reads it: both days included, in UK order.
  const from = await dateIn(page, "From");
  const last = await dateIn(page, "To");
  // The API's `to` is the first day not included.
  const to = addDays(last, 1);
  const days = (Date.parse(to) - Date.parse(from)) / 86400_000;
  expect(days).toBeGreaterThanOrEqual(365);

  // The same report through the API: every figure is in the table, under
  // its month's name.
  const report = await api.get(`/api/v1/reports/activity-summary?from=${from}&to=${to}&group_by=month,kind`);
  expect(report.rows.length).toBeGreaterThan(0);
  await expect(table.locator("tfoot")).toBeVisible();
  const grid = await cells(table);
  const head = grid[0];
  for (const row of report.rows as { month: string; kind: string; activities: number }[]) {
    const line = grid.find((r) => r[0] === humanise(row.kind));
    expect(line, `a row for ${row.kind}`).toBeTruthy();
    expect(line?.[head.indexOf(monthName(row.month))], `${row.kind} in ${monthName(row.month)}`).toBe(String(row.activities));
  }
  const kinds = new Set(report.rows.map((r: { kind: string }) => r.kind));
  // A row per kind, then each activity once in the total row.
  expect(grid.length - 2).toBe(kinds.size);
  const whole = (await api.get(`/api/v1/reports/activity-summary?from=${from}&to=${to}`)).rows[0];
  expect(grid[grid.length - 1][0]).toBe("All activities");
  expect(grid[grid.length - 1][head.length - 1]).toBe(String(whole.activities));
  // People and workers over the whole period are counted once, from the
  // report without grouping, not summed from the months.
  const totalsGrid = await cells(page.getByRole("table", { name: "Totals by month" }));
  expect(totalsGrid[totalsGrid.length - 1]).toEqual([
    "All wards, whole period",
    String(whole.activities),
    expect.stringMatching(/^(\d+ h \d\d min|\d+ min)$/),
    String(whole.service_users),
    String(whole.workers),
  ]);
  await expect(page.getByRole("table", { name: "Escorted leave by month and ward" }).locator("tfoot")).toContainText("All wards");
  await expectAccessible(page, "reports");
  await page.setViewportSize({ width: 1280, height: 800 });
  await shot(page, "21-console-manager-reports");
  await page.getByRole("heading", { level: 2, name: "Activities" }).evaluate((h) => h.scrollIntoView());
  await shot(page, "22-console-manager-reports-chart");
  await page.evaluate(() => window.scrollTo(0, 0));

  // "Download CSV": the API's own CSV, fetched with the token.
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "Download CSV of activities by kind" }).click(),
  ]);
  const csv = readFileSync(await download.path(), "utf8");
  const fromApi = await request.get(`/api/v1/reports/activity-summary?from=${from}&to=${to}&group_by=month,kind&format=csv`, {
    headers: {
      Authorization: `Bearer ${(await (await request.post("/api/v1/auth/token", { data: { username: "manager", password: PASSWORD } })).json()).access_token}`,
    },
  });
  expect(csv).toBe(await fromApi.text());
  expect(download.suggestedFilename()).toMatch(/^activities-.*\.csv$/);

  // A shortcut: last financial year, 1 April to 31 March, both days shown.
  await page.getByRole("navigation", { name: "Report periods" }).getByRole("link", { name: "Last financial year" }).click();
  await expect(page).toHaveURL(/from=\d{4}-04-01&to=\d{4}-03-31/);
  expect(await dateIn(page, "From")).toMatch(/-04-01$/);
  expect(await dateIn(page, "To")).toMatch(/-03-31$/);
  await expect(page.getByText(/^1 April \d{4} to 31 March \d{4}$/)).toBeVisible();
  // A day that does not exist is named in the summary, which takes the focus.
  await fillDate(page.getByRole("group", { name: "From", exact: true }), "29", "2", "2027");
  await page.getByRole("button", { name: "Show the report" }).click();
  const summary = page.getByRole("alert").filter({ hasText: "There is a problem" });
  await expect(
    summary.getByRole("link", { name: "The first day of the period must be a real date: February 2027 has 28 days" }),
  ).toBeVisible();
  await expect.poll(() => page.evaluate(() => !!document.activeElement?.querySelector("[role=alert]"))).toBe(true);
  await expectAccessible(page, "reports with a wrong date");
  await shot(page, "21b-console-reports-wrong-date");
  await fillDate(page.getByRole("group", { name: "From", exact: true }), ...(from.split("-").reverse() as [string, string, string]));
  await fillDate(page.getByRole("group", { name: "To", exact: true }), ...(last.split("-").reverse() as [string, string, string]));

  // Filters in the URL: one ward, by week; the link reopens the same report.
  const ash = (await api.get("/api/v1/wards?limit=200")).items.find((w: { code: string }) => w.code === "ADULT-ASH");
  await page.getByLabel("Ward", { exact: true }).selectOption({ label: ash.name });
  await page.getByLabel("Group by", { exact: true }).selectOption("week");
  await page.getByRole("button", { name: "Show the report" }).click();
  await expect(page).toHaveURL(new RegExp(`ward_id=${ash.id}.*every=week`));
  const url = page.url();
  await page.goto("about:blank");
  await page.goto(url);
  await expect(page.getByRole("table", { name: "Activities by week and kind of activity" })).toBeVisible();
  await expect(page.getByLabel("Ward", { exact: true })).toHaveValue(ash.id);
  const weekly = await api.get(`/api/v1/reports/activity-summary?from=${from}&to=${to}&ward_id=${ash.id}&group_by=week`);
  const totals = await cells(page.getByRole("table", { name: "Totals by week" }));
  expect(totals.slice(1, -1).map((r) => [r[0], r[1]])).toEqual(
    [...weekly.rows]
      .sort((a, b) => a.week.localeCompare(b.week))
      .map((r: { week: string; activities: number }) => [shortDayName(r.week), String(r.activities)]),
  );

  // The ward's month at a glance.
  await page.getByRole("link", { name: ash.name }).click();
  await expect(page.getByRole("heading", { level: 1, name: ash.name })).toBeVisible();
  await expect(page.getByRole("table", { name: "Activities by kind" })).toBeVisible();
  // The month by name, and the ward's own totals as the last row.
  await expect(page.getByRole("combobox", { name: "Month" }).locator("option:checked")).toHaveText(/^[A-Z][a-z]+ \d{4}$/);
  await expect(page.getByRole("table", { name: "Activities by kind" }).locator("tfoot")).toContainText("All kinds");
  await expectAccessible(page, "ward overview");
  await shot(page, "22b-console-ward-overview");
});

test("a team leader sees their wards' figures and not another ward's", async ({ page, request }) => {
  const leader = await Api.as(request, "leader");
  const psw2 = await Api.as(request, "psw2");
  const other = psw2.ward("CAMHS-WILLOW");
  await signIn(page, "leader");
  await page.getByRole("link", { name: "Reports for your wards" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Reports" })).toBeVisible();
  const options = await page.getByLabel("Ward", { exact: true }).locator("option").allTextContents();
  // Open wards only, unless "Show inactive wards" is ticked.
  const open = (leader.me.wards as { name: string; active?: boolean }[]).filter((w) => w.active !== false);
  expect(options.sort()).toEqual(["All your wards", ...open.map((w) => w.name)].sort());

  // Broken down by ward: only theirs.
  await page.getByLabel("Break down by", { exact: true }).selectOption("ward");
  await page.getByRole("button", { name: "Show the report" }).click();
  const table = page.getByRole("table", { name: "Activities by month and ward" });
  await expect(table).toBeVisible();
  // The rows arrive with the report's answer: wait for them before reading.
  await expect(table.locator("tbody tr").first()).toBeVisible();
  const grid = await cells(table);
  // The last row is their wards together.
  expect(grid[grid.length - 1][0]).toBe("All wards");
  const names = grid.slice(1, -1).map((r) => r[0]);
  expect(names.length).toBeGreaterThan(0);
  for (const n of names) expect(leader.me.wards.map((w) => w.name)).toContain(n);
  expect(names).not.toContain(other.name);
  await expectAccessible(page, "team leader's reports");
  await shot(page, "23-console-team-leader-reports");
  await table.locator("tfoot").evaluate((f) => f.scrollIntoView({ block: "center" }));
  await shot(page, "23b-console-all-wards-row");
  await page.evaluate(() => window.scrollTo(0, 0));

  // Another ward's id in the link: refused, and none of its figures.
  await page.goto(`/#/console/reports?ward_id=${other.id}`);
  await expect(page.getByText("You cannot see that ward's figures")).toBeVisible();
  await expect(page.getByRole("table", { name: /Activities by month/ })).toHaveCount(0);
  await page.goto(`/#/console/reports/ward/${other.id}?month=${new Date().toISOString().slice(0, 7)}`);
  await expect(page.getByRole("heading", { name: "There is a problem" })).toBeVisible();
  await expect(page.getByText(other.name)).toHaveCount(0);
});

test("an admin creates a worker and assigns a ward; the worker signs in and sees only that ward", async ({ page, request }) => {
  const admin = await Api.as(request, "admin");
  const maple = (await admin.get("/api/v1/wards?limit=200")).items.find((w: { code: string }) => w.code === "OA-MAPLE");
  const run = randomUUID().slice(0, 8);
  const username = `e2e-${run}`;
  const password = `e2e-password-${run}`;

  await signIn(page, "admin");
  await expect(page.getByRole("heading", { level: 1, name: /Alex Admin/ })).toBeVisible();
  await shot(page, "24-console-admin");
  await page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Users" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Users" })).toBeVisible();
  await expectAccessible(page, "users");
  await page.getByRole("link", { name: "Create an account" }).click();
  await page.getByLabel("Full name").fill(`Erin Test ${run}`);
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Role").selectOption("peer_support_worker");
  // Too short a password: the summary says what is allowed.
  await page.getByLabel("Password").fill("short");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByRole("alert").getByRole("link", { name: "The password must be at least 12 characters" })).toBeVisible();
  await expectAccessible(page, "create an account, refused");
  await shot(page, "24b-console-new-account-refused");
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByText("Account created")).toBeVisible();

  // Assign the ward on the user's page (PUT /users/{id}/wards).
  await page.getByRole("link", { name: `Erin Test ${run}` }).click();
  await expect(page.getByRole("heading", { level: 1, name: new RegExp(`Erin Test ${run}`) })).toBeVisible();
  await page.getByRole("group", { name: "Wards they work on" }).getByLabel(maple.name).check();
  await page.getByRole("button", { name: "Save wards" }).click();
  await expect(page.getByText("Wards saved")).toBeVisible();
  await expectAccessible(page, "a user");
  // And a new password (PATCH /users/{id}), the one they will sign in with.
  await page.getByLabel("New password").fill(`${password}-2`);
  await page.getByRole("button", { name: "Reset password" }).click();
  await expect(page.getByText("Password reset")).toBeVisible();
  const users = (await admin.get("/api/v1/users?limit=200")).items;
  expect(users.find((u: { username: string }) => u.username === username).ward_ids).toEqual([maple.id]);

  // Wards and the audit log open.
  await page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Wards" }).click();
  await expect(page.getByRole("table", { name: "Wards" })).toContainText(maple.name);
  await expectAccessible(page, "wards");
  await page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Audit log" }).click();
  await page.getByLabel("Type of record").fill("user");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/entity_type=user/);
  await expect(page.getByRole("table", { name: /Audit entries/ })).toContainText("create");
  await expectAccessible(page, "audit log");
  await shot(page, "24c-console-audit-log");

  // The worker signs in: straight to their one ward, and only that ward.
  await signOut(page);
  await signIn(page, username, `${password}-2`);
  await expect(page.getByRole("heading", { level: 1, name: maple.name })).toBeVisible();
  await page.goto("/#/wards");
  await expect(page.getByRole("heading", { name: "Choose a ward" })).toBeVisible();
  const cards = page.locator(".app-ward-list .nhsuk-card__link");
  await expect(cards).toHaveCount(1);
  await expect(cards).toHaveText(maple.name);
});

test("a coordinator pairs a student with a registered buddy, is refused an unregistered one, and the series completes", async ({
  page,
  request,
}) => {
  const co = await Api.as(request, "coordinator");
  const run = randomUUID().slice(0, 8);
  const [cohort] = (await co.get("/api/v1/buddy/cohorts")).items;
  const student = await co.post("/api/v1/buddy/students", {
    cohort_id: cohort.id,
    full_name: `Sam Student ${run}`,
    email: `sam.${run}@students.example.ac.uk`,
  });
  const yesterday = new Date(Date.now() - 86400_000).toISOString().slice(0, 10);
  const registered = await co.post("/api/v1/buddy/buddies", {
    full_name: `Rae Registered ${run}`,
    buddy_type: "carer",
    volunteer_status: "registered",
    volunteer_verified_on: yesterday,
    capacity: 1,
  });
  const pending = await co.post("/api/v1/buddy/buddies", { full_name: `Pat Pending ${run}`, buddy_type: "service_user" });

  await signIn(page, "coordinator");
  await expect(page.getByRole("heading", { level: 1, name: /Casey Coordinator/ })).toBeVisible();
  await page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Buddy Scheme pairings" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Buddy Scheme pairings" })).toBeVisible();
  await expectAccessible(page, "pairings board");
  await shot(page, "25-console-coordinator-board");

  await page.getByRole("link", { name: "Pair a student with a buddy" }).click();
  await page.getByLabel("Student").selectOption({ label: `${student.full_name} (${humanise(student.discipline)})` });
  await expect(page.getByText(/Not yet a registered volunteer \(pending\): cannot be paired/).first()).toBeVisible();
  await page.getByLabel(pending.full_name).check();
  await page.getByLabel("Meetings in the series").fill("2");
  await page.getByRole("button", { name: "Propose pairing" }).click();
  await expect(page.getByRole("heading", { name: "This pairing cannot be made" })).toBeVisible();
  await expect(
    page.getByRole("alert").getByRole("link", {
      name: `${pending.full_name} is not yet a registered volunteer, so cannot be paired. Choose a registered buddy`,
    }),
  ).toBeVisible();
  await expectAccessible(page, "pairing refused");

  await page.getByLabel(registered.full_name).check();
  await page.getByRole("button", { name: "Propose pairing" }).click();
  await expect(page.getByText("Pairing proposed")).toBeVisible();
  const proposed = page.getByRole("region", { name: /^Proposed/ });
  await proposed.getByRole("button", { name: `Activate ${student.full_name}'s pairing` }).click();
  const active = page.getByRole("region", { name: /^Active/ });
  await active.getByRole("link", { name: `${student.full_name} with ${registered.full_name}` }).click();
  await expect(page.getByRole("heading", { level: 1, name: `${student.full_name} with ${registered.full_name}` })).toBeVisible();

  // Two meetings, planned in the last two days (one online with its link,
  // one in person with its place), then recorded as held.
  for (const [daysAgo, mode] of [
    [2, "Online video"],
    [1, "In person"],
  ] as const) {
    const when = new Date(Date.now() - daysAgo * 86400_000);
    const group = page.getByRole("group", { name: "When", exact: true });
    await fillDate(group, String(when.getDate()), String(when.getMonth() + 1), String(when.getFullYear()));
    await group.getByLabel("Time").fill("10:00");
    await page.getByLabel(mode).check();
    if (mode === "In person") await page.getByLabel(/^Place/).fill("Recovery College, room 2");
    if (mode === "Online video") {
      // A link on a host the trust does not allow: the summary says which are.
      await page.getByLabel(/^Join link/).fill("https://zoom.us/j/123456");
      await page.getByRole("button", { name: "Plan meeting" }).click();
      const refused = page.getByRole("alert").getByRole("link", {
        name: /^Enter a join link on a host the trust allows: .*teams\.microsoft\.com.* \(this link is on zoom\.us\)$/,
      });
      await expect(refused).toBeVisible();
      await expect.poll(() => page.evaluate(() => !!document.activeElement?.querySelector("[role=alert]"))).toBe(true);
      await expectAccessible(page, "a refused meeting link");
      await shot(page, "26b-console-meeting-link-refused");
      await refused.click();
      await expect(page.getByLabel(/^Join link/)).toBeFocused();
      await page.getByLabel(/^Join link/).fill("https://teams.microsoft.com/l/meetup-join/e2e");
    }
    await page.getByRole("button", { name: "Plan meeting" }).click();
    await expect(page.getByText("Meeting planned")).toBeVisible();
  }
  const series = page.getByRole("table", { name: "The meeting series" });
  await expect(series).toContainText("Recovery College, room 2");
  await expectAccessible(page, "a pairing");
  const [ics] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download calendar (.ics)" }).click()]);
  expect(readFileSync(await ics.path(), "utf8")).toContain("BEGIN:VCALENDAR");

  for (const n of [1, 2]) {
    await page.getByRole("button", { name: `Record meeting ${n}` }).click();
    await expect(page.getByText(`Meeting ${n}: held`)).toBeVisible();
  }
  await expect(page.getByRole("definition").filter({ hasText: "Completed" })).toBeVisible();
  await expect(page.getByText("2 of 2")).toBeVisible();

  // A reflection on the first meeting, written for the student.
  await page.getByRole("button", { name: "Add reflection on meeting 1" }).click();
  await page.getByLabel("Reflection on meeting 1").fill(`Learnt to listen first (${run})`);
  await page.getByRole("button", { name: "Save reflection" }).click();
  await expect(series).toContainText(`Learnt to listen first (${run})`);
  await expectAccessible(page, "a completed pairing");
  await page.getByRole("heading", { level: 2, name: "Meetings" }).evaluate((h) => h.scrollIntoView());
  await shot(page, "26-console-coordinator-pairing");

  // The buddy still waiting for registration is shown as such.
  await page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Cohorts, students and buddies" }).click();
  await expect(page.getByRole("row", { name: new RegExp(pending.full_name) })).toContainText("cannot be paired yet");
  await expectAccessible(page, "cohorts, students and buddies");
});

test("a Buddy Scheme student sees only their own pairing and can get a calendar address", async ({ page }) => {
  await signIn(page, "student");
  await expect(page.getByRole("heading", { level: 1, name: "My Buddy Scheme pairing" })).toBeVisible();
  await expectAccessible(page, "student's pairing");
  await shot(page, "27-console-student");
  await page.getByRole("link", { name: /Your pairing/ }).click();
  await expect(page.getByRole("table", { name: "The meeting series" })).toBeVisible();
  await expect(page.getByRole("button", { name: /Record meeting/ })).toHaveCount(0);
  await expectAccessible(page, "student's meetings");
  await page.goto("/#/console/my-buddy");
  await page.getByRole("button", { name: "Get my calendar address" }).click();
  await expect(page.getByText(/\/api\/v1\/buddy\/calendar\/.+\.ics/)).toBeVisible();
  await page.getByRole("button", { name: "Stop sharing my calendar" }).click();
  await expect(page.getByText(/\/api\/v1\/buddy\/calendar\//)).toHaveCount(0);
});
