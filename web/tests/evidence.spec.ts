// Evidence that peer support works, in the browser: the person's say handed
// over on the tablet (adult and CAMHS, online and offline), a measure due
// and completed, the impact screen, the ward figures upload and the board
// report printed to PDF. Screenshots at tablet size in web/screenshots/.
import { expect, type Page } from "@playwright/test";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { test, Api, expectAccessible, fillKind, openWard, randomUUID, signIn } from "./helpers";

test.use({ viewport: { width: 768, height: 1024 } });

async function shot(page: Page, name: string) {
  await page.screenshot({ path: `screenshots/${name}.png`, fullPage: true });
}

/** The ids of the queue's rows in IndexedDB (records and answers: what
 * else a row holds is encrypted, so only its id can be read). */
async function queuedIds(page: Page): Promise<string[]> {
  return page.evaluate(
    () =>
      new Promise<string[]>((resolve, reject) => {
        const req = indexedDB.open("peerlog");
        req.onsuccess = () => {
          const all = req.result.transaction("outbox", "readonly").objectStore("outbox").getAllKeys();
          all.onsuccess = () => resolve(all.result.map(String));
          all.onerror = () => reject(all.error);
        };
        req.onerror = () => reject(req.error);
      }),
  );
}

/** The answer is stored under the app's id: the same id with other content
 * is refused as a conflict (an answer can never be read back). */
async function expectStored(api: Api, request: import("@playwright/test").APIRequestContext, id: string, personId: string) {
  const token = (await (await request.post("/api/v1/auth/token", { data: { username: api.username, password: "peerlog-demo" } })).json())
    .access_token;
  const res = await request.post("/api/v1/measure-responses", {
    headers: { Authorization: `Bearer ${token}` },
    data: { id, measure: "your_say", service_user_id: personId, completed_at: new Date().toISOString(), declined: true },
  });
  expect(res.status(), await res.text()).toBe(409);
}

async function recordContact(page: Page, note: string) {
  await page.getByRole("link", { name: "One-to-one", exact: true }).first().click();
  await fillKind(page, "one_to_one", note);
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("heading", { level: 2, name: "Would they like to have their say?" })).toBeVisible();
}

