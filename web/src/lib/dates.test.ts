// Dates as a ward types them and a manager reads them: the day, month and
// year boxes (29 February, impossible days, missing parts), 24-hour times,
// the period shortcuts across the turn of the financial year, and minutes
// as hours and minutes.
import { describe, expect, it } from "vitest";
import {
  addDays,
  hoursMinutes,
  monthName,
  parseDate,
  parseDateTime,
  parseTime,
  periodShortcuts,
  readPeriod,
  validIso,
  yearToToday,
} from "./dates";

const D = (day: string, month: string, year: string) => ({ day, month, year });

describe("parseDate", () => {
  it("reads a date in UK order, with or without leading zeros, and a month by name", () => {
    expect(parseDate(D("4", "12", "2026"), "The date")).toEqual({ ok: true, date: { y: 2026, m: 12, d: 4 } });
    expect(parseDate(D("04", "03", "2026"), "The date")).toEqual({ ok: true, date: { y: 2026, m: 3, d: 4 } });
    expect(parseDate(D("4", "March", "2026"), "The date")).toEqual({ ok: true, date: { y: 2026, m: 3, d: 4 } });
    expect(parseDate(D(" 4 ", "mar", "2026"), "The date")).toEqual({ ok: true, date: { y: 2026, m: 3, d: 4 } });
  });

  it("accepts 29 February only in a leap year", () => {
    expect(parseDate(D("29", "2", "2028"), "The date").ok).toBe(true);
    expect(parseDate(D("29", "2", "2000"), "The date").ok).toBe(true);
    const r = parseDate(D("29", "2", "2026"), "The date it ended");
    expect(r).toEqual({
      ok: false,
      empty: false,
      error: "The date it ended must be a real date: February 2026 has 28 days",
      parts: ["day"],
    });
    expect(parseDate(D("29", "2", "2100"), "The date").ok).toBe(false);
  });

  it("refuses impossible days and months, naming the box at fault", () => {
    expect(parseDate(D("31", "4", "2026"), "The date")).toMatchObject({ ok: false, parts: ["day"], error: /April 2026 has 30 days/ });
    expect(parseDate(D("0", "4", "2026"), "The date")).toMatchObject({ ok: false, parts: ["day"] });
    expect(parseDate(D("1", "13", "2026"), "The date")).toMatchObject({ ok: false, parts: ["month"], error: /month is from 1 to 12/ });
    expect(parseDate(D("a", "b", "2026"), "The date")).toMatchObject({ ok: false, parts: ["day", "month"], error: /must be a real date/ });
  });

  it("says which parts are missing, and when it is empty", () => {
    expect(parseDate(D("", "", ""), "The date it ended")).toMatchObject({ ok: false, empty: true, error: "Enter the date it ended" });
    expect(parseDate(D("4", "", ""), "The date")).toMatchObject({
      error: "The date must include a month and a year",
      parts: ["month", "year"],
    });
    expect(parseDate(D("", "12", "2026"), "The date")).toMatchObject({ error: "The date must include a day", parts: ["day"] });
  });

  it("asks for a year of 4 numbers", () => {
    expect(parseDate(D("4", "12", "26"), "The date")).toMatchObject({ ok: false, parts: ["year"], error: /4 numbers/ });
  });
});

describe("parseTime", () => {
  it("reads the 24-hour clock however it is typed", () => {
    for (const [typed, h, min] of [
      ["14:30", 14, 30],
      ["14.30", 14, 30],
      ["1430", 14, 30],
      ["9:05", 9, 5],
      ["0905", 9, 5],
      ["00:00", 0, 0],
      ["23:59", 23, 59],
      ["2:30pm", 14, 30],
      ["12am", 0, 0],
    ] as const) {
      expect(parseTime(typed, "The time"), typed).toEqual({ ok: true, h, min });
    }
  });

  it("refuses what is not a time, in plain words", () => {
    expect(parseTime("", "The time it ended")).toEqual({ ok: false, empty: true, error: "Enter the time it ended, for example 14:30" });
    expect(parseTime("24:00", "The time")).toMatchObject({ ok: false, error: /hours from 00 to 23/ });
    expect(parseTime("12:60", "The time")).toMatchObject({ ok: false, error: /minutes from 00 to 59/ });
    expect(parseTime("14", "The time")).toMatchObject({ ok: false, error: /for example 14:30/ });
    expect(parseTime("half two", "The time")).toMatchObject({ ok: false });
  });
});

