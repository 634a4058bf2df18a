// Dates and times as people on a UK ward type and read them: the NHS.UK
// date input's day, month and year fields, a 24-hour time typed as 14:30,
// the console's report periods (calendar months and quarters, the
// financial year from 1 April) and lengths as hours and minutes. Pure
// functions, so the rules are tested without a browser (dates.test.ts).

/** What the three boxes of a date input hold, as typed. */
export interface DateParts {
  day: string;
  month: string;
  year: string;
}

/** A date and a 24-hour time (`14:30`), as typed. */
export interface DateTimeParts extends DateParts {
  time: string;
}

export type DatePart = "day" | "month" | "year";

/** A calendar date (month 1 to 12). */
export interface Ymd {
  y: number;
  m: number;
  d: number;
}

export type DateResult = { ok: true; date: Ymd } | { ok: false; empty: boolean; error: string; parts: DatePart[] };

export const EMPTY_DATE: DateParts = { day: "", month: "", year: "" };
export const EMPTY_DATE_TIME: DateTimeParts = { ...EMPTY_DATE, time: "" };

const MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];
const MONTH_NAMES = MONTHS.map((m) => m.charAt(0).toUpperCase() + m.slice(1));

const pad = (n: number) => String(n).padStart(2, "0");

export function daysInMonth(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

function monthNumber(s: string): number | null {
  const t = s.trim().toLowerCase();
  if (/^\d{1,2}$/.test(t)) return Number(t);
  if (t.length >= 3) {
    const i = MONTHS.findIndex((m) => m.startsWith(t));
    if (i >= 0) return i + 1;
  }
  return null;
}

function joinParts(parts: string[]): string {
  return parts.length < 2 ? parts.join("") : `${parts.slice(0, -1).join(", ")} and ${parts[parts.length - 1]}`;
}

/**
 * Reads the three boxes of a date input, with the NHS.UK pattern's
 * messages: `name` begins them ("The date it ended must include a year").
 * A month may also be typed as its name ("March", "mar").
 */
export function parseDate(p: DateParts, name: string): DateResult {
  const day = p.day.trim();
  const month = p.month.trim();
  const year = p.year.trim();
  if (!day && !month && !year) return { ok: false, empty: true, error: `Enter ${name.replace(/^The /, "the ")}`, parts: ["day"] };
  const missing: DatePart[] = [];
  if (!day) missing.push("day");
  if (!month) missing.push("month");
  if (!year) missing.push("year");
  if (missing.length) {
    const words = missing.map((x) => (x === "day" ? "a day" : x === "month" ? "a month" : "a year"));
    return { ok: false, empty: false, error: `${name} must include ${joinParts(words)}`, parts: missing };
  }
  const bad: DatePart[] = [];
  const d = /^\d{1,2}$/.test(day) ? Number(day) : NaN;
  const m = monthNumber(month);
  if (Number.isNaN(d)) bad.push("day");
  if (m === null) bad.push("month");
  if (!/^\d+$/.test(year)) bad.push("year");
  else if (year.length !== 4)
    return { ok: false, empty: false, error: `The year must have 4 numbers, for example ${new Date().getFullYear()}`, parts: ["year"] };
  if (bad.length)
    return { ok: false, empty: false, error: `${name} must be a real date, for example 27 3 ${new Date().getFullYear()}`, parts: bad };
  const y = Number(year);
  const mm = m as number;
  if (mm < 1 || mm > 12)
    return { ok: false, empty: false, error: `${name} must be a real date: the month is from 1 to 12`, parts: ["month"] };
  if (d < 1 || d > daysInMonth(y, mm)) {
    return {
      ok: false,
      empty: false,
      error: `${name} must be a real date: ${MONTH_NAMES[mm - 1]} ${y} has ${daysInMonth(y, mm)} days`,
      parts: ["day"],
    };
  }
  return { ok: true, date: { y, m: mm, d } };
}

export type TimeResult = { ok: true; h: number; min: number } | { ok: false; empty: boolean; error: string };

/**
 * Reads a time typed in 24-hour form: `14:30`, `14.30`, `1430`, `9:05`
 * (and, for those used to it, `2:30pm`). `name` begins the messages.
 */
export function parseTime(s: string, name: string): TimeResult {
  const t = s.trim().toLowerCase().replace(/\s+/g, "");
  if (!t) return { ok: false, empty: true, error: `Enter ${name.replace(/^The /, "the ")}, for example 14:30` };
  const m = /^(\d{1,2})(?:[:.h]?(\d{2}))?(am|pm)?$/.exec(t);
  const shape = `${name} must be hours and minutes in the 24-hour clock, for example 14:30`;
  if (!m) return { ok: false, empty: false, error: shape };
  let h = Number(m[1]);
  const min = m[2] === undefined ? 0 : Number(m[2]);
  if (m[2] === undefined && !m[3]) return { ok: false, empty: false, error: shape };
  if (m[3]) {
    if (h < 1 || h > 12) return { ok: false, empty: false, error: shape };
    h = (h % 12) + (m[3] === "pm" ? 12 : 0);
  }
  if (h > 23 || min > 59)
    return { ok: false, empty: false, error: `${name} must be a real time: hours from 00 to 23, minutes from 00 to 59` };
  return { ok: true, h, min };
}

/** The boxes of a date input holding a date (the tablet's own day). */
export function datePartsOf(d: Date): DateParts {
  return { day: String(d.getDate()), month: String(d.getMonth() + 1), year: String(d.getFullYear()) };
}

/** The boxes of a date and time holding an instant (the tablet's local time, to the minute). */
export function dateTimePartsOf(d: Date): DateTimeParts {
  return { ...datePartsOf(d), time: `${pad(d.getHours())}:${pad(d.getMinutes())}` };
}

/** The date boxes of an ISO date (`2026-04-01`). */
export function datePartsOfIso(iso: string): DateParts {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return EMPTY_DATE;
  return { day: String(Number(m[3])), month: String(Number(m[2])), year: m[1] };
}

export type DateTimeResult = { ok: true; at: Date } | { ok: false; empty: boolean; error: string; part: DatePart | "time" };

/** Reads a date and a time into an instant, in the tablet's local time. */
export function parseDateTime(p: DateTimeParts, dateName: string, timeName: string): DateTimeResult {
  const date = parseDate(p, dateName);
  const time = parseTime(p.time, timeName);
  if (!date.ok && date.empty && !time.ok && time.empty) return { ok: false, empty: true, error: date.error, part: "day" };
  if (!date.ok) return { ok: false, empty: false, error: date.error, part: date.parts[0] };
  if (!time.ok) return { ok: false, empty: false, error: time.error, part: "time" };
  const { y, m, d } = date.date;
  return { ok: true, at: new Date(y, m - 1, d, time.h, time.min) };
}

export function isoDate(d: Ymd): string {
  return `${d.y}-${pad(d.m)}-${pad(d.d)}`;
}

/** The local calendar date of an instant, as ISO. */
export function isoOf(d: Date): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** An ISO date moved by whole days. */
export function addDays(iso: string, n: number): string {
  const [y, m, d] = iso.split("-").map(Number);
  const t = new Date(Date.UTC(y, m - 1, d + n));
  return `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;
}

/** "1 April 2026" from `2026-04-01`. */
export function dayName(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (!m) return iso;
  return `${Number(m[3])} ${MONTH_NAMES[Number(m[2]) - 1]} ${m[1]}`;
}

/** "October 2026" from `2026-10` (or `2026-10-01`). */
export function monthName(ym: string): string {
  const m = /^(\d{4})-(\d{2})/.exec(ym);
  if (!m) return ym;
  return `${MONTH_NAMES[Number(m[2]) - 1]} ${m[1]}`;
}

/** "Oct 2026": a month short enough for a chart's axis. */
export function shortMonthName(ym: string): string {
  const m = /^(\d{4})-(\d{2})/.exec(ym);
  if (!m) return ym;
  return `${MONTH_NAMES[Number(m[2]) - 1].slice(0, 3)} ${m[1]}`;
}

/** "28 Sep 2026": a week by its Monday, short enough for a chart's axis. */
export function shortDayName(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (!m) return iso;
  return `${Number(m[3])} ${MONTH_NAMES[Number(m[2]) - 1].slice(0, 3)} ${m[1]}`;
}

/** Minutes as hours and minutes: "45 min", "3 h 05 min", "2 h 00 min". */
export function hoursMinutes(minutes: number): string {
  const total = Math.round(minutes);
  const sign = total < 0 ? "−" : "";
  const m = Math.abs(total);
  if (m < 60) return `${sign}${m} min`;
  return `${sign}${Math.floor(m / 60)} h ${pad(m % 60)} min`;
}

/** Hours (a decimal, as some reports give them) as hours and minutes. */
export function hoursAsHoursMinutes(hours: number): string {
  return hoursMinutes(hours * 60);
}

/** A report period: first and last day, both included. */
export interface Period {
  label: string;
  from: string;
  to: string;
}

/**
 * The console's period shortcuts for a given day: last calendar month,
 * last calendar quarter, this and last financial year (1 April to
 * 31 March). Days are included at both ends.
 */
export function periodShortcuts(today: Date): Period[] {
  const y = today.getFullYear();
  const m = today.getMonth() + 1; // 1..12
  const lastMonth = m === 1 ? { y: y - 1, m: 12 } : { y, m: m - 1 };
  const q = Math.floor((m - 1) / 3); // 0..3, this quarter
  const lq = q === 0 ? { y: y - 1, q: 3 } : { y, q: q - 1 };
  const lqStart = lq.q * 3 + 1;
  const fy = m >= 4 ? y : y - 1; // this financial year starts 1 April fy
  const monthEnd = (yy: number, mm: number) => isoDate({ y: yy, m: mm, d: daysInMonth(yy, mm) });
  return [
    { label: "Last month", from: isoDate({ ...lastMonth, d: 1 }), to: monthEnd(lastMonth.y, lastMonth.m) },
    { label: "Last quarter", from: isoDate({ y: lq.y, m: lqStart, d: 1 }), to: monthEnd(lq.y, lqStart + 2) },
    { label: "This financial year", from: `${fy}-04-01`, to: `${fy + 1}-03-31` },
    { label: "Last financial year", from: `${fy - 1}-04-01`, to: `${fy}-03-31` },
  ];
}

/** The default report period: the year up to and including today. */
export function yearToToday(today: Date): { from: string; to: string } {
  const to = isoOf(today);
  return { from: addDays(`${today.getFullYear() - 1}-${to.slice(5)}`.replace("-02-29", "-02-28"), 1), to };
}

/** "1 April 2026 to 31 March 2027". */
export function periodName(from: string, to: string): string {
  return `${dayName(from)} to ${dayName(to)}`;
}

/** The ISO date a valid `YYYY-MM-DD` query value holds, or null. */
export function validIso(s: string | undefined): string | null {
  if (!s) return null;
  const r = parseDate(datePartsOfIso(s), "The date");
  return r.ok ? isoDate(r.date) : null;
}

/**
 * A report period from the console's two date inputs, both days included.
 * Errors are keyed by the box at fault (`from@day`, `to@year`), or `to`
 * alone when the period ends before it starts.
 */
export function readPeriod(from: DateParts, to: DateParts): { period?: { from: string; to: string }; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const f = parseDate(from, "The first day of the period");
  const t = parseDate(to, "The last day of the period");
  if (!f.ok) errors[`from@${f.parts[0]}`] = f.error;
  if (!t.ok) errors[`to@${t.parts[0]}`] = t.error;
  if (!f.ok || !t.ok) return { errors };
  const period = { from: isoDate(f.date), to: isoDate(t.date) };
  if (period.to < period.from) return { errors: { "to@day": "The last day of the period must be the same as or after the first day" } };
  return { period, errors };
}
