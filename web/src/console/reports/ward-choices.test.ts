// The ward filter a manager sees: closed wards out of the way, and two
// wards with the same name told apart by their codes.
import { describe, expect, it } from "vitest";
import { wardChoices, wardLabel } from "./ward-choices";

const ward = (id: string, name: string, code: string, active = true) => ({ id, name, code, active });
const WARDS = [
  ward("1", "Willow Ward", "CAMHS-WILLOW"),
  ward("2", "Ash Ward", "ADULT-ASH"),
  ward("3", "Willow Ward", "OA-WILLOW"),
  ward("4", "Birch Ward", "ADULT-BIRCH", false),
];

describe("wardChoices", () => {
  it("hides inactive wards unless asked, and names twins by their code", () => {
    expect(wardChoices(WARDS, false, "").map((o) => o.text)).toEqual([
      "All your wards",
      "Ash Ward",
      "Willow Ward (CAMHS-WILLOW)",
      "Willow Ward (OA-WILLOW)",
    ]);
    expect(wardChoices(WARDS, true, "").map((o) => o.text)).toContain("Birch Ward (inactive)");
  });

  it("keeps the chosen ward even when it is inactive", () => {
    expect(wardChoices(WARDS, false, "4").map((o) => o.value)).toEqual(["", "2", "4", "1", "3"]);
  });

  it("compares names without case or spaces around them", () => {
    expect(wardLabel(ward("5", "ash ward ", "X"), [...WARDS, ward("5", "ash ward ", "X")])).toBe("ash ward  (X)");
  });
});
