// How long a Buddy Scheme meeting is planned to last: the form's quick
// choices, what the coordinator typed as another length, and how the series
// names a length. The server allows 15 to 240 minutes.

/** The usual lengths of a meeting, in minutes, and "another length". */
export const LENGTHS = [
  { value: "30", label: "30 minutes" },
  { value: "45", label: "45 minutes" },
  { value: "60", label: "1 hour" },
  { value: "90", label: "1 hour 30 minutes" },
  { value: "120", label: "2 hours" },
];

/** A length in minutes as the form reads it: 15 to 240 whole minutes. */
export function readLength(choice: string, other: string): { minutes: number } | { error: string } {
  const text = choice === "other" ? other.trim() : choice;
  if (choice === "other" && !text) return { error: "Enter the length of the meeting in minutes, from 15 to 240" };
  const minutes = Number(text);
  if (!/^\d+$/.test(text) || minutes < 15 || minutes > 240)
    return { error: "Enter a length from 15 minutes to 4 hours (240 minutes), in whole minutes" };
  return { minutes };
}

/** 45 → "45 minutes", 90 → "1 hour 30 minutes". */
export function lengthName(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  const hours = h === 0 ? "" : h === 1 ? "1 hour" : `${h} hours`;
  const mins = m === 0 ? "" : `${m} minute${m === 1 ? "" : "s"}`;
  return [hours, mins].filter(Boolean).join(" ") || "0 minutes";
}
