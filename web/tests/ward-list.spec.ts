// A busy ward: the list pages (newest first, more on demand) and the tablet
// is up to date for what it shows after two requests, however many records
// the ward holds. And two people with the same initials are told apart.
import { expect } from "@playwright/test";
import { test, Api, expectAccessible, randomUUID, shot, signIn } from "./helpers";

const SEEDED = 10_000;
const BATCH = 500;

test("ward list: 10,000 activities on a ward, newest first, paged, up to date in bounded time", async ({ page, request }) => {
  test.setTimeout(600_000);
  const leader = await Api.as(request, "leader");
  const cedar = leader.ward("ADULT-CEDAR");

  // 10,000 staff-support records over the last 20 hours, the newest first
  // in `ids` (started 10 minutes ago, then one every 7 seconds before).
  const ids: string[] = [];
  const t0 = Date.now();
  for (let b = 0; b < SEEDED / BATCH; b++) {
    const items = [];
    for (let i = b * BATCH; i < (b + 1) * BATCH; i++) {
      const id = randomUUID();
      ids.push(id);
      items.push({
        id,
        ward_id: cedar.id,
        kind: "staff_support",
        started_at: new Date(t0 - 10 * 60_000 - i * 7_000).toISOString(),
        duration_minutes: 5,
        service_user_ids: [],
        note: `busy day ${i}`,
        details: { reason: "overwhelmed", staff_count: 2 },
      });
    }
    const answer = await leader.post("/api/v1/activities/batch", { items });
    expect(JSON.stringify(answer)).not.toContain('"error"');
  }
  console.log(`seeded ${SEEDED} activities on one ward through the batch API in ${Date.now() - t0} ms`);

  await page.setViewportSize({ width: 1024, height: 768 });
  await signIn(page, "leader");
  await expect(page.getByRole("heading", { name: "Choose a ward" })).toBeVisible();

  // A tablet with nothing kept for the ward: until it says "up to date".
  const t1 = Date.now();
  await page.goto(`/#/ward/${cedar.id}`);
  await expect(page.getByText(/Up to date at/)).toBeVisible({ timeout: 60_000 });
  const firstMs = Date.now() - t1;

  // The newest first, a bounded first page.
  const rows = page.locator("tbody tr");
  await expect(rows).toHaveCount(25);
  await expect(rows.first().getByRole("link")).toHaveAttribute("href", `#/activity/${ids[0]}`);
  await expect(rows.nth(24).getByRole("link")).toHaveAttribute("href", `#/activity/${ids[24]}`);
  await expect(page.getByText("Showing the newest 25 activities.")).toBeVisible();
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  expect(height, "the ward page's height in pixels").toBeLessThan(4000);
  const cells = await page.locator("td").count();
  expect(cells, "table cells in the page").toBeLessThanOrEqual(25 * 5);
  await page.getByRole("heading", { name: "Today" }).evaluate((h) => h.scrollIntoView({ block: "start" }));
  await expectAccessible(page, "the ward list, paged, landscape");
  await shot(page, "28-ward-list-paged-landscape");

  // More on demand: focus moves to the first row added; past what the
  // tablet read first (50), it reads the next older page.
  const more = page.getByRole("button", { name: "Show 25 more activities" });
  await more.click();
  await expect(rows).toHaveCount(50);
  await expect(rows.nth(25).getByRole("link")).toBeFocused();
  await more.click();
  await expect(rows).toHaveCount(75);
  await expect(rows.nth(74).getByRole("link")).toHaveAttribute("href", `#/activity/${ids[74]}`);
  await expect(rows.nth(50).getByRole("link")).toBeFocused();

  await page.setViewportSize({ width: 768, height: 1024 });
  await more.scrollIntoViewIfNeeded();
  await expectAccessible(page, "the ward list, paged, portrait");
  await shot(page, "28b-ward-list-paged-portrait");

  // Back from an activity, the list is as it was left.
  await rows.nth(60).getByRole("link").click();
  await expect(page.getByRole("heading", { level: 1, name: "Staff support" })).toBeVisible();
  await page.goBack();
  await expect(rows).toHaveCount(75);

  // A record made elsewhere comes through the feed from the stored cursor,
  // on top of the list.
  const fresh = await leader.post("/api/v1/activities", {
    id: randomUUID(),
    ward_id: cedar.id,
    kind: "staff_support",
    started_at: new Date(Date.now() - 6 * 60_000).toISOString(),
    duration_minutes: 5,
    service_user_ids: [],
    note: "just now",
    details: { reason: "overwhelmed", staff_count: 1 },
  });
  const t2 = Date.now();
  await page.reload();
  await expect(page.getByText(/Up to date at/)).toBeVisible({ timeout: 60_000 });
  const againMs = Date.now() - t2;
  await expect(rows.first().getByRole("link")).toHaveAttribute("href", `#/activity/${fresh.id}`);
  await expect(rows).toHaveCount(25);

  console.log(
    `time to "up to date" on a ward with ${SEEDED} activities: ${firstMs} ms with nothing kept on the tablet; ` +
      `${againMs} ms after a reload (catching up from the stored cursor); page ${height} px tall, 25 rows`,
  );
  expect(firstMs, "time to up to date with nothing kept").toBeLessThan(15_000);
});

