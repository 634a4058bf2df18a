import { describe, expect, it } from "vitest";
import { personLabels, type Person } from "./people";

const js1: Person = { id: "a", display_label: "J.S.", reference: "RX4-000123", bed_or_bay: "Bay 2" };
const js2: Person = { id: "b", display_label: "JS", reference: "RX4-000456", bed_or_bay: "Bed 14" };
const ak: Person = { id: "c", display_label: "A.K.", reference: "RX4-000789", bed_or_bay: "Bay 1" };

describe("person labels", () => {
  it("shows initials alone where nobody else on the ward shares them", () => {
    const labels = personLabels([js1, ak], "reference");
    expect(labels.get("a")).toBe("J.S.");
    expect(labels.get("c")).toBe("A.K.");
  });

  it("adds the reference's last 3 characters where initials clash, however they are written", () => {
    const labels = personLabels([js1, js2, ak], "reference");
    expect(labels.get("a")).toBe("J.S. (ref ending 123)");
    expect(labels.get("b")).toBe("JS (ref ending 456)");
    expect(labels.get("c")).toBe("A.K.");
  });

  it("takes more of the reference where two end alike", () => {
    const labels = personLabels([js1, { ...js2, reference: "RX4-100123" }], "reference");
    expect(labels.get("a")).toBe("J.S. (ref ending 000123)");
    expect(labels.get("b")).toBe("JS (ref ending 100123)");
  });

  it("shows the bed or bay when the trust chose it, and the reference for anyone sent without one", () => {
    const labels = personLabels([js1, js2, { ...js1, id: "d", reference: "RX4-000999", bed_or_bay: null }], "bed_or_bay");
    expect(labels.get("a")).toBe("J.S. (Bay 2)");
    expect(labels.get("b")).toBe("JS (Bed 14)");
    expect(labels.get("d")).toBe("J.S. (ref ending 999)");
  });

  it("never shows anything but the label and the chosen disambiguator", () => {
    const labels = personLabels([js1, js2], "bed_or_bay");
    for (const label of labels.values()) expect(label).not.toMatch(/\d{10}/);
  });
});
