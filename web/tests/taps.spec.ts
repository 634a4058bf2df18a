import { expect, type Locator } from "@playwright/test";
import { test, Api, fieldLabel, humanise, KINDS, openWard, signIn } from "./helpers";

// How many taps a worker needs to record each of the twelve kinds in one
// pass, from the ward's page, with the fewest answers the rules allow: the
// required questions answered once each, the defaults kept ("just now"),
// nothing optional. Every tap is a real click; a typed answer counts one
// tap (to focus it) and is also counted as typed. Each record must be
// stored by the server on the first Save. The figures are printed, for
// the closing note; this file runs unchanged on an older build.
test.use({ viewport: { width: 768, height: 1024 } });

test("taps to record each of the twelve kinds in one pass", async ({ page, request }) => {
  const api = await Api.as(request, "psw");
  const ward = api.ward("ADULT-ASH");
  const since = new Date();
  await signIn(page, "psw");
  await openWard(page, ward);

  let taps = 0;
  let typed = 0;
  const tap = async (l: Locator) => {
    await l.click();
    taps++;
  };
  const type = async (l: Locator, text: string) => {
    await l.click();
    taps++;
    typed++;
    await page.keyboard.type(text);
  };

  const rows: string[] = [];
  let total = 0;
  for (const kind of Object.keys(KINDS)) {
    taps = 0;
    typed = 0;
    await tap(page.getByRole("link", { name: "Record another kind of activity" }));
    await tap(page.getByRole("link", { name: humanise(kind), exact: true }));
    await expect(page.getByRole("heading", { level: 1, name: humanise(kind) })).toBeVisible();
    const chosen = taps;

    const who = page.getByRole("group", { name: /^Who was involved\?$/ });
    if (await who.count()) {
      const boxes = who.getByRole("checkbox");
      await tap((await boxes.count()) ? boxes.first() : who.getByRole("radio").first());
    }
    await tap(page.getByRole("group", { name: /^How long (did it last|were you off the ward)\?$/ }).getByLabel("15 minutes"));
    for (const f of KINDS[kind].fields) {
      if (!f.required) continue;
      const label = fieldLabel(f.name);
      const group = page.getByRole("group", { name: label, exact: true });
      switch (f.type) {
        case "enum":
          await tap(group.getByRole("radio").first());
          break;
        case "enum[]":
          await tap(group.getByRole("checkbox").first());
          break;
        case "boolean":
          await tap(group.getByRole("radio", { name: "No" }));
          break;
        case "date-time": {
          const quick = page.getByRole("group", { name: `Quick times for: ${label}` });
          if (await quick.count()) await tap(quick.getByRole("button", { name: "Same as start time" }));
          break;
        }
        case "integer":
          await type(page.getByLabel(label), "2");
          break;
        case "string":
          await type(page.getByLabel(label), f.name === "escalated_to" ? "Charge nurse J. Okafor" : "Dr Patel (RC)");
          break;
      }
    }
    await tap(page.getByRole("button", { name: "Save" }));
    await expect(page.getByText(`${humanise(kind)} saved`)).toBeVisible();
    await expect(page.getByRole("heading", { level: 1, name: ward.name })).toBeVisible();
    rows.push(`${kind}: ${taps} taps (${taps - chosen} on the form, ${typed} typed)`);
    total += taps;
  }
  console.log(`taps per kind, from the ward's page to saved:\n  ${rows.join("\n  ")}\n  all twelve: ${total} taps`);

  // Each was stored, once, on the first Save.
  await expect(async () => {
    const mine = (await api.activitiesSince(ward.id, since)).filter(
      (a) => a.recorded_by === api.me.id && Date.parse(a.recorded_at ?? a.created_at ?? a.started_at) >= since.getTime() - 60_000,
    );
    expect(new Set(mine.map((a) => a.kind))).toEqual(new Set(Object.keys(KINDS)));
  }).toPass({ timeout: 30_000 });
});
