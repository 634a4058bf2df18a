import { expect } from "@playwright/test";
import { test, Api, expectAccessible, fillKind, openWard, randomUUID, shot, signIn } from "./helpers";

test("sign in: errors in plain English, time until usable, screenshots", async ({ page, browser }) => {
  // Cold start at tablet size: until the sign-in form can be used.
  const cold = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const fresh = await cold.newPage();
  const t0 = Date.now();
  await fresh.goto("/");
  await expect(fresh.getByRole("button", { name: "Sign in" })).toBeEnabled();
  const coldMs = Date.now() - t0;
  await cold.close();

  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
  await expectAccessible(page, "sign in");
  await shot(page, "01-sign-in");

  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("link", { name: "Enter your username" })).toBeVisible();
  // A made-up username, so no real account's sign-in attempts are counted.
  await page.getByLabel("Username").fill(`nobody-${randomUUID().slice(0, 8)}`);
  await page.getByLabel("Password").fill("wrong");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("link", { name: "The username or password is not right. Check them and try again." })).toBeVisible();
  await expectAccessible(page, "sign in with an error");
  await shot(page, "02-sign-in-error");

  // Repeated failures lock that username for a while, said plainly.
  for (let i = 0; i < 6; i++) {
    await page.getByLabel("Password").fill("wrong");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("button", { name: "Sign in" })).toBeEnabled();
    const locked = page.getByRole("link", {
      name: /^Too many attempts to sign in\. Try again in \d+ (seconds|minutes?)\. Your password has been kept\.$/,
    });
    if (await locked.isVisible()) break;
  }
  await expect(
    page.getByRole("link", {
      name: /^Too many attempts to sign in\. Try again in \d+ (seconds|minutes?)\. Your password has been kept\.$/,
    }),
  ).toBeVisible();

  // Signed in, the ward screen reloaded (the service worker's shell): until
  // the worker can start recording.
  await page.getByLabel("Username").fill("psw");
  await page.getByLabel("Password").fill("peerlog-demo");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Choose a ward" })).toBeVisible();
  await expectAccessible(page, "choose a ward");
  await shot(page, "03-choose-ward");
  await page.getByRole("link", { name: /Ash Ward/ }).click();
  await expect(page.getByRole("link", { name: "One-to-one", exact: true }).first()).toBeVisible();
  await page.waitForFunction(() => !!navigator.serviceWorker?.controller, undefined, { timeout: 15_000 });
  const t1 = Date.now();
  await page.reload();
  await expect(page.getByRole("link", { name: "One-to-one", exact: true }).first()).toBeVisible();
  const warmMs = Date.now() - t1;
  console.log(
    `time to usable at 1280x800: sign-in form ${coldMs} ms from a cold start; ward screen ready to record ${warmMs} ms after a reload`,
  );
  await expect(page.getByText(/Up to date at/)).toBeVisible();
  await shot(page, "04-ward");
});

