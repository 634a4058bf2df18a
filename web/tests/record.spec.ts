import { expect } from "@playwright/test";
import { test, Api, expectAccessible, fillKind, humanise, KINDS, openWard, randomUUID, signIn } from "./helpers";

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