describe("parseDateTime", () => {
  it("gives the local instant, or the first box at fault", () => {
    const r = parseDateTime({ day: "4", month: "12", year: "2026", time: "14:30" }, "The date", "The time");
    expect(r.ok && r.at.getTime()).toBe(new Date(2026, 11, 4, 14, 30).getTime());
    expect(parseDateTime({ day: "4", month: "12", year: "2026", time: "" }, "The date", "The time")).toMatchObject({
      ok: false,
      part: "time",
    });
    expect(parseDateTime({ day: "", month: "12", year: "2026", time: "10:00" }, "The date", "The time")).toMatchObject({ part: "day" });
    expect(parseDateTime({ day: "", month: "", year: "", time: "" }, "The date", "The time")).toMatchObject({ empty: true });
  });
});

describe("periodShortcuts", () => {
  const byLabel = (today: Date) => Object.fromEntries(periodShortcuts(today).map((p) => [p.label, [p.from, p.to]]));

  it("in December: last month, the quarter before, and the financial year that began in April", () => {
    expect(byLabel(new Date(2026, 11, 5))).toEqual({
      "Last month": ["2026-11-01", "2026-11-30"],
      "Last quarter": ["2026-07-01", "2026-09-30"],
      "This financial year": ["2026-04-01", "2027-03-31"],
      "Last financial year": ["2025-04-01", "2026-03-31"],
    });
  });

  it("from January to March the financial year is the one that began the April before", () => {
    for (const month of [0, 1, 2]) {
      const p = byLabel(new Date(2027, month, 15));
      expect(p["This financial year"]).toEqual(["2026-04-01", "2027-03-31"]);
      expect(p["Last financial year"]).toEqual(["2025-04-01", "2026-03-31"]);
      expect(p["Last quarter"]).toEqual(["2026-10-01", "2026-12-31"]);
    }
    expect(byLabel(new Date(2027, 0, 1))["Last month"]).toEqual(["2026-12-01", "2026-12-31"]);
    expect(byLabel(new Date(2028, 2, 10))["Last month"]).toEqual(["2028-02-01", "2028-02-29"]);
  });

  it("on 1 April a new financial year begins", () => {
    const p = byLabel(new Date(2027, 3, 1));
    expect(p["This financial year"]).toEqual(["2027-04-01", "2028-03-31"]);
    expect(p["Last financial year"]).toEqual(["2026-04-01", "2027-03-31"]);
    expect(p["Last quarter"]).toEqual(["2027-01-01", "2027-03-31"]);
  });
});

describe("report periods", () => {
  it("the default year ends today and, with the API's day after, spans 365 days", () => {
    const { from, to } = yearToToday(new Date(2026, 11, 5));
    expect([from, to]).toEqual(["2025-12-06", "2026-12-05"]);
    expect((Date.parse(addDays(to, 1)) - Date.parse(from)) / 86400_000).toBe(365);
    expect(yearToToday(new Date(2028, 1, 29))).toEqual({ from: "2027-03-01", to: "2028-02-29" });
  });

  it("moves across months and years, and checks a date in a link", () => {
    expect(addDays("2026-12-31", 1)).toBe("2027-01-01");
    expect(addDays("2028-02-28", 1)).toBe("2028-02-29");
    expect(validIso("2026-02-29")).toBeNull();
    expect(validIso("2028-02-29")).toBe("2028-02-29");
    expect(validIso("nonsense")).toBeNull();
  });

  it("names months", () => {
    expect(monthName("2026-10")).toBe("October 2026");
    expect(monthName("2027-01-01")).toBe("January 2027");
  });
});

describe("hoursMinutes", () => {
  it("shows minutes as hours and minutes", () => {
    expect(hoursMinutes(0)).toBe("0 min");
    expect(hoursMinutes(45)).toBe("45 min");
    expect(hoursMinutes(60)).toBe("1 h 00 min");
    expect(hoursMinutes(185)).toBe("3 h 05 min");
    expect(hoursMinutes(1439)).toBe("23 h 59 min");
    expect(hoursMinutes(6000)).toBe("100 h 00 min");
    expect(hoursMinutes(90.4)).toBe("1 h 30 min");
  });
});

describe("readPeriod", () => {
  it("reads both days, included, and refuses a period that ends before it starts", () => {
    expect(readPeriod(D("1", "4", "2026"), D("31", "3", "2027"))).toEqual({ period: { from: "2026-04-01", to: "2027-03-31" }, errors: {} });
    expect(readPeriod(D("1", "4", "2026"), D("1", "4", "2026")).period).toEqual({ from: "2026-04-01", to: "2026-04-01" });
    expect(readPeriod(D("2", "4", "2026"), D("1", "4", "2026")).errors).toEqual({
      "to@day": "The last day of the period must be the same as or after the first day",
    });
    expect(readPeriod(D("29", "2", "2027"), D("", "", "")).errors).toEqual({
      "from@day": "The first day of the period must be a real date: February 2027 has 28 days",
      "to@day": "Enter the last day of the period",
    });
  });
});
