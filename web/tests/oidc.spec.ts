// "Sign in with your NHS account" through a real OpenID provider: the
// `oidc-provider` package started by scripts/oidc-test (tests/oidc/
// provider.mjs), whose sign-in page is filled in here as a person would.
// scripts/oidc-test has linked the provider's `ward-worker-1` to the
// account `sam.worker` (Sam Worker, Ash Ward) and runs this file alone
// (PEERLOG_OIDC_E2E=1); scripts/e2e, with no provider, leaves it out.
import { expect, type Page } from "@playwright/test";
import { test, Api, expectAccessible, shot } from "./helpers";

const NHS_PASSWORD = "nhs-test-password";
const NHS_BUTTON = { name: "Sign in with your NHS account", exact: true } as const;

/** On the provider's own sign-in page: who signs in. */
async function atProvider(page: Page, username: string) {
  await expect(page.getByRole("heading", { name: "Sign in to your NHS account" })).toBeVisible();
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(NHS_PASSWORD);
  await page.getByRole("button", { name: "Continue" }).click();
}

/** The error the app shows, in its error summary (focused) and by the button. */
async function expectProblem(page: Page, text: string) {
  const summary = page.getByRole("alert").filter({ hasText: "There is a problem" });
  await expect(summary.getByRole("link", { name: text })).toBeVisible();
  await expect(page.getByRole("button", NHS_BUTTON)).toHaveAccessibleDescription(`Error: ${text}`);
  // Back at the app's own address: nothing from the provider left in it.
  expect(new URL(page.url()).pathname).toBe("/");
  expect(page.url()).not.toMatch(/code=|state=/);
}

test("a linked worker signs in with their NHS account and unlocks the tablet the same way; nobody else can", async ({ page, request }) => {
  const config = await (await request.get("/api/v1/app-config")).json();
  expect(config.oidc?.client_id).toBe("peerlog-web");
  const tokenEndpoint = new URL(config.oidc.token_endpoint);

  // The page may talk to the provider's token endpoint and nowhere else.
  const res = await page.goto("/");
  const csp = res?.headers()["content-security-policy"] ?? "";
  expect(csp).toContain(`connect-src 'self' ${tokenEndpoint.origin};`);

  await expect(page.getByRole("heading", { name: "Sign in", exact: true })).toBeVisible();
  await expect(page.getByRole("button", NHS_BUTTON)).toBeVisible();
  // Local passwords are still on here: the form is offered too.
  await expect(page.getByLabel("Username")).toBeVisible();
  await expectAccessible(page, "sign in with the NHS account button");
  await shot(page, "15-sign-in-nhs-account");

  // The authorisation request: code flow, PKCE S256, state and nonce, and
  // the provider asked to check who is there every time (a shared tablet).
  const asked = page.waitForRequest((r) => r.url().startsWith(`${config.oidc.authorization_endpoint}?`));
  const traded: string[] = [];
  page.on("request", (r) => {
    if (r.url() === tokenEndpoint.href && r.method() === "POST") traded.push(r.postData() ?? "");
  });
  await page.getByRole("button", NHS_BUTTON).click();
  const q = new URL((await asked).url()).searchParams;
  expect(Object.fromEntries(["response_type", "client_id", "code_challenge_method", "prompt"].map((k) => [k, q.get(k)]))).toEqual({
    response_type: "code",
    client_id: "peerlog-web",
    code_challenge_method: "S256",
    prompt: "login",
  });
  expect(q.get("redirect_uri")).toBe(new URL("/auth/callback", res?.url()).href);
  expect(q.get("scope")?.split(" ")).toContain("openid");
  for (const k of ["state", "nonce", "code_challenge"]) expect(q.get(k)?.length ?? 0).toBeGreaterThanOrEqual(43);

  await atProvider(page, "ward-worker-1");

  // Back in peerlog as the linked worker, on their one ward.
  await expect(page.getByRole("heading", { level: 1, name: "Ash Ward" })).toBeVisible();
  await expect(page.getByText("Sam Worker (Peer support worker)")).toBeVisible();
  await expect(page.getByText(/Up to date at/)).toBeVisible();
  expect(page.url()).not.toMatch(/code=|state=|auth\/callback/);
  // The code was traded by the browser with the verifier, and no secret.
  expect(traded).toHaveLength(1);
  const form = new URLSearchParams(traded[0]);
  expect(form.get("grant_type")).toBe("authorization_code");
  expect(form.get("code_verifier")?.length).toBeGreaterThanOrEqual(43);
  expect(form.has("client_secret")).toBe(false);
  // A refresh after sign-in keeps the session, as after a password.
  await page.reload();
  await expect(page.getByRole("heading", { level: 1, name: "Ash Ward" })).toBeVisible();

  // The idle lock (here by hand) opens only through the NHS account again.
  await page.getByRole("button", { name: "Lock" }).click();
  await expect(page.getByRole("heading", { name: "This tablet is locked" })).toBeVisible();
  await expect(page.getByLabel("Password")).toHaveCount(0);
  await expectAccessible(page, "locked, NHS account");
  await shot(page, "16-locked-nhs-account");

  // Someone else with a linked account cannot open it: their new session is
  // ended at once and the tablet stays locked for Sam.
  const admin = await Api.as(request, "admin");
  const other: { id: string } = await admin.post("/api/v1/users", {
    username: `alex-${Date.now()}`,
    display_name: "Alex Stranger",
    role: "peer_support_worker",
    external_id: "stranger",
  });
  try {
    const loggedOut: string[] = [];
    page.on("request", (r) => r.url().endsWith("/api/v1/auth/logout") && loggedOut.push(r.url()));
    await page.getByRole("button", { name: "Unlock with your NHS account" }).click();
    await atProvider(page, "stranger");
    const summary = page.getByRole("alert").filter({ hasText: "There is a problem" });
    await expect(
      summary.getByRole("link", {
        name: 'You signed in as Alex Stranger, but this tablet is locked by Sam Worker. Only they can unlock it. To use the tablet yourself, choose "Switch user".',
      }),
    ).toBeVisible();
    await expect(page.getByRole("heading", { name: "This tablet is locked" })).toBeVisible();
    await expect.poll(() => loggedOut.length).toBe(1);
  } finally {
    await admin.patchUser(other.id, { external_id: null });
  }

  await page.getByRole("button", { name: "Unlock with your NHS account" }).click();
  await atProvider(page, "ward-worker-1");
  await expect(page.getByRole("heading", { level: 1, name: "Ash Ward" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "This tablet is locked" })).toHaveCount(0);

  await page.getByRole("link", { name: "Sign out" }).click();
  await expect(page.getByRole("heading", { name: "Sign in", exact: true })).toBeVisible();
});

