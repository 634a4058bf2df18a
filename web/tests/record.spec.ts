import { expect } from "@playwright/test";
import { test, Api, expectAccessible, fillKind, humanise, KINDS, openWard, randomUUID, shot, signIn } from "./helpers";

test("a worker signs in, records one activity of every kind, and sees each listed", async ({ page, request }) => {
  const api = await Api.as(request, "psw");
  const ward = api.ward("ADULT-ASH");
  const run = randomUUID().slice(0, 8);
  const since = new Date();

  await signIn(page, "psw");
  await openWard(page, ward);
  await expectAccessible(page, "the ward");

  const kinds = Object.keys(KINDS);
  expect(kinds).toHaveLength(12);
  for (const [i, kind] of kinds.entries()) {
    await page.getByRole("link", { name: "Record another kind of activity" }).click();
    await expect(page.getByRole("heading", { name: "Record an activity" })).toBeVisible();
    if (i === 0) await expectAccessible(page, "choose a kind");
    await page.getByRole("link", { name: humanise(kind), exact: true }).click();
    await expect(page.getByRole("heading", { level: 1, name: humanise(kind) })).toBeVisible();
    if (kind === "suicide_prevention") {
      // The safety rule is obvious before anything is typed...
      await expect(page.getByText("cannot be saved without who on the ward you escalated it to")).toBeVisible();
      // ...and saving without it is refused, with the fields named.
      await page.getByRole("button", { name: "Save" }).click();
      const summary = page.getByRole("alert").filter({ hasText: "There is a problem" });
      await expect(summary.getByRole("link", { name: "Enter who on the ward you escalated it to" })).toBeVisible();
      await expect(summary.getByRole("link", { name: "Enter when you escalated it" })).toBeVisible();
      await expectAccessible(page, "the record form with errors");
    }
    await fillKind(page, kind, `e2e every kind ${run} ${kind}`);
    if (i === 0) await expectAccessible(page, "a record form");
    await page.getByRole("button", { name: "Save" }).click();
    await expect(page.getByRole("heading", { level: 1, name: ward.name })).toBeVisible();
    await expect(page.getByText(`${humanise(kind)} saved`)).toBeVisible();
  }

  // All sent: none left waiting, none rejected.
  await expect(page.getByRole("heading", { name: "Not sent yet" })).toHaveCount(0, { timeout: 20_000 });

  // Each is stored once, and listed on the ward's screen.
  const mine = (await api.activitiesSince(ward.id, since)).filter((a) => String(a.note).startsWith(`e2e every kind ${run} `));
  expect(mine.map((a) => a.kind).sort()).toEqual([...kinds].sort());
  for (const a of mine) {
    const link = page.getByRole("link", { name: humanise(a.kind), exact: true }).and(page.locator(`[href="#/activity/${a.id}"]`));
    await expect(link).toBeVisible();
  }
});

test("times in UK form: it ended just now unless told, another time is typed as day, month, year and 14:30, and a wrong date is named in the summary", async ({
  page,
  request,
}) => {
  const api = await Api.as(request, "psw");
  const ward = api.ward("ADULT-ASH");
  const run = randomUUID().slice(0, 8);
  const since = new Date();
  await signIn(page, "psw");
  await openWard(page, ward);
  await page.goto(`/#/ward/${ward.id}/record/staff_support`);
  await expect(page.getByRole("heading", { level: 1, name: "Staff support" })).toBeVisible();

  // "Just now" is chosen already; a length shows the span it makes.
  const when = page.getByRole("group", { name: "When did it end?" });
  await expect(when.getByLabel("Just now")).toBeChecked();
  await page.getByRole("group", { name: "How long did it last?" }).getByLabel("45 minutes").check();
  await expect(page.getByText(/^From \d\d:\d\d to \d\d:\d\d today$/)).toBeVisible();

  // Another time: today's date is filled in, the time is typed (24-hour).
  await when.getByLabel("Another time").check();
  const ended = page.getByRole("group", { name: "Date and time it ended" });
  // Dates as the tablet's clock has them (the browser runs in Europe/London).
  const [today, y, expected] = await page.evaluate(() => {
    const t = new Date();
    const d = new Date(Date.now() - 86400_000);
    return [
      [t.getDate(), t.getMonth() + 1, t.getFullYear()].map(String),
      [d.getDate(), d.getMonth() + 1, d.getFullYear()].map(String),
      new Date(d.getFullYear(), d.getMonth(), d.getDate(), 9, 30).toISOString(),
    ] as const;
  });
  await expect(ended.getByLabel("Day")).toHaveValue(today[0]);
  await expect(ended.getByLabel("Month")).toHaveValue(today[1]);
  await expect(ended.getByLabel("Year")).toHaveValue(today[2]);
  // A day that does not exist in the month, and the summary names it.
  await ended.getByLabel("Day").fill("31");
  await ended.getByLabel("Month").fill("11");
  await ended.getByLabel("Year").fill("2026");
  await ended.getByLabel("Time").fill("0930");
  await page.getByRole("group", { name: "Why did they need support?" }).getByRole("radio").first().check();
  await page.getByLabel("How many staff did you support?").fill("2");
  await page.getByLabel(/^Note/).fill(`e2e times ${run}`);
  await page.getByRole("button", { name: "Save" }).click();
  const summary = page.getByRole("alert").filter({ hasText: "There is a problem" });
  const link = summary.getByRole("link", { name: "The date it ended must be a real date: November 2026 has 30 days" });
  await expect(link).toBeVisible();
  await expect.poll(() => page.evaluate(() => !!document.activeElement?.querySelector("[role=alert]"))).toBe(true);
  await expectAccessible(page, "the record form with a wrong date");
  await shot(page, "08b-record-wrong-date");
  await link.click();
  await expect(ended.getByLabel("Day")).toBeFocused();

  // Yesterday at 09:30, for 45 minutes.
  await ended.getByLabel("Day").fill(y[0]);
  await ended.getByLabel("Month").fill(y[1]);
  await ended.getByLabel("Year").fill(y[2]);
  await shot(page, "06b-record-another-time");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText("Staff support saved")).toBeVisible();
  await expect(async () => {
    const [a] = (await api.activitiesSince(ward.id, new Date(since.getTime() - 3 * 86400_000))).filter(
      (x) => x.note === `e2e times ${run}`,
    );
    expect(Date.parse(a?.ended_at)).toBe(Date.parse(expected));
    expect(a.duration_minutes).toBe(45);
  }).toPass({ timeout: 20_000 });
});
