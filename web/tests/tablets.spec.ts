// Issue 22, item 7: ward tablets share one address behind the trust's NAT.
// An admin sets a tablet up once from the console; after a spray of failed
// sign-ins from the ward's address, unknown devices there are slowed but
// staff on the tablet sign in at the first try. And a "too many attempts"
// keeps the password and says when to try again.
//
// The live server trusts 127.0.0.1 as a proxy (scripts/e2e), so each test
// plays its own client address with X-Forwarded-For and slows no other test.
import { expect, type Browser, type Page } from "@playwright/test";
import { test, expectAccessible, randomUUID, shot, signIn, PASSWORD } from "./helpers";

const PORTRAIT = { width: 768, height: 1024 };
const LANDSCAPE = { width: 1024, height: 768 };

/** A browser on a client address of its own (no service worker, so every
 * request carries the address). */
async function deviceAt(browser: Browser, address: string, viewport = PORTRAIT): Promise<Page> {
  const context = await browser.newContext({
    viewport,
    serviceWorkers: "block",
    extraHTTPHeaders: { "X-Forwarded-For": address },
  });
  const page = await context.newPage();
  page.on("pageerror", (e) => {
    throw e;
  });
  return page;
}

const TOO_MANY = /^Too many attempts to sign in\. Try again in \d+ (seconds|minutes?)\. Your password has been kept\.$/;

test("too many attempts: the wait in plain words, and the password kept", async ({ browser }) => {
  const page = await deviceAt(browser, `198.51.100.${10 + Math.floor(Math.random() * 80)}`);
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
  // A made-up username: no real account's attempts are counted.
  await page.getByLabel("Username").fill(`nobody-${randomUUID().slice(0, 8)}`);
  const typed = "my-real-password-maybe";
  let tries = 0;
  while (tries < 8) {
    tries++;
    await page.getByLabel("Password").fill(typed);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("button", { name: "Sign in" })).toBeEnabled();
    await expect(page.locator(".nhsuk-error-summary")).toBeVisible();
    if (await page.getByRole("link", { name: TOO_MANY }).isVisible()) break;
    // A wrong password is cleared, as before.
    await expect(page.getByLabel("Password")).toHaveValue("");
  }
  expect(tries, "the sixth attempt is slowed (five free)").toBe(6);
  await expect(page.getByRole("link", { name: TOO_MANY })).toBeVisible();
  await expect(page.getByText(/Try again in 15 seconds/).first()).toBeVisible();
  // The password was not checked, and stays for the next try.
  await expect(page.getByLabel("Password")).toHaveValue(typed);
  await expectAccessible(page, "sign in: too many attempts (portrait)");
  await shot(page, "sign-in-too-many-attempts-portrait");
  await page.setViewportSize(LANDSCAPE);
  await expectAccessible(page, "sign in: too many attempts (landscape)");
  await shot(page, "sign-in-too-many-attempts-landscape");
  await page.context().close();
});

