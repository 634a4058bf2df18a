import { expect } from "@playwright/test";
import { test, Api, expectAccessible, openWard, randomUUID, shot, signIn } from "./helpers";

test("the 412 flow: changed elsewhere meanwhile; the app shows it and the re-applied change lands as the next version", async ({
  page,
  request,
}) => {
  const api = await Api.as(request, "psw");
  const leader = await Api.as(request, "leader");
  const ward = api.ward("ADULT-ASH");
  const run = randomUUID().slice(0, 8);
  const created = await api.oneToOne(ward.id, `e2e conflict ${run}`);
  expect(created.version).toBe(1);

  await signIn(page, "psw");
  await page.goto(`/#/activity/${created.id}`);
  await expect(page.getByRole("heading", { level: 1, name: "One-to-one" })).toBeVisible();
  await expectAccessible(page, "an activity");
  await page.getByRole("link", { name: "Amend this record" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "One-to-one" })).toBeVisible();
  await expectAccessible(page, "the amend form");

  // Meanwhile the team leader amends the note through the API.
  const theirs = await leader.patch(
    `/api/v1/activities/${created.id}`,
    { note: `e2e conflict ${run} (team leader)`, reason: "Clearer note" },
    '"v1"',
  );
  expect(theirs.version).toBe(2);

  // The worker changes the length, says why, and saves.
  await page.getByRole("group", { name: "How long did it last?" }).getByLabel("45 minutes").check();
  await page.getByLabel("Why are you changing this record?").fill("It went on longer");
  await page.getByRole("button", { name: "Save changes" }).click();

  // The app shows what changed on the server, field by field.
  await expect(page.getByRole("heading", { name: "Check what changed" })).toBeVisible();
  const table = page.getByRole("table", { name: /Changes to/ });
  await expect(table.getByRole("row", { name: /Note/ })).toContainText(`e2e conflict ${run} (team leader)`);
  await expect(table.getByRole("row", { name: /Length/ })).toContainText("45 min");
  await expectAccessible(page, "the conflict screen");
  await shot(page, "13-conflict");

  await page.getByRole("button", { name: "Apply my changes to the latest version" }).click();
  await expect(page.getByText("Changes saved")).toBeVisible();
  await expect(page.getByText("This is now version 3 of the record.")).toBeVisible();

  const now = await api.get(`/api/v1/activities/${created.id}`);
  expect(now.version).toBe(3);
  expect(now.duration_minutes).toBe(45);
  expect(now.note).toBe(`e2e conflict ${run} (team leader)`);
  const history = await api.get(`/api/v1/activities/${created.id}/history`);
  expect(history.items.map((v: { reason: string | null }) => v.reason)).toEqual([null, "Clearer note", "It went on longer"]);
});

test("entered in error, with a reason: it leaves the default list", async ({ page, request }) => {
  const api = await Api.as(request, "psw");
  const ward = api.ward("ADULT-ASH");
  const run = randomUUID().slice(0, 8);
  const created = await api.oneToOne(ward.id, `e2e void ${run}`);

  await signIn(page, "psw");
  await openWard(page, ward);
  const link = page.locator(`a[href="#/activity/${created.id}"]`);
  await expect(link).toBeVisible();
  await link.click();
  await page.getByRole("link", { name: "Mark as entered in error" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Mark as entered in error" })).toBeVisible();

  // A reason is required.
  await page.getByRole("button", { name: "Mark as entered in error" }).click();
  await expect(page.getByRole("link", { name: "Enter why this record was entered in error" })).toBeVisible();
  await expectAccessible(page, "entered in error, with an error");
  await page.getByLabel("Why was this record entered in error?").fill("Recorded for the wrong person");
  await page.getByRole("button", { name: "Mark as entered in error" }).click();

  await expect(page.getByRole("heading", { level: 1, name: ward.name })).toBeVisible();
  await expect(page.getByText("One-to-one marked as entered in error")).toBeVisible();
  await expect(link).toHaveCount(0);

  const now = await api.get(`/api/v1/activities/${created.id}`);
  expect(now.status).toBe("entered_in_error");
  expect(now.void_reason).toBe("Recorded for the wrong person");
  const list = await api.get(`/api/v1/activities?ward_id=${ward.id}&limit=200`);
  expect(list.items.map((a: { id: string }) => a.id)).not.toContain(created.id);

  // Still readable, marked as such.
  await page.goto(`/#/activity/${created.id}`);
  await expect(page.getByText("Entered in error").first()).toBeVisible();
  await expect(page.getByText("Reason: Recorded for the wrong person", { exact: true })).toBeVisible();
});

test("ward staff confirm an escorted leave's authorisation, and cannot record", async ({ page, request }) => {
  const api = await Api.as(request, "psw");
  const ward = api.ward("ADULT-ASH");
  const [su] = await api.serviceUsers(ward.id);
  const start = new Date(Date.now() - 60 * 60_000);
  const leave = await api.post("/api/v1/activities", {
    id: randomUUID(),
    ward_id: ward.id,
    kind: "escorted_leave",
    started_at: start.toISOString(),
    duration_minutes: 45,
    service_user_ids: [su.id],
    details: {
      authorisation: "section_17",
      authorised_by: "Dr Patel (RC)",
      destination: "shops",
      departed_at: start.toISOString(),
      returned_at: new Date(start.getTime() + 40 * 60_000).toISOString(),
      returned_as_planned: true,
      incident: false,
    },
  });

  await signIn(page, "nurse");
  await openWard(page, ward);
  await expect(page.getByRole("heading", { name: "Record an activity" })).toHaveCount(0);
  await page.goto(`/#/activity/${leave.id}`);
  await expect(page.getByText("Not yet confirmed by ward staff.")).toBeVisible();
  await expectAccessible(page, "an escorted leave, for ward staff");
  await page.getByRole("button", { name: "Confirm the leave was authorised" }).click();
  // The banner says so (the history below may name the confirmation too).
  await expect(page.getByRole("alert", { name: "Success" }).getByText("Leave authorisation confirmed", { exact: true })).toBeVisible();
  await expect(page.getByText(/^Confirmed by/)).toBeVisible();
  const now = await api.get(`/api/v1/activities/${leave.id}`);
  expect(now.leave_confirmation?.confirmed_by).toBeTruthy();
});
