import { expect } from "@playwright/test";
import { test, Api, expectAccessible, openWard, randomUUID, signIn } from "./helpers";

test("a worker never sees another ward's records in the app", async ({ page, request }) => {
  const psw2 = await Api.as(request, "psw2");
  const other = psw2.ward("CAMHS-WILLOW");
  const theirs = await psw2.oneToOne(other.id, `e2e scoping ${randomUUID().slice(0, 8)}`);
  const psw = await Api.as(request, "psw");
  expect(await psw.status(`/api/v1/activities/${theirs.id}`)).toBe(404);

  await signIn(page, "psw");
  // psw's wards list only their own.
  await page.goto("/#/wards");
  await expect(page.getByRole("heading", { name: "Choose a ward" })).toBeVisible();
  await expectAccessible(page, "choose a ward");
  await expect(page.getByRole("link", { name: other.name })).toHaveCount(0);
  for (const code of ["ADULT-ASH", "ADULT-BIRCH"]) {
    await openWard(page, psw.ward(code));
    await expect(page.locator(`a[href="#/activity/${theirs.id}"]`)).toHaveCount(0);
  }

  // Not by its URL either.
  await page.goto(`/#/activity/${theirs.id}`);
  await expect(page.getByRole("heading", { name: "Record not found" })).toBeVisible();
  await expect(page.getByText(theirs.note)).toHaveCount(0);
  await expectAccessible(page, "record not found");

  // Nor the other ward's page.
  await page.goto(`/#/ward/${other.id}`);
  await expect(page.getByRole("heading", { name: "Ward not found" })).toBeVisible();

  // Its record form says the true reason: not their ward (they are a
  // peer support worker, who records on their own wards).
  await page.goto(`/#/ward/${other.id}/record/one_to_one`);
  await expect(page.getByRole("heading", { name: "You cannot record activities here" })).toBeVisible();
  await expect(page.getByText("This ward is not one of yours")).toBeVisible();
  await expect(page.getByText("Only peer support workers")).toHaveCount(0);
});
