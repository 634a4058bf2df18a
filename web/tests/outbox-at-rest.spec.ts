// Issue 22, item 8: a record queued on the tablet is encrypted at rest. What
// IndexedDB holds (the queue and the per-user cache) shows neither the note
// nor who the record is about; the queue still sends after a reload, and
// nothing is left in it once sent.
import { expect, type Page } from "@playwright/test";
import { test, Api, expectAccessible, fillKind, openWard, randomUUID, shot, signIn } from "./helpers";

/** Everything in the app's IndexedDB, as text: `bytes` says how a stored
 * binary (a ciphertext) is written, as its bytes read as Latin-1 (so any
 * plaintext inside would show) or as a placeholder. */
async function storedText(page: Page, bytes: "latin1" | "hidden"): Promise<{ text: string; queued: number }> {
  return page.evaluate(
    (bytes) =>
      new Promise<{ text: string; queued: number }>((resolve, reject) => {
        const req = indexedDB.open("peerlog");
        req.onsuccess = () => {
          const db = req.result;
          const stores = Array.from(db.objectStoreNames);
          const tx = db.transaction(stores, "readonly");
          const out: Record<string, unknown[]> = {};
          for (const s of stores) {
            const all = tx.objectStore(s).getAll();
            all.onsuccess = () => (out[s] = all.result);
          }
          tx.oncomplete = () => {
            const text = JSON.stringify(out, (_k, v) => {
              if (v instanceof ArrayBuffer || ArrayBuffer.isView(v)) {
                if (bytes === "hidden") return "<bytes>";
                const u8 = v instanceof ArrayBuffer ? new Uint8Array(v) : new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
                return new TextDecoder("latin1").decode(u8);
              }
              if (v instanceof CryptoKey) return { cryptoKey: v.algorithm, extractable: v.extractable };
              return v;
            });
            resolve({ text, queued: (out.outbox ?? []).length });
          };
          tx.onerror = () => reject(tx.error);
        };
        req.onerror = () => reject(req.error);
      }),
    bytes,
  );
}

test("a record queued offline is unreadable in the tablet's storage, sends after a reload, and leaves nothing behind", async ({
  page,
  context,
  request,
}) => {
  const api = await Api.as(request, "psw");
  const ward = api.ward("ADULT-BIRCH");
  const people = await api.serviceUsers(ward.id);
  const note = `e2e at rest ${randomUUID()} felt listened to`;
  const since = new Date();

  await signIn(page, "psw");
  await openWard(page, ward);
  await page.waitForFunction(() => !!navigator.serviceWorker?.controller, undefined, { timeout: 15_000 });
  await context.setOffline(true);
  await expect(page.getByText("You're offline.", { exact: false }).first()).toBeVisible();
  await page.getByRole("link", { name: "One-to-one", exact: true }).first().click();
  await fillKind(page, "one_to_one", note);
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("heading", { level: 1, name: ward.name })).toBeVisible();
  await expect(page.getByText("Waiting to send", { exact: true })).toHaveCount(1);

  const check = async () => {
    const raw = await storedText(page, "latin1");
    expect(raw.queued).toBe(1);
    expect(raw.text).not.toContain(note);
    expect(raw.text).not.toContain("felt listened to");
    for (const p of people) expect(raw.text, `person ${p.id}`).not.toContain(p.id);
    const plain = await storedText(page, "hidden");
    for (const p of people) expect(plain.text, `person ${p.display_label}`).not.toContain(`"${p.display_label}"`);
    // The key is kept as a CryptoKey that cannot be exported.
    expect(plain.text).toContain('"extractable":false');
    expect(plain.text).not.toContain('"extractable":true');
  };
  await check();

  // Reloaded with no network: the app still reads its queue, still sealed.
  await page.reload();
  await expect(page.getByRole("heading", { level: 1, name: ward.name })).toBeVisible();
  await expect(page.getByText("Waiting to send", { exact: true })).toHaveCount(1);
  await check();

  // Signing out with it unsent: the screen says what the encryption does
  // and does not do.
  await page.goto("/#/sign-out");
  await expect(page.getByRole("heading", { name: "You have 1 record not sent yet" })).toBeVisible();
  await expect(page.getByText("It stays on this tablet, encrypted, and will be sent the next time you sign in here.")).toBeVisible();
  await expect(page.getByText(/It does not protect against someone who can change the app or the browser on this tablet/)).toBeVisible();
  await page.setViewportSize({ width: 768, height: 1024 });
  await expectAccessible(page, "sign out with a record not sent (portrait)");
  await shot(page, "sign-out-unsent-encrypted-portrait");
  await page.setViewportSize({ width: 1024, height: 768 });
  await expectAccessible(page, "sign out with a record not sent (landscape)");
  await shot(page, "sign-out-unsent-encrypted-landscape");
  await page.getByRole("link", { name: "Go back to records waiting to send" }).click();

  // Back online: sent, and gone from the queue.
  await context.setOffline(false);
  await expect(page.getByText("All your records have been sent.")).toBeVisible({ timeout: 30_000 });
  await expect.poll(async () => (await storedText(page, "hidden")).queued, { timeout: 30_000 }).toBe(0);
  const stored = (await api.activitiesSince(ward.id, since)).filter((a) => a.note === note);
  expect(stored).toHaveLength(1);
  // The ward's cached copy of it (for reading offline) is sealed too.
  expect((await storedText(page, "latin1")).text).not.toContain(note);
});
