import { expect, type Page } from "@playwright/test";
import { test, Api, expectAccessible, fillKind, openWard, randomUUID, shot, signIn } from "./helpers";

/** The ids of the records waiting in the app's queue (IndexedDB). */
async function queuedIds(page: Page): Promise<string[]> {
  return page.evaluate(
    () =>
      new Promise<string[]>((resolve, reject) => {
        const req = indexedDB.open("peerlog");
        req.onsuccess = () => {
          const tx = req.result.transaction("outbox", "readonly");
          const all = tx.objectStore("outbox").getAllKeys();
          all.onsuccess = () => resolve(all.result.map(String));
          all.onerror = () => reject(all.error);
        };
        req.onerror = () => reject(req.error);
      }),
  );
}

async function recordOneToOne(page: Page, wardName: string, note: string) {
  await page.getByRole("link", { name: "One-to-one", exact: true }).first().click();
  await expect(page.getByRole("heading", { level: 1, name: "One-to-one" })).toBeVisible();
  await fillKind(page, "one_to_one", note);
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("heading", { level: 1, name: wardName })).toBeVisible();
}

test("offline: three records made, the page reloaded, back online — exactly three stored, with the app's ids", async ({
  page,
  context,
  request,
}) => {
  const api = await Api.as(request, "psw");
  const ward = api.ward("ADULT-BIRCH");
  const run = randomUUID().slice(0, 8);
  const since = new Date();

  await signIn(page, "psw");
  await openWard(page, ward);
  // The service worker has taken the page (it keeps the app shell).
  await page.waitForFunction(() => !!navigator.serviceWorker?.controller, undefined, { timeout: 15_000 });

  await context.setOffline(true);
  await expect(page.getByText("You're offline.", { exact: false }).first()).toBeVisible();
  for (let i = 1; i <= 3; i++) await recordOneToOne(page, ward.name, `e2e offline ${run} #${i}`);
  await expect(page.getByRole("link", { name: "3 records waiting to send" })).toBeVisible();
  await expect(page.getByText("Waiting to send", { exact: true })).toHaveCount(3);
  const ids = await queuedIds(page);
  expect(ids).toHaveLength(3);
  await expectAccessible(page, "the ward, offline with records waiting");

  // Reloaded with no network: the service worker serves the app, the queue is kept.
  await page.reload();
  await expect(page.getByRole("heading", { level: 1, name: ward.name })).toBeVisible();
  await expect(page.getByText("Waiting to send", { exact: true })).toHaveCount(3);
  await page.getByRole("link", { name: "3 records waiting to send" }).click();
  await expect(page.getByRole("heading", { name: "Records not sent yet" })).toBeVisible();
  await expectAccessible(page, "records not sent yet");
  expect((await queuedIds(page)).sort()).toEqual([...ids].sort());

  // Back online: sent by themselves.
  await context.setOffline(false);
  await expect(page.getByText("All your records have been sent.")).toBeVisible({ timeout: 30_000 });
  expect(await queuedIds(page)).toEqual([]);

  // Exactly three new records, with the ids the app gave them.
  const stored = (await api.activitiesSince(ward.id, since)).filter((a) => String(a.note).startsWith(`e2e offline ${run} `));
  expect(stored.map((a) => a.id).sort()).toEqual([...ids].sort());
  expect(stored.map((a) => a.note).sort()).toEqual([1, 2, 3].map((i) => `e2e offline ${run} #${i}`));
});

test("the idle lock keeps unsent records", async ({ page, context, request }) => {
  const api = await Api.as(request, "psw");
  const ward = api.ward("ADULT-BIRCH");
  const config = await (await request.get("/api/v1/app-config")).json().catch(() => ({ idle_lock_seconds: 600 }));
  const idle = Number(config.idle_lock_seconds) || 600;
  const run = randomUUID().slice(0, 8);
  const since = new Date();

  await page.clock.install();
  await signIn(page, "psw");
  await openWard(page, ward);

  await context.setOffline(true);
  await recordOneToOne(page, ward.name, `e2e idle ${run}`);
  const [id] = await queuedIds(page);
  expect(id).toBeTruthy();

  // Nobody touches the tablet for longer than the idle time.
  await page.clock.fastForward((idle + 30) * 1000);
  await expect(page.getByRole("heading", { name: "This tablet is locked" })).toBeVisible();
  await expect(page.getByText("1 record saved on this tablet is kept and will be sent.")).toBeVisible();
  await expect(page.getByRole("heading", { level: 1, name: ward.name })).toHaveCount(0);
  await expectAccessible(page, "the lock screen");
  await shot(page, "14-locked");
  expect(await queuedIds(page)).toEqual([id]);

  // A wrong password does not open it.
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Unlock" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "There is a problem" })).toBeVisible();

  // The same person unlocks (offline: checked on the tablet) and carries on.
  await page.getByLabel("Password").fill("peerlog-demo");
  await page.getByRole("button", { name: "Unlock" }).click();
  await expect(page.getByRole("heading", { level: 1, name: ward.name })).toBeVisible();
  await expect(page.getByText("Waiting to send", { exact: true })).toHaveCount(1);

  await context.setOffline(false);
  await expect(page.getByRole("heading", { name: "Not sent yet" })).toHaveCount(0, { timeout: 30_000 });
  const stored = (await api.activitiesSince(ward.id, since)).filter((a) => a.note === `e2e idle ${run}`);
  expect(stored.map((a) => a.id)).toEqual([id]);
});
