// What a coordinator or an admin reads when the server refuses a form.
import { describe, expect, it } from "vitest";
import { fieldSummary, meetingLinkMessage, plainMessage } from "./form-errors";

describe("meetingLinkMessage", () => {
  it("names the hosts the trust allows, from the server's own message", () => {
    expect(
      meetingLinkMessage({
        field: "link",
        code: "invalid_link",
        message: "links to zoom.us are not allowed; allowed: teams.microsoft.com, teams.live.com",
      }),
    ).toBe("Enter a join link on a host the trust allows: teams.microsoft.com or teams.live.com (this link is on zoom.us)");
    expect(
      meetingLinkMessage({ field: "link", code: "invalid_link", message: "links to x.org are not allowed; allowed: meet.nhs.uk" }),
    ).toBe("Enter a join link on the host the trust allows: meet.nhs.uk (this link is on x.org)");
  });

  it("says what a link must look like", () => {
    expect(meetingLinkMessage({ field: "link", code: "invalid_link", message: "must be an https link" })).toBe(
      "Enter a join link that starts with https://",
    );
    expect(meetingLinkMessage({ field: "link", code: "invalid_link", message: "not a URL" })).toMatch(/full web address/);
    expect(meetingLinkMessage({ field: "link", code: "not_allowed", message: "only an online meeting has a link" })).toMatch(
      /Only an online video meeting/,
    );
  });
});

describe("fieldSummary", () => {
  const fields = {
    display_name: { id: "display_name", label: "Full name" },
    username: {
      id: "username",
      label: "Username",
      say: () => "Enter a username of 2 to 64 lower-case letters, digits, dots, dashes or underscores",
    },
    password: { id: "password", label: "Password" },
  };

  it("gives one message per field, in the form's order, in plain words", () => {
    const items = fieldSummary(
      [
        { field: "password", code: "weak_password", message: "must be at least 12 characters" },
        { field: "username", code: "invalid", message: "2 to 64 lower-case letters, digits, '.', '_' or '-'" },
        { field: "display_name", code: "required", message: "must not be empty" },
        { field: "display_name", code: "too_long", message: "must be at most 200 characters" },
      ],
      fields,
      "display_name",
    );
    expect(items).toEqual([
      { id: "display_name", text: "Enter full name" },
      { id: "username", text: "Enter a username of 2 to 64 lower-case letters, digits, dots, dashes or underscores" },
      { id: "password", text: "Password must be at least 12 characters" },
    ]);
  });

  it("links a field the form does not show to its first input", () => {
    expect(fieldSummary([{ field: "external_id", code: "invalid", message: "1 to 255 characters" }], fields, "display_name")).toEqual([
      { id: "display_name", text: "external id must be 1 to 255 characters" },
    ]);
  });

  it("words the usual messages", () => {
    expect(plainMessage({ field: "name", code: "too_long", message: "must be at most 200 characters" }, "Name")).toBe(
      "Name must be 200 characters or fewer",
    );
  });
});