test("people with the same initials are told apart: the picker, the ward list and the activity", async ({ page, request }) => {
  const admin = await Api.as(request, "admin");
  const psw = await Api.as(request, "psw");
  const birch = psw.ward("ADULT-BIRCH");
  const tag = randomUUID().slice(0, 6).toUpperCase();
  for (const end of ["481", "736"]) {
    await admin.put(`/api/v1/service-users/E2E-${tag}-${end}`, {
      display_label: "Q.Z.",
      ward_id: birch.id,
      admitted_on: "2026-11-01",
      bed_or_bay: `Bay ${end.slice(0, 1)}`,
    });
  }
  const people: { id: string; display_label: string; reference: string }[] = (
    await psw.get(`/api/v1/service-users?ward_id=${birch.id}&discharged=false&limit=200`)
  ).items;
  const first = people.find((p) => p.reference === `E2E-${tag}-481`)!;
  expect(JSON.stringify(people)).not.toMatch(/nhs_number/);

  const recorded = await psw.post("/api/v1/activities", {
    id: randomUUID(),
    ward_id: birch.id,
    kind: "one_to_one",
    started_at: new Date(Date.now() - 30 * 60_000).toISOString(),
    duration_minutes: 15,
    service_user_ids: [first.id],
    note: "same initials",
    details: { topics: ["listening"] },
  });

  await page.setViewportSize({ width: 768, height: 1024 });
  await signIn(page, "psw");
  await page.goto(`/#/ward/${birch.id}`);
  await expect(page.getByText(/Up to date at/)).toBeVisible();
  const row = page.getByRole("row").filter({ has: page.locator(`a[href="#/activity/${recorded.id}"]`) });
  await expect(row.getByRole("cell", { name: "Q.Z. (ref ending 481)" })).toBeVisible();

  await page.goto(`/#/ward/${birch.id}/record/one_to_one`);
  const who = page.getByRole("group", { name: /Who was involved/ });
  await expect(who.getByRole("radio", { name: "Q.Z. (ref ending 481)" })).toBeVisible();
  await expect(who.getByRole("radio", { name: "Q.Z. (ref ending 736)" })).toBeVisible();
  // Initials nobody else on the ward shares stay as they are.
  const alone = people.find((p) => p.display_label !== "Q.Z.")!;
  await expect(who.getByRole("radio", { name: alone.display_label, exact: true })).toBeVisible();
  await who.getByRole("radio", { name: "Q.Z. (ref ending 736)" }).check();
  await who.scrollIntoViewIfNeeded();
  await expectAccessible(page, "the person picker with two people sharing initials, portrait");
  await shot(page, "29b-person-picker-same-initials-portrait");
  await page.setViewportSize({ width: 1024, height: 768 });
  await who.scrollIntoViewIfNeeded();
  await expectAccessible(page, "the person picker with two people sharing initials, landscape");
  await shot(page, "29-person-picker-same-initials-landscape");

  await page.goto(`/#/activity/${recorded.id}`);
  await expect(page.getByText("Q.Z. (ref ending 481)")).toBeVisible();
});