test("adult ward: after a contact the person has their say, online; the answer is locked and the worker never sees it", async ({
  page,
  request,
}) => {
  const api = await Api.as(request, "psw");
  const ward = api.ward("ADULT-ASH");
  await signIn(page, "psw");
  await openWard(page, ward);
  await recordContact(page, `e2e your say ${randomUUID().slice(0, 8)}`);
  await expectAccessible(page, "the offer to hand the tablet over");
  await shot(page, "handover-offer");
  await page
    .getByRole("link", { name: /^Hand the tablet to .+ for their say$/ })
    .first()
    .click();

  await expect(page.getByRole("heading", { level: 1, name: "Your say" })).toBeVisible();
  const experience = page.getByRole("group", { name: "Overall, how was your experience of the support you had today?" });
  await expect(experience.getByRole("radio", { name: "Prefer not to say" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Prefer not to say: skip all the questions" })).toBeVisible();
  await expect(page.getByText("If you say no, your words are not kept.", { exact: false })).toBeVisible();
  await expectAccessible(page, "the hand-over screen (adult)");
  await experience.getByRole("radio", { name: "Very good" }).check();
  await page.getByRole("group", { name: "Did you feel listened to?" }).getByRole("radio", { name: "Prefer not to say" }).check();
  const words = `She sat with me when nobody else had time ${randomUUID().slice(0, 6)}`;
  await page.getByLabel(/Is there anything you would like to say/).fill(words);
  await page.getByRole("radio", { name: "Yes, share my words without my name" }).check();
  await shot(page, "handover-adult");

  const sent = page.waitForRequest((r) => r.url().endsWith("/api/v1/measure-responses") && r.method() === "POST");
  const answered = page.waitForResponse((r) => r.url().endsWith("/api/v1/measure-responses"));
  await page.getByRole("button", { name: "Submit my answers" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Thank you" })).toBeVisible();
  await expect(page.getByText("Please hand the tablet back to Pat Peer.")).toBeVisible();
  await expectAccessible(page, "the thank-you screen");
  await shot(page, "handover-thanks");
  const body = (await sent).postDataJSON();
  expect((await answered).status()).toBe(201);
  expect(body.answers.items).toEqual({ experience: 5 });
  expect(body.share_quote).toBe(true);

  await page.getByRole("button", { name: "I am Pat Peer: back to the ward" }).click();
  await expect(page.getByRole("heading", { level: 1, name: ward.name })).toBeVisible();
  await expect(page.getByText(words)).toHaveCount(0);
  await expectStored(api, request, body.id, body.service_user_id);
});

test("CAMHS ward, offline: the children's version with faces, queued after the contact and sent once when back online", async ({
  page,
  context,
  request,
}) => {
  const api = await Api.as(request, "psw2");
  const ward = api.ward("CAMHS-WILLOW");
  await signIn(page, "psw2");
  await openWard(page, ward);
  await page.waitForFunction(() => !!navigator.serviceWorker?.controller, undefined, { timeout: 15_000 });
  await context.setOffline(true);
  await expect(page.getByText("You're offline.", { exact: false }).first()).toBeVisible();
  await recordContact(page, `e2e camhs say ${randomUUID().slice(0, 8)}`);
  const contactOnly = await queuedIds(page);
  await page
    .getByRole("link", { name: /^Hand the tablet to .+ for their say$/ })
    .first()
    .click();

  await expect(page.getByRole("heading", { level: 1, name: "Tell us how it was" })).toBeVisible();
  const today = page.getByRole("group", { name: "How was it today?" });
  await expect(today.getByRole("radio", { name: "Really good" })).toBeVisible();
  await expect(today.getByRole("radio", { name: "I don't want to say" })).toBeVisible();
  await expect(today.locator("svg.app-face")).toHaveCount(6);
  await expect(page.getByLabel("Anything you want to tell us?")).toBeVisible();
  await expectAccessible(page, "the hand-over screen (CAMHS)");
  await today.getByRole("radio", { name: "Really good" }).check();
  await page.getByRole("group", { name: "Did you feel listened to?" }).getByRole("radio", { name: "Yes" }).check();
  await shot(page, "handover-camhs");
  await page.getByRole("button", { name: "Submit my answers" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Thank you" })).toBeVisible();
  const ids = (await queuedIds(page)).filter((id) => !contactOnly.includes(id));
  expect(ids).toHaveLength(1);

  await page.getByRole("button", { name: /back to the ward/ }).click();
  await context.setOffline(false);
  await expect(page.getByRole("heading", { name: "Not sent yet" })).toHaveCount(0, { timeout: 30_000 });
  await expect.poll(() => queuedIds(page), { timeout: 30_000 }).toEqual([]);
  const person = (await api.serviceUsers(ward.id))[0];
  await expectStored(api, request, ids[0], person.id);
});

test("a measure due on the ward is handed over and completed (ONS4: numbers only)", async ({ page, request }) => {
  const api = await Api.as(request, "psw");
  const ward = api.ward("ADULT-BIRCH");
  await signIn(page, "psw");
  await openWard(page, ward);
  await expect(page.getByRole("heading", { name: "Measures due" })).toBeVisible();
  const due = page.getByRole("link", { name: /ONS4/ }).first();
  const name = (await due.textContent()) ?? "";
  await shot(page, "measures-due");
  await due.click();
  await expect(page.getByRole("heading", { level: 1, name: "A few questions for you" })).toBeVisible();
  const groups = page.getByRole("group", { name: /Overall|anxious/ });
  await expect(groups).toHaveCount(4);
  await expectAccessible(page, "ONS4 handed over");
  await page
    .getByRole("group", { name: "Overall, how satisfied are you with your life nowadays?" })
    .getByRole("radio", { name: "7", exact: true })
    .check();
  await page
    .getByRole("group", { name: /things you do in your life are worthwhile/ })
    .getByRole("radio", { name: "6", exact: true })
    .check();
  await page
    .getByRole("group", { name: "Overall, how happy did you feel yesterday?" })
    .getByRole("radio", { name: "Prefer not to say" })
    .check();
  await page
    .getByRole("group", { name: /how anxious did you feel yesterday/ })
    .getByRole("radio", { name: "3", exact: true })
    .check();
  await shot(page, "measure-ons4");
  const answered = page.waitForResponse((r) => r.url().endsWith("/api/v1/measure-responses"));
  await page.getByRole("button", { name: "Submit my answers" }).click();
  const res = await answered;
  expect(res.status()).toBe(201);
  expect(res.request().postDataJSON().answers.items).toEqual({ life_satisfaction: 7, worthwhile: 6, anxiety: 3 });
  await page.getByRole("button", { name: /back to the ward/ }).click();
  await page.reload();
  await expect(page.getByRole("heading", { name: "Measures due" })).toBeVisible();
  await expect(page.getByRole("link", { name })).toHaveCount(0);
});

test("the impact screen: charts with their tables and CSV, <5 as such, filters in the link; ward figures loaded from CSV", async ({
  page,
}) => {
  await signIn(page, "manager");
  await page.goto("/#/console/impact?group_by=ward");
  await expect(page.getByRole("heading", { level: 1, name: "Impact of peer support" })).toBeVisible();
  for (const h of ["Your say", "Change on outcome measures", "De-escalations, restraint and leave, by month", "In their own words"]) {
    await expect(page.getByRole("heading", { level: 2, name: h })).toBeVisible();
  }
  await expect(page.getByRole("table", { name: /Change from first to latest answer/ })).toContainText("Reliably improved");
  await expect(page.getByRole("table", { name: /Ward context by month/ }).getByRole("row")).not.toHaveCount(1);
  await expectAccessible(page, "the impact screen");
  await shot(page, "impact");
  // One ward: answers from fewer than 5 people shown as "<5".
  await page.getByLabel("Show").selectOption("ADULT-ASH");
  await page.getByRole("button", { name: "Show" }).click();
  await expect(page).toHaveURL(/show=ADULT-ASH/);
  await expect(page.getByRole("table", { name: /Your say: answers by question \(ADULT-ASH\)/ })).toContainText("<5");
  await shot(page, "impact-ward");
  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: /Download this table as CSV \(outcomes\)/ }).click();
  expect((await download).suggestedFilename()).toMatch(/^outcomes-.*\.csv$/);
  await page.getByLabel("Group by").selectOption("service_line");
  await page.getByRole("button", { name: "Show" }).click();
  await expect(page).toHaveURL(/group_by=service_line/);

  await page.goto("/#/console/ward-figures");
  await expect(page.getByRole("heading", { level: 1, name: "Load ward figures" })).toBeVisible();
  const head = "ward_code,month,restraint_incidents,occupied_bed_days,discharges\n";
  await page.getByLabel("Ward figures (CSV file)").setInputFiles({
    name: "bad.csv",
    mimeType: "text/csv",
    buffer: Buffer.from(`${head}ADULT-ASH,2026-13,2,500,3\nNOPE,2026-01,1,1,1\n`),
  });
  await page.getByRole("button", { name: "Load figures" }).click();
  await expect(page.getByRole("alert")).toContainText("There is a problem");
  await expect(page.getByRole("alert")).toContainText("Line 2");
  await expect(page.getByRole("alert")).toContainText("Line 3");
  await expectAccessible(page, "ward figures with errors");
  await shot(page, "ward-figures-errors");
  await page
    .getByLabel("Ward figures (CSV file)")
    .setInputFiles({ name: "good.csv", mimeType: "text/csv", buffer: Buffer.from(`${head}ADULT-ASH,2026-01,2,500,3\n`) });
  await page.getByRole("button", { name: "Load figures" }).click();
  await expect(page.getByText("1 ward months loaded")).toBeVisible();
});

test("the board report prints to PDF: a summary first page with the figures against last quarter, no header or navigation", async ({
  page,
}) => {
  await signIn(page, "manager");
  await page.goto("/#/console/board");
  await expect(page.getByRole("heading", { level: 1, name: "All wards" })).toBeVisible();
  await expect(page.getByRole("table", { name: /Key figures against the quarter before/ }).first()).toContainText("Last quarter");
  await expectAccessible(page, "the board report");
  await shot(page, "board-report");
  await page.emulateMedia({ media: "print" });
  const pdf = await page.pdf({ format: "A4", printBackground: true });
  mkdirSync("test-results", { recursive: true });
  writeFileSync("test-results/board-report.pdf", pdf);
  const pages = (pdf.toString("latin1").match(/\/Type\s*\/Page[^s]/g) ?? []).length;
  expect(pages, "a page for the summary and one per ward").toBeGreaterThan(2);
  if (existsSync("/usr/bin/pdftotext")) {
    const first = execFileSync("pdftotext", ["-f", "1", "-l", "1", "-layout", "test-results/board-report.pdf", "-"]).toString();
    expect(first).toContain("board report");
    expect(first).toContain("All wards");
    expect(first).toContain("Contacts recorded");
    expect(first).toContain("Restraint incidents");
    expect(first).toContain("Leave that would otherwise have been cancelled");
    expect(first).not.toContain("Sign out");
    expect(first).not.toContain("Print or save as PDF");
    execFileSync("pdftoppm", [
      "-f",
      "1",
      "-l",
      "1",
      "-png",
      "-r",
      "60",
      "-singlefile",
      "test-results/board-report.pdf",
      "screenshots/board-report-pdf-page1",
    ]);
  }
});
