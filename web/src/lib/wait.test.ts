import { describe, expect, it } from "vitest";
import { waitInWords } from "./wait";

describe("waitInWords", () => {
  it("says seconds under a minute, rounded up to 5", () => {
    expect(waitInWords(15)).toBe("15 seconds");
    expect(waitInWords(28)).toBe("30 seconds");
    expect(waitInWords(1)).toBe("5 seconds");
  });
  it("says whole minutes, rounded up, from a minute", () => {
    expect(waitInWords(57)).toBe("1 minute");
    expect(waitInWords(60)).toBe("1 minute");
    expect(waitInWords(61)).toBe("2 minutes");
    expect(waitInWords(900)).toBe("15 minutes");
  });
});
