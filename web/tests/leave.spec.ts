// Escorted leave as it happens, walked through as the ward does it: the
// worker plans it, the nurse (on her own tablet) sees it waiting and
// authorises it, the worker records leaving and coming back with one tap
// each, and the ward sees who is out and then that nobody is. The return
// records the escorted-leave activity once, authorised by the nurse.
import { expect, type Locator, type Page } from "@playwright/test";
import { test, Api, expectAccessible, openWard, shot, signIn } from "./helpers";

const VIEWS = [
  { name: "portrait", width: 768, height: 1024 },
  { name: "landscape", width: 1024, height: 768 },
];

/** The worker's taps, counted as they happen. */
class Taps {
  n = 0;
  async click(l: Locator) {
    this.n++;
    await l.click();
  }
  async check(l: Locator) {
    this.n++;
    await l.check();
  }
}

/** The ward screen's refresh brings the other tablet's change (every 20 s). */
const REFRESHED = { timeout: 35_000 };

function outNow(page: Page) {
  return page.getByRole("list", { name: "People out on leave now" });
}

for (const view of VIEWS) {
  test(`escorted leave, planned to back, with the nurse's authorisation (${view.name})`, async ({ page, browser, request }) => {
    test.setTimeout(180_000);
    await page.setViewportSize({ width: view.width, height: view.height });
    const api = await Api.as(request, "psw");
    const ward = api.ward("ADULT-ASH");
    const taps = new Taps();

    // The worker plans the leave from the ward screen.
    await signIn(page, "psw");
    await openWard(page, ward);
    await expect(page.getByRole("heading", { name: "Escorted leave" })).toBeVisible();
    await taps.click(page.getByRole("link", { name: "Plan escorted leave" }));
    await expect(page.getByRole("heading", { level: 1, name: "Plan escorted leave" })).toBeVisible();
    const people = page.getByRole("group", { name: "Who is going on leave?" });
    await expect(people.getByRole("radio").first()).toBeVisible();
    const who = (await people.locator("label").first().innerText()).trim();
    // Nothing chosen yet: the form says what is missing, by its fields.
    await page.getByRole("button", { name: "Ask a nurse to authorise" }).click();
    await expect(page.getByRole("link", { name: "Select who is going on leave" })).toBeVisible();
    await expectAccessible(page, `the leave plan with errors (${view.name})`);
    await taps.check(people.getByRole("radio").first());
    await taps.check(page.getByRole("group", { name: "How long will they be out?" }).getByLabel("1 hour"));
    await taps.check(page.getByRole("group", { name: "Where are they going?" }).getByLabel("Shops"));
    await taps.check(page.getByRole("group", { name: "Leave authorisation" }).getByLabel(/Section 17/));
    await expect(page.getByRole("group", { name: "When are they going?" }).getByLabel("As soon as a nurse authorises it")).toBeChecked();
    await expectAccessible(page, `the leave plan (${view.name})`);
    await shot(page, `leave-1-plan-${view.name}`);
    await taps.click(page.getByRole("button", { name: "Ask a nurse to authorise" }));
    await expect(page.getByText(`Leave planned for ${who}`)).toBeVisible();
    const planned = page.getByRole("list", { name: "Planned leave" }).getByRole("listitem").filter({ hasText: who });
    await expect(planned.getByText("Waiting for a nurse")).toBeVisible();
    // The worker cannot start it before the nurse authorises it.
    await expect(page.getByRole("button", { name: `${who} has left with me` })).toHaveCount(0);

    // The nurse, on her tablet, sees it waiting and authorises it.
    const nurseContext = await browser.newContext({ viewport: { width: view.width, height: view.height } });
    const nurse = await nurseContext.newPage();
    await signIn(nurse, "nurse");
    await openWard(nurse, ward);
    const waiting = nurse.getByRole("list", { name: "Leave waiting for authorisation" });
    await expect(waiting.getByRole("listitem").filter({ hasText: who })).toBeVisible();
    await expectAccessible(nurse, `the nurse's ward with leave waiting (${view.name})`);
    await shot(nurse, `leave-2-nurse-waiting-${view.name}`);
    await nurse.getByRole("button", { name: `Authorise leave for ${who}` }).click();
    await expect(nurse.getByText(`Leave authorised for ${who}`)).toBeVisible();
    await expect(nurse.getByRole("list", { name: "Authorised leave" }).getByRole("listitem").filter({ hasText: who })).toBeVisible();

    // The worker's ward screen shows it authorised, with the next step.
    const leaving = page.getByRole("button", { name: `${who} has left with me` });
    await expect(leaving).toBeVisible(REFRESHED);
    await expect(page.getByText(/Authorised\s*by Nico Nurse/)).toBeVisible();
    await expectAccessible(page, `the worker's ward with authorised leave (${view.name})`);
    await page.getByRole("heading", { name: "Escorted leave" }).scrollIntoViewIfNeeded();
    await page.evaluate(() => window.scrollBy(0, document.getElementById("leave-heading")!.getBoundingClientRect().top - 16));
    await shot(page, `leave-3-authorised-${view.name}`);
    await taps.click(leaving);
    await expect(page.getByText(`${who} is out on leave`)).toBeVisible();
    await expect(outNow(page).getByRole("listitem").filter({ hasText: who })).toBeVisible();

    // The ward sees who is out now.
    await expect(outNow(nurse).getByRole("listitem").filter({ hasText: who })).toBeVisible(REFRESHED);
    await expectAccessible(nurse, `the nurse's ward with a person out (${view.name})`);
    await shot(nurse, `leave-4-nurse-out-now-${view.name}`);

    // Back: one tap; the leave is recorded.
    await taps.click(page.getByRole("button", { name: `${who} is back` }));
    await expect(page.getByText(`${who} is back`, { exact: true })).toBeVisible();
    await expect(page.getByText(/Escorted leave recorded: back at/)).toBeVisible();
    await expect(outNow(page)).toHaveCount(0);
    await expect(page.getByText("Nobody from this ward is out on escorted leave.")).toBeVisible();
    await expect(outNow(nurse)).toHaveCount(0, REFRESHED);

    // The worker's whole leave, plan to back, in taps.
    console.log(`[leave] ${view.name}: the worker's taps from the ward screen to back: ${taps.n}; the nurse's: 1`);
    expect(taps.n).toBe(8);

    // Recorded once, with the times from the taps and the nurse as the
    // one who authorised it; its history says so, with no amendment.
    const leaves = await api.get(`/api/v1/leaves?ward_id=${ward.id}&state=returned&limit=200`);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const mine = leaves.items.filter((l: any) => l.service_user_label === who && l.planned_by === api.me.id);
    const leave = mine[mine.length - 1];
    const activity = await api.get(`/api/v1/activities/${leave.activity_id}`);
    expect(activity.kind).toBe("escorted_leave");
    expect(Date.parse(activity.started_at)).toBe(Date.parse(leave.departed_at));
    expect(Date.parse(activity.ended_at)).toBe(Date.parse(leave.returned_at));
    expect(activity.details.authorised_by).toBe("Nico Nurse");
    expect(activity.leave_confirmation.confirmed_by).toBe(leave.authorised_by);
    const history = await api.get(`/api/v1/activities/${leave.activity_id}/history`);
    expect(history.items.map((v: { change: string }) => v.change)).toEqual(["created"]);

    await page.goto(`/#/activity/${leave.activity_id}`);
    await expect(page.getByRole("heading", { level: 1, name: "Escorted leave" })).toBeVisible();
    await expect(page.getByText(/Authorised before the leave by Nico Nurse/)).toBeVisible();
    const entry = page.getByRole("heading", { name: "History" }).locator("xpath=following-sibling::ol[1]");
    await expect(entry).toContainText("Leave authorised by Nico Nurse");
    await expect(entry).not.toContainText("Amended");
    await expectAccessible(page, `the recorded leave (${view.name})`);
    await entry.scrollIntoViewIfNeeded();
    await shot(page, `leave-5-recorded-${view.name}`);
    await nurseContext.close();
  });
}

