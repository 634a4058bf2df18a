// How the tablet names a person: their initials (the trust's display
// label), and where two people on the ward share initials, a short
// disambiguator the trust chose (PEERLOG_PERSON_DISAMBIGUATOR, read from
// /api/v1/app-config): the bed or bay the trust sends, or the last
// characters of the trust's reference. Only on a clash, so the label most
// people see stays the initials alone and the tablet shows no more than it
// must. Never a name, never an NHS number (the ward's list carries none).

export type Disambiguator = "reference" | "bed_or_bay";

export interface Person {
  id: string;
  display_label: string;
  reference: string;
  bed_or_bay?: string | null;
}

/** Initials compared as a person reads them: "J.S.", "JS" and "j s" clash. */
function initialsKey(label: string): string {
  return label.replace(/[^\p{L}\p{N}]/gu, "").toUpperCase();
}

/** The shortest ending of `ref`, at least 3 characters, that no other
 * reference in `others` ends with. */
function distinctEnding(ref: string, others: string[]): string {
  for (let n = 3; n < ref.length; n++) {
    const end = ref.slice(-n);
    if (!others.some((o) => o.endsWith(end))) return end;
  }
  return ref;
}

/** Each person's label among `people` (the ward's service users). */
export function personLabels(people: Person[], how: Disambiguator): Map<string, string> {
  const groups = new Map<string, Person[]>();
  for (const p of people) {
    const key = initialsKey(p.display_label);
    groups.set(key, [...(groups.get(key) ?? []), p]);
  }
  const out = new Map<string, string>();
  for (const group of groups.values()) {
    for (const p of group) {
      if (group.length < 2) {
        out.set(p.id, p.display_label);
        continue;
      }
      const others = group.filter((o) => o.id !== p.id);
      const place = p.bed_or_bay?.trim();
      if (how === "bed_or_bay" && place && !others.some((o) => o.bed_or_bay?.trim() === place)) {
        out.set(p.id, `${p.display_label} (${place})`);
      } else {
        const ending = distinctEnding(
          p.reference,
          others.map((o) => o.reference),
        );
        out.set(p.id, `${p.display_label} (ref ending ${ending})`);
      }
    }
  }
  return out;
}

const kept = new WeakMap<Person[], { how: Disambiguator; labels: Map<string, string> }>();

/** `personLabels`, worked out once per list of people. */
export function labelsOf(people: Person[], how: Disambiguator): Map<string, string> {
  const have = kept.get(people);
  if (have && have.how === how) return have.labels;
  const labels = personLabels(people, how);
  kept.set(people, { how, labels });
  return labels;
}