test("screens: record forms (landscape and portrait), an activity, and the rest checked with axe-core", async ({
  page,
  context,
  request,
}) => {
  const api = await Api.as(request, "psw");
  const ward = api.ward("ADULT-ASH");
  await signIn(page, "psw");
  await openWard(page, ward);

  await page.getByRole("link", { name: "Record another kind of activity" }).click();
  await expect(page.getByRole("heading", { name: "Record an activity" })).toBeVisible();
  await shot(page, "05-choose-kind");

  await page.getByRole("link", { name: "Escorted leave", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Escorted leave" })).toBeVisible();
  await expectAccessible(page, "the escorted leave form");
  await shot(page, "06-record-escorted-leave");

  await page.setViewportSize({ width: 800, height: 1280 });
  await page.goto(`/#/ward/${ward.id}/record/one_to_one`);
  await expect(page.getByRole("heading", { level: 1, name: "One-to-one" })).toBeVisible();
  await expectAccessible(page, "the one-to-one form, portrait");
  await shot(page, "07-record-one-to-one-portrait");
  await page.setViewportSize({ width: 1280, height: 800 });

  await page.goto(`/#/ward/${ward.id}/record/suicide_prevention`);
  await expect(page.getByRole("heading", { level: 1, name: "Suicide prevention" })).toBeVisible();
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "There is a problem" })).toBeVisible();
  // Focus moves to the error summary, so it is read out first.
  await expect.poll(() => page.evaluate(() => !!document.activeElement?.querySelector("[role=alert]"))).toBe(true);
  await expectAccessible(page, "the suicide prevention form with errors");
  await shot(page, "08-record-errors");

  // A cross-field rule the server declares is applied on the form, before
  // anything is sent or said saved, beside the field it names.
  await page.goto(`/#/ward/${ward.id}/record/group_session`);
  await expect(page.getByRole("heading", { level: 1, name: "Group session" })).toBeVisible();
  await fillKind(page, "group_session", "e2e 422");
  await page
    .getByRole("group", { name: "Type of group" })
    .getByLabel(/Group therapy/)
    .check();
  await page.getByRole("button", { name: "Save" }).click();
  const summary = page.getByRole("alert").filter({ hasText: "There is a problem" });
  await expect(summary.getByRole("link", { name: /Group therapy names everyone who came/ })).toBeVisible();
  await expect(page.getByLabel("How many attendees are not named above?")).toHaveAccessibleDescription(/Error:/);
  await expect(page.getByRole("heading", { level: 1, name: "Group session" })).toBeVisible();
  await expect(page.getByText("Group session saved")).toHaveCount(0);

  // A refusal only the server can make (the trust's oldest allowed record)
  // of a record kept while offline waits with the server's words.
  await page.waitForFunction(() => !!navigator.serviceWorker?.controller, undefined, { timeout: 15_000 });
  await context.setOffline(true);
  await page.goto(`/#/ward/${ward.id}/record/one_to_one`);
  await expect(page.getByRole("heading", { level: 1, name: "One-to-one" })).toBeVisible();
  await fillKind(page, "one_to_one", "e2e too old");
  await page.getByRole("group", { name: "When did it end?" }).getByLabel("Another time").check();
  const old = await page.evaluate(() => {
    const d = new Date(Date.now() - 45 * 86_400_000);
    return [d.getDate(), d.getMonth() + 1, d.getFullYear()].map(String);
  });
  const ended = page.getByRole("group", { name: "Date and time it ended" });
  await ended.getByLabel("Day").fill(old[0]);
  await ended.getByLabel("Month").fill(old[1]);
  await ended.getByLabel("Year").fill(old[2]);
  await ended.getByLabel("Time").fill("10:00");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText("One-to-one kept on this tablet")).toBeVisible();
  await context.setOffline(false);
  await page.getByRole("link", { name: /not sent: needs changes/ }).click({ timeout: 30_000 });
  await page.getByRole("link", { name: "One-to-one" }).click();
  await expect(page.getByText("The system did not accept this record")).toBeVisible();
  await expect(page.getByText("The start time cannot be more than 30 days ago").first()).toBeVisible();
  await expectAccessible(page, "a rejected record");
  await shot(page, "09-rejected-record");
  await page.getByRole("button", { name: "Discard this record" }).click();
  await page.getByRole("button", { name: "Yes, discard it" }).click();
  await expect(page.getByText("Record discarded")).toBeVisible();

  const created = await api.oneToOne(ward.id, `e2e screens ${randomUUID().slice(0, 8)}`);
  await page.goto(`/#/activity/${created.id}`);
  await expect(page.getByRole("heading", { name: "History" })).toBeVisible();
  await expect(page.getByText(/^Recorded by/).last()).toBeVisible();
  await shot(page, "10-activity");
});

test("a shared tablet: records wait for the person who made them, never sent by the next user", async ({ page, context, request }) => {
  const psw = await Api.as(request, "psw");
  const ward = psw.ward("ADULT-ASH");
  const run = randomUUID().slice(0, 8);
  const since = new Date();

  await signIn(page, "psw");
  await openWard(page, ward);
  await context.setOffline(true);
  await page.getByRole("link", { name: "De-escalation", exact: true }).first().click();
  await fillKind(page, "de_escalation", `e2e shared ${run}`);
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("link", { name: "1 record waiting to send" })).toBeVisible();
  await shot(page, "11-offline-waiting");

  // Signing out with unsent records warns first.
  await page.getByRole("link", { name: "Sign out" }).click();
  await expect(page.getByText("You have 1 record not sent yet")).toBeVisible();
  await expectAccessible(page, "sign out with records waiting");
  await shot(page, "12-sign-out-warning");
  await page.getByRole("button", { name: "Sign out anyway" }).click();
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
  await expect(page.getByText("1 record is waiting on this tablet")).toBeVisible();

  // The next user (a team leader on the same ward) signs in online: the
  // record is not theirs to send.
  await context.setOffline(false);
  await signIn(page, "leader");
  await openWard(page, ward);
  await page.getByRole("link", { name: "Record another kind of activity" }).waitFor();
  await page.waitForTimeout(1500);
  expect((await psw.activitiesSince(ward.id, since)).filter((a) => a.note === `e2e shared ${run}`)).toEqual([]);
  await page.getByRole("link", { name: "Sign out" }).click();
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();

  // Its author signs in again: sent, as theirs.
  await signIn(page, "psw");
  await expect
    .poll(async () => (await psw.activitiesSince(ward.id, since)).filter((a) => a.note === `e2e shared ${run}`).map((a) => a.recorded_by), {
      timeout: 20_000,
    })
    .toEqual([psw.me.id]);
});
