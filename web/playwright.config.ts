// Browser tests against a live peerlog serving the built app at `/`
// (PEERLOG_URL, default http://127.0.0.1:8080) with its demo data, in
// Debian's Chromium (Playwright's own browser download cannot work here).
import { defineConfig } from "@playwright/test";

export default defineConfig({
  testDir: "tests",
  // Sign-in through a real OpenID provider needs one: scripts/oidc-test
  // starts it and sets PEERLOG_OIDC_E2E.
  testIgnore: process.env.PEERLOG_OIDC_E2E === "1" ? [] : ["**/oidc.spec.ts"],
  timeout: 90_000,
  expect: { timeout: 10_000 },
  workers: 1,
  fullyParallel: false,
  retries: 0,
  reporter: [["list"]],
  use: {
    baseURL: process.env.PEERLOG_URL ?? "http://127.0.0.1:8080",
    viewport: { width: 1280, height: 800 },
    locale: "en-GB",
    timezoneId: "Europe/London",
    serviceWorkers: "allow",
    screenshot: "only-on-failure",
    trace: "off",
    launchOptions: {
      executablePath: process.env.PEERLOG_CHROMIUM ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--lang=en-GB",
      ],
    },
  },
  projects: [{ name: "chromium", use: { browserName: "chromium" } }],
});