test("a nurse does not authorise, saying why; the worker sees it gone", async ({ page, request }) => {
  await page.setViewportSize({ width: 768, height: 1024 });
  const api = await Api.as(request, "psw");
  const ward = api.ward("ADULT-ASH");
  const [person] = await api.serviceUsers(ward.id);
  const plan = await api.post("/api/v1/leaves", {
    ward_id: ward.id,
    service_user_id: person.id,
    expected_minutes: 30,
    authorisation: "informal",
    destination: "hospital_grounds",
  });

  await signIn(page, "nurse");
  await openWard(page, ward);
  const item = page
    .getByRole("list", { name: "Leave waiting for authorisation" })
    .getByRole("listitem")
    .filter({ hasText: "Hospital grounds" });
  await item
    .last()
    .getByRole("link", { name: /Do not authorise/ })
    .click();
  await expect(page.getByRole("heading", { level: 1, name: /Do not authorise leave for/ })).toBeVisible();
  await page.getByRole("button", { name: "Do not authorise" }).click();
  await expect(page.getByRole("link", { name: "Enter why the leave is cancelled" })).toBeVisible();
  await expectAccessible(page, "not authorising a leave, with an error");
  await page.getByLabel("Why is the leave cancelled?").fill("Not settled enough today");
  await shot(page, "leave-6-not-authorised");
  await page.getByRole("button", { name: "Do not authorise" }).click();
  await expect(page.getByText(/Leave for .* cancelled/)).toBeVisible();

  const after = await api.get(`/api/v1/leaves/${plan.id}`);
  expect(after.state).toBe("cancelled");
  expect(after.cancel_reason).toBe("Not settled enough today");
  expect(after.cancelled_by_name).toBe("Nico Nurse");
});

