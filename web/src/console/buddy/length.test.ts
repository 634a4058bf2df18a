// A meeting's length as the coordinator chooses it and reads it back.
import { describe, expect, it } from "vitest";
import { lengthName, readLength } from "./length";

describe("readLength", () => {
  it("takes a quick choice or another length of 15 to 240 whole minutes", () => {
    expect(readLength("45", "")).toEqual({ minutes: 45 });
    expect(readLength("other", " 15 ")).toEqual({ minutes: 15 });
    expect(readLength("other", "240")).toEqual({ minutes: 240 });
  });

  it("says what is allowed when the length is missing, too short, too long or not whole minutes", () => {
    expect(readLength("other", "")).toEqual({ error: "Enter the length of the meeting in minutes, from 15 to 240" });
    for (const bad of ["14", "241", "1.5", "an hour"])
      expect(readLength("other", bad)).toEqual({ error: "Enter a length from 15 minutes to 4 hours (240 minutes), in whole minutes" });
  });
});

describe("lengthName", () => {
  it("names hours and minutes in words", () => {
    expect(lengthName(45)).toBe("45 minutes");
    expect(lengthName(60)).toBe("1 hour");
    expect(lengthName(90)).toBe("1 hour 30 minutes");
    expect(lengthName(121)).toBe("2 hours 1 minute");
  });
});