test("an admin sets up a ward tablet from the console; after a spray from the ward's address its staff sign in first time", async ({
  page,
  browser,
  request,
}) => {
  const nat = `203.0.113.${10 + Math.floor(Math.random() * 200)}`;
  const name = `Ash ward tablet ${randomUUID().slice(0, 4)}`;

  // The admin, in the console (landscape): Ward tablets, a name, the ward,
  // Create a code.
  await page.setViewportSize(LANDSCAPE);
  await signIn(page, "admin");
  await page.goto("/#/console");
  await page.getByRole("link", { name: "Ward tablets" }).first().click();
  await expect(page.getByRole("heading", { level: 1, name: "Ward tablets" })).toBeVisible();
  await page.getByLabel("Name", { exact: true }).fill(name);
  const ward = page.getByLabel("Ward", { exact: true });
  const ash = await ward.locator("option", { hasText: /Ash/ }).first().getAttribute("value");
  await ward.selectOption(ash!);
  await page.getByRole("button", { name: "Create a code" }).click();
  const code = (await page.locator("#enrolment-code").textContent())!.trim();
  expect(code).toMatch(/^[2-9A-Z]{5}-[2-9A-Z]{5}$/);
  await expect(page.getByRole("row").filter({ hasText: name }).getByText("Waiting for its code")).toBeVisible();
  await expectAccessible(page, "console: ward tablets (landscape)");
  await shot(page, "console-ward-tablets-landscape");
  await page.setViewportSize(PORTRAIT);
  await expectAccessible(page, "console: ward tablets (portrait)");
  await shot(page, "console-ward-tablets-portrait");

  // On the tablet (portrait, behind the ward's NAT): Set up, the code, done.
  const tablet = await deviceAt(browser, nat);
  await tablet.goto("/");
  await tablet.getByRole("button", { name: "Set up this tablet for the ward" }).click();
  await expect(tablet.getByRole("heading", { level: 1, name: "Set up this tablet for the ward" })).toBeVisible();
  await expectAccessible(tablet, "set up this tablet (portrait)");
  await shot(tablet, "tablet-set-up-portrait");
  // A mistyped code is said plainly.
  await tablet.getByLabel("Code").fill("AAAAA-AAAAA");
  await tablet.getByRole("button", { name: "Set up tablet" }).click();
  await expect(tablet.getByRole("link", { name: /That code is not right, or it has been used or has expired/ })).toBeVisible();
  await tablet.setViewportSize(LANDSCAPE);
  await expectAccessible(tablet, "set up this tablet, wrong code (landscape)");
  await shot(tablet, "tablet-set-up-error-landscape");
  await tablet.setViewportSize(PORTRAIT);
  await tablet.getByLabel("Code").fill(code.toLowerCase());
  await tablet.getByRole("button", { name: "Set up tablet" }).click();
  await expect(tablet.getByText(`This tablet is set up as ${name}`)).toBeVisible();
  await expect(tablet.getByText(`This is ${name}, a tablet set up by your trust.`)).toBeVisible();
  await expectAccessible(tablet, "sign in on an enrolled tablet (portrait)");
  await shot(tablet, "tablet-enrolled-sign-in-portrait");

  // Someone on the ward's network sprays sign-ins at made-up usernames.
  const statuses: number[] = [];
  for (let i = 0; i < 32; i++) {
    const res = await request.post("/api/v1/auth/token", {
      headers: { "X-Forwarded-For": nat },
      data: { username: `spray-${randomUUID().slice(0, 8)}`, password: "guess-guess-guess" },
    });
    statuses.push(res.status());
  }
  expect(statuses.slice(-2)).toEqual([429, 429]);

  // An unknown device on that address is slowed, even with the right password…
  const other = await deviceAt(browser, nat);
  await other.goto("/");
  await other.getByLabel("Username").fill("nurse");
  await other.getByLabel("Password").fill(PASSWORD);
  await other.getByRole("button", { name: "Sign in" }).click();
  await expect(other.getByRole("link", { name: TOO_MANY })).toBeVisible();
  await other.context().close();

  // …but on the enrolled tablet a worker who never signed in there gets in.
  await tablet.getByLabel("Username").fill("psw");
  await tablet.getByLabel("Password").fill(PASSWORD);
  await tablet.getByRole("button", { name: "Sign in" }).click();
  await expect(tablet.getByRole("heading", { name: "Sign in" })).toHaveCount(0);
  await expect(tablet.getByRole("heading", { level: 1, name: "Choose a ward" })).toBeVisible();
  await tablet.context().close();

  // The console shows it in use; the admin revokes it (a lost tablet).
  await page.setViewportSize(LANDSCAPE);
  await page.reload();
  const row = page.getByRole("row").filter({ hasText: name });
  await expect(row.getByText("Set up")).toBeVisible();
  await expect(row.getByText("Never")).toHaveCount(0);
  // Renamed and moved to no one ward.
  await row.getByRole("button", { name: `Change ${name}` }).click();
  const renamed = `${name} (bay 2)`;
  await page.getByLabel("Name", { exact: true }).first().fill(renamed);
  await page.getByLabel("Ward", { exact: true }).first().selectOption("");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByText(`${renamed} saved`)).toBeVisible();
  const moved = page.getByRole("row").filter({ hasText: renamed });
  await expect(moved.getByText("None")).toBeVisible();
  await expectAccessible(page, "console: ward tablets after a change (landscape)");
  await moved.getByRole("button", { name: `Revoke ${renamed}` }).click();
  await page.getByRole("button", { name: `Yes, revoke ${renamed}` }).click();
  await expect(page.getByText(`${renamed} is revoked.`)).toBeVisible();
  await expect(moved.getByText("Revoked")).toBeVisible();
  await shot(page, "console-ward-tablets-revoked-landscape");
});
