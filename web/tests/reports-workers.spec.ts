// A manager's quarterly question, "how many hours did each worker give last
// quarter, and how many people did they support?", answered on the reports
// screen's "By worker" table; and the ward overview keeping the period.
import { expect, type Locator } from "@playwright/test";
import { addDays, hoursMinutes } from "../src/lib/dates";
import { test, Api, expectAccessible, shot, signIn } from "./helpers";

async function cells(table: Locator): Promise<string[][]> {
  return table
    .locator("tr")
    .evaluateAll((rows) => rows.map((r) => Array.from(r.querySelectorAll("th,td"), (c) => (c.textContent ?? "").trim())));
}

interface Row {
  worker_name: string;
  minutes: number;
  activities: number;
  service_users: number;
}

/** The table as the API's figures say it should read, name order. */
function expected(rows: Row[]): string[][] {
  return [...rows]
    .sort((a, b) => a.worker_name.localeCompare(b.worker_name))
    .map((r) => [r.worker_name, hoursMinutes(r.minutes), String(r.activities), String(r.service_users)]);
}

for (const [orientation, viewport] of [
  ["landscape", { width: 1024, height: 768 }],
  ["portrait", { width: 768, height: 1024 }],
] as const) {
  test(`a manager reads each worker's hours, contacts and people for last quarter (${orientation})`, async ({ page, request }) => {
    await page.setViewportSize(viewport);
    const api = await Api.as(request, "manager");
    await signIn(page, "manager");
    let taps = 0;
    await page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Reports" }).click();
    taps++;
    await page.getByRole("navigation", { name: "Report periods" }).getByRole("link", { name: "Last quarter" }).click();
    taps++;
    await expect(page).toHaveURL(/from=\d{4}-\d\d-01&to=\d{4}-\d\d-\d\d/);
    await expect(page.getByRole("heading", { level: 2, name: "By worker" })).toBeVisible();
    console.log(`[taps] manager, hours and people per worker for last quarter: ${taps} taps (${orientation})`);
    // The demo's records cover the last three weeks, which the quarter
    // before this one may not hold: the figures are checked over this
    // financial year, one tap away.
    const quarter = await page.getByRole("heading", { level: 2, name: "By worker" }).evaluate((h) => h.nextElementSibling?.textContent);
    expect(quarter).toBeTruthy();
    await page.getByRole("navigation", { name: "Report periods" }).getByRole("link", { name: "This financial year" }).click();
    await expect(page).toHaveURL(/from=\d{4}-04-01&to=\d{4}-03-31/);
    const url = new URL(page.url().replace("#/console/reports", ""));
    const from = url.searchParams.get("from") ?? "";
    const last = url.searchParams.get("to") ?? "";
    const q = `from=${from}&to=${addDays(last, 1)}`;

    const table = page.getByRole("table", { name: "Hours, contacts and people supported by worker, whole period" });
    await expect(table.locator("tfoot")).toBeVisible();
    const byWorker = (await api.get(`/api/v1/reports/activity-summary?${q}&group_by=worker`)).rows as Row[];
    expect(byWorker.length, "workers recorded activities last quarter").toBeGreaterThan(0);
    const whole = (await api.get(`/api/v1/reports/activity-summary?${q}`)).rows[0] as Row;
    await expect(table.locator("tfoot td").last()).not.toHaveText("…");
    const grid = await cells(table);
    expect(grid[0]).toEqual(["Worker", "Time of peer support", "Contacts", "People supported"]);
    expect(grid.slice(1, -1)).toEqual(expected(byWorker));
    // Hours as hours and minutes ("3 h 05 min").
    for (const r of grid.slice(1)) expect(r[1]).toMatch(/^(\d+ h \d\d min|\d+ min)$/);
    // The last row counts each activity and each person once, from the
    // report without grouping: never the sum of the workers' rows.
    expect(grid[grid.length - 1]).toEqual([
      "All wards, each once",
      hoursMinutes(whole.minutes),
      String(whole.activities),
      String(whole.service_users),
    ]);
    await page.getByRole("heading", { level: 2, name: "By worker" }).evaluate((h) => h.scrollIntoView());
    await expectAccessible(page, `reports by worker (${orientation})`);
    await shot(page, `21c-console-reports-by-worker-${orientation}`);
    if (orientation === "portrait") return;

    // One ward: the same table for that ward alone, its last row "Total".
    const wards = (await api.get("/api/v1/wards?limit=200")).items as { id: string; code: string; name: string }[];
    const ash = wards.find((w) => w.code === "ADULT-ASH")!;
    await page.getByLabel("Ward", { exact: true }).selectOption({ label: ash.name });
    await page.getByRole("button", { name: "Show the report" }).click();
    await expect(page).toHaveURL(new RegExp(`from=${from}&to=${last}&ward_id=${ash.id}`));
    const ashRows = (await api.get(`/api/v1/reports/activity-summary?${q}&ward_id=${ash.id}&group_by=worker`)).rows as Row[];
    const ashWhole = (await api.get(`/api/v1/reports/activity-summary?${q}&ward_id=${ash.id}`)).rows[0] as Row | undefined;
    await expect
      .poll(async () => (await cells(table)).at(-1))
      .toEqual([
        "Total, each once",
        hoursMinutes(ashWhole?.minutes ?? 0),
        String(ashWhole?.activities ?? 0),
        String(ashWhole?.service_users ?? 0),
      ]);
    expect((await cells(table)).slice(1, -1)).toEqual(expected(ashRows));

    // The ward's overview keeps the period in its link, and its way back
    // returns to the same period without choosing it again.
    await page.getByRole("link", { name: ash.name, exact: true }).click();
    await expect(page.getByRole("heading", { level: 1, name: ash.name })).toBeVisible();
    await expect(page).toHaveURL(new RegExp(`from=${from}&to=${last}`));
    await page.getByRole("link", { name: /Next month/ }).click();
    await expect(page).toHaveURL(new RegExp(`from=${from}&to=${last}`));
    await expectAccessible(page, "ward overview with the report's period");
    await page.locator(".nhsuk-back-link").click();
    await expect(page.getByRole("heading", { level: 1, name: "Reports" })).toBeVisible();
    await expect(page).toHaveURL(new RegExp(`#/console/reports\\?from=${from}&to=${last}$`));
    await expect(
      page.getByRole("navigation", { name: "Report periods" }).getByRole("link", { name: "This financial year" }),
    ).toHaveAttribute("aria-current", "true");
  });
}
