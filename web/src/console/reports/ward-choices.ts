// The ward filter's choices: open wards only unless asked for inactive
// ones too (the ward already chosen stays), and a ward's code beside its
// name wherever two wards share a name. Pure, so it is unit-tested.
import type { Ward } from "../../api/client";

type Named = Pick<Ward, "id" | "name" | "code" | "active">;

const key = (name: string) => name.trim().toLowerCase();

/** "Ash Ward", or "Ash Ward (ADULT-ASH)" when another ward is also called Ash Ward. */
export function wardLabel(w: Named, all: Named[]): string {
  const twin = all.some((o) => o.id !== w.id && key(o.name) === key(w.name));
  return twin ? `${w.name} (${w.code})` : w.name;
}

/** The options of the ward select, by name, after "All your wards". */
export function wardChoices(wards: Named[], showInactive: boolean, selected: string): { value: string; text: string }[] {
  const shown = wards
    .filter((w) => w.active || showInactive || w.id === selected)
    .sort((a, b) => a.name.localeCompare(b.name) || a.code.localeCompare(b.code));
  return [
    { value: "", text: "All your wards" },
    ...shown.map((w) => ({ value: w.id, text: `${wardLabel(w, wards)}${w.active ? "" : " (inactive)"}` })),
  ];
}