test("coming back not as planned: the record says so; a wrong time is explained", async ({ page, request }) => {
  await page.setViewportSize({ width: 1024, height: 768 });
  const api = await Api.as(request, "psw");
  const nurseApi = await Api.as(request, "nurse");
  const ward = api.ward("ADULT-ASH");
  const people = await api.serviceUsers(ward.id);
  const person = people[people.length - 1];
  const plan = await api.post("/api/v1/leaves", {
    ward_id: ward.id,
    service_user_id: person.id,
    expected_minutes: 60,
    authorisation: "informal",
    destination: "park_or_outdoors",
  });
  await nurseApi.post(`/api/v1/leaves/${plan.id}/authorise`, {});
  await api.post(`/api/v1/leaves/${plan.id}/depart`, {});

  await signIn(page, "psw");
  await openWard(page, ward);
  const item = outNow(page).getByRole("listitem").filter({ hasText: "Park or outdoors" }).last();
  await item.getByText("Not just now, or not as planned?").click();
  // A time that is no time is explained, and nothing is recorded.
  await item.getByLabel("Time they got back, today").fill("25:00");
  await item.getByRole("button", { name: `${person.display_label} is back` }).click();
  await expect(item.getByRole("alert")).toContainText("must be a real time");
  await item.getByLabel("Time they got back, today").fill("");
  await item.getByLabel("They did not return as planned").check();
  await item.getByLabel("There was an incident").check();
  await expectAccessible(page, "coming back, not as planned");
  await item.scrollIntoViewIfNeeded();
  await shot(page, "leave-7-back-not-as-planned-landscape");
  await item.getByRole("button", { name: `${person.display_label} is back` }).click();
  await expect(page.getByText(/Escorted leave recorded: back at/)).toBeVisible();

  const done = await api.get(`/api/v1/leaves/${plan.id}`);
  expect(done.state).toBe("returned");
  const activity = await api.get(`/api/v1/activities/${done.activity_id}`);
  expect(activity.details.returned_as_planned).toBe(false);
  expect(activity.details.incident).toBe(true);
  expect(Date.parse(activity.ended_at)).toBe(Date.parse(done.returned_at));
});
