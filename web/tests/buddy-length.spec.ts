// The Buddy Scheme coordinator plans a meeting with its length, sees it in
// the series, and gives the student and buddy a calendar invitation that
// ends when the meeting does, and a cancellation under the same UID.
import { expect, type Page } from "@playwright/test";
import { readFileSync } from "node:fs";
import { test, Api, expectAccessible, randomUUID, shot, signIn } from "./helpers";

/** The iCalendar text unfolded (RFC 5545 folds lines at 75 octets). */
async function download(page: Page, link: string): Promise<string> {
  const [file] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: link }).click()]);
  const text = readFileSync(await file.path(), "utf8");
  for (const line of text.split("\r\n")) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
  return text.replace(/\r\n /g, "");
}

const field = (ics: string, name: string) => ics.match(new RegExp(`^${name}(;[^:]*)?:(.*)$`, "m"))?.[2];

for (const [orientation, viewport] of [
  ["landscape", { width: 1024, height: 768 }],
  ["portrait", { width: 768, height: 1024 }],
] as const) {
  test(`a coordinator plans a 45-minute meeting and its calendar invitation ends 45 minutes later (${orientation})`, async ({
    page,
    request,
  }) => {
    await page.setViewportSize(viewport);
    const co = await Api.as(request, "coordinator");
    const run = randomUUID().slice(0, 8);
    const [cohort] = (await co.get("/api/v1/buddy/cohorts")).items;
    const student = await co.post("/api/v1/buddy/students", {
      cohort_id: cohort.id,
      full_name: `Lee Student ${run}`,
      email: `lee.${run}@students.example.ac.uk`,
    });
    const buddy = await co.post("/api/v1/buddy/buddies", {
      full_name: `Ash Buddy ${run}`,
      buddy_type: "carer",
      volunteer_status: "registered",
      volunteer_verified_on: new Date(Date.now() - 86400_000).toISOString().slice(0, 10),
      capacity: 1,
    });
    const pairing = await co.post("/api/v1/buddy/pairings", { student_id: student.id, buddy_id: buddy.id, planned_meetings: 3 });
    await co.post(`/api/v1/buddy/pairings/${pairing.id}/status`, { status: "active" });

    await signIn(page, "coordinator");
    await page.goto(`/#/console/buddy/pairing/${pairing.id}`);
    await expect(page.getByRole("heading", { level: 1, name: `${student.full_name} with ${buddy.full_name}` })).toBeVisible();
    let taps = 0;
    const when = page.getByRole("group", { name: "When", exact: true });
    await when.getByLabel("Time").fill("14:30");
    await page.getByLabel("Telephone").check();
    taps++;
    // An hour unless the coordinator says otherwise.
    const length = page.getByRole("group", { name: /^How long/ });
    await expect(length.getByLabel("1 hour", { exact: true })).toBeChecked();

    // Ten minutes is too short: the summary says what is allowed.
    await length.getByLabel("Another length").check();
    await page.getByLabel("Length in minutes").fill("10");
    await page.getByRole("button", { name: "Plan meeting" }).click();
    const refused = page
      .getByRole("alert")
      .getByRole("link", { name: "Enter a length from 15 minutes to 4 hours (240 minutes), in whole minutes" });
    await expect(refused).toBeVisible();
    await expect.poll(() => page.evaluate(() => !!document.activeElement?.querySelector("[role=alert]"))).toBe(true);
    await expectAccessible(page, `a meeting length refused (${orientation})`);
    await refused.click();
    await expect(page.getByLabel("Length in minutes")).toBeFocused();

    await length.getByLabel("45 minutes").check();
    taps++;
    await page.getByRole("button", { name: "Plan meeting" }).click();
    taps++;
    await expect(page.getByText("Meeting planned")).toBeVisible();
    console.log(`[taps] coordinator, a telephone meeting of 45 minutes (date, time typed): ${taps} taps (${orientation})`);
    const series = page.getByRole("table", { name: "The meeting series" });
    await expect(series.getByRole("row", { name: /Meeting 1/ })).toContainText("for 45 minutes");
    await expectAccessible(page, `a meeting planned with its length (${orientation})`);
    await page.getByRole("heading", { level: 2, name: "Meetings" }).evaluate((h) => h.scrollIntoView());
    await shot(page, `26c-console-meeting-length-${orientation}`);

    const invite = await download(page, "Add to calendar for meeting 1 (.ics)");
    expect(field(invite, "METHOD")).toBe("REQUEST");
    const start = field(invite, "DTSTART") ?? "";
    expect(start).toMatch(/T\d{4}00Z$/);
    const at = (s: string) => Date.parse(s.replace(/^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/, "$1-$2-$3T$4:$5:$6Z"));
    expect(at(field(invite, "DTEND") ?? "") - at(start)).toBe(45 * 60_000);
    expect(invite).toMatch(/^ORGANIZER;CN=Casey Coordinator:urn:uuid:/m);
    expect(invite).toContain(`ATTENDEE;CN=${student.full_name};CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT:mailto:${student.email}`);
    expect(invite).toMatch(new RegExp(`^ATTENDEE;CN=${buddy.full_name};CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT:urn:uuid:`, "m"));
    if (orientation === "portrait") return;

    // Moved to 16:00 and made longer: the invitation keeps its UID, its
    // SEQUENCE rises, and it ends 1 hour 30 minutes after its new start.
    await page.getByRole("button", { name: "Change the time or length of meeting 1" }).click();
    await expect(page.getByRole("heading", { level: 3, name: "Change meeting 1" })).toBeFocused();
    await expect(
      page
        .getByRole("group", { name: /^How long/ })
        .nth(0)
        .getByLabel("45 minutes"),
    ).toBeChecked();
    await page.getByRole("group", { name: "When", exact: true }).first().getByLabel("Time").fill("16:00");
    await page
      .getByRole("group", { name: /^How long/ })
      .first()
      .getByLabel("1 hour 30 minutes")
      .check();
    await expectAccessible(page, "changing a meeting");
    await page.getByRole("heading", { level: 3, name: "Change meeting 1" }).evaluate((h) => h.scrollIntoView());
    await shot(page, "26e-console-meeting-change");
    await page.getByRole("button", { name: "Save changes to meeting 1" }).click();
    await expect(page.getByText(/Meeting 1 changed/)).toBeVisible();
    await expect(series.getByRole("row", { name: /Meeting 1/ })).toContainText("16:00");
    await expect(series.getByRole("row", { name: /Meeting 1/ })).toContainText("for 1 hour 30 minutes");
    await expectAccessible(page, "a meeting moved");
    await shot(page, "26d-console-meeting-moved");
    const moved = await download(page, "Add to calendar for meeting 1 (.ics)");
    expect(field(moved, "METHOD")).toBe("REQUEST");
    expect(field(moved, "UID")).toBe(field(invite, "UID"));
    expect(Number(field(moved, "SEQUENCE"))).toBeGreaterThan(Number(field(invite, "SEQUENCE")));
    expect(field(moved, "DTSTART")).not.toBe(start);
    expect(at(field(moved, "DTEND") ?? "") - at(field(moved, "DTSTART") ?? "")).toBe(90 * 60_000);

    // Cancelled: the same UID, a higher SEQUENCE, METHOD:CANCEL.
    const [meeting] = (await co.get(`/api/v1/buddy/pairings/${pairing.id}/meetings`)).items;
    await co.patch(`/api/v1/buddy/meetings/${meeting.id}`, { status: "cancelled_by_coordinator" }, "*");
    await page.reload();
    const cancel = await download(page, "Cancellation for meeting 1 (.ics)");
    expect(field(cancel, "METHOD")).toBe("CANCEL");
    expect(field(cancel, "STATUS")).toBe("CANCELLED");
    expect(field(cancel, "UID")).toBe(field(invite, "UID"));
    expect(Number(field(cancel, "SEQUENCE"))).toBeGreaterThan(Number(field(moved, "SEQUENCE")));
  });
}