test("NHS account sign-in: cancelled, not linked, not active, or not started here, each said plainly", async ({ page, request }) => {
  // A trust that has switched local passwords off (PEERLOG_LOCAL_LOGIN=false,
  // as app-config then says): the NHS account is the only way offered.
  await page.route("**/api/v1/app-config", async (route) => {
    const res = await route.fetch();
    await route.fulfill({ response: res, json: { ...(await res.json()), local_login: false } });
  });
  await page.goto("/");
  await expect(page.getByRole("button", NHS_BUTTON)).toBeVisible();
  await expect(page.getByLabel("Username")).toHaveCount(0);
  await expect(page.getByText("Sign in with your own NHS account")).toBeVisible();
  await expectAccessible(page, "sign in, NHS account only");
  await shot(page, "18-sign-in-nhs-account-only");
  await page.unrouteAll();
  await page.goto("/");
  await expect(page.getByLabel("Username")).toBeVisible();

  // Cancelled at the provider.
  await page.getByRole("button", NHS_BUTTON).click();
  await expect(page.getByRole("heading", { name: "Sign in to your NHS account" })).toBeVisible();
  await page.getByRole("link", { name: "Cancel and go back" }).click();
  await expectProblem(page, "You cancelled signing in with your NHS account. To use this tablet, sign in again.");

  // A person the provider knows but no peerlog account is linked to.
  await page.getByRole("button", NHS_BUTTON).click();
  await atProvider(page, "stranger");
  const notLinked =
    "Your NHS account is not linked to the Peer support log. Ask your Peer support log administrator to link it, then sign in again.";
  await expectProblem(page, notLinked);
  await expectAccessible(page, "sign in, NHS account not linked");
  await shot(page, "17-sign-in-nhs-not-linked");

  // Linked to an account an admin has turned off.
  const admin = await Api.as(request, "admin");
  const user: { id: string } = await admin.post("/api/v1/users", {
    username: `off-${Date.now()}`,
    display_name: "Alex Stranger",
    role: "peer_support_worker",
    external_id: "stranger",
  });
  try {
    await admin.patchUser(user.id, { active: false });
    await page.getByRole("button", NHS_BUTTON).click();
    await atProvider(page, "stranger");
    await expectProblem(
      page,
      "Your account for the Peer support log is not active yet, or has been turned off. Ask your Peer support log administrator to turn it on.",
    );
  } finally {
    await admin.patchUser(user.id, { external_id: null });
  }

  // An answer this tab never asked for (a forged or replayed callback):
  // refused before anything is sent to the provider or to peerlog.
  const sent: string[] = [];
  page.on("request", (r) => {
    if (r.method() === "POST") sent.push(r.url());
  });
  await page.goto("/auth/callback?code=forged-code&state=forged-state");
  await expectProblem(
    page,
    "Your sign-in could not be finished because it was not started on this tablet, or it was already used. Sign in again.",
  );
  expect(sent).toEqual([]);
  await expectAccessible(page, "sign in, NHS account answer not started here");
});
