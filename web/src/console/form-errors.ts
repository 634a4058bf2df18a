// The console's forms and the server's 422: each field error the API names
// becomes a message in plain words, linked from the error summary to the
// input it is about. A join link the trust does not allow names the hosts
// it does. Pure (no client, no DOM), so it is unit-tested.
import type { FieldError } from "../api/client";

/** An API field as a form shows it: its input's id, what it is called, and
 * optionally its own words for an error. */
export interface FieldWords {
  id: string;
  /** "Full name", "Username" (used inside sentences). */
  label: string;
  say?: (fe: FieldError) => string | undefined;
}

export interface SummaryItem {
  id: string;
  text: string;
}

/** "teams.microsoft.com or teams.live.com" */
function either(xs: string[]): string {
  return xs.length < 2 ? xs.join("") : `${xs.slice(0, -1).join(", ")} or ${xs[xs.length - 1]}`;
}

/** A message from the server ("must be at most 200 characters") as a
 * sentence about the field ("Name must be 200 characters or fewer"). */
export function plainMessage(fe: FieldError, label: string): string {
  const m = fe.message.trim();
  if (fe.code === "required" || /^must not be empty$/.test(m)) return `Enter ${label.charAt(0).toLowerCase()}${label.slice(1)}`;
  const most = /^must be at most (\d+) characters$/.exec(m);
  if (most) return `${label} must be ${most[1]} characters or fewer`;
  const least = /^must be at least (\d+) characters$/.exec(m);
  if (least) return `${label} must be at least ${least[1]} characters`;
  if (/^(must|cannot|is|are|has)\b/.test(m)) return `${label} ${m}`;
  if (/^\d/.test(m)) return `${label} must be ${m}`;
  return `${label}: ${m}`;
}

/**
 * A meeting's join link refused by the server, in words that say what is
 * allowed: the hosts come from the server's own message ("links to x are
 * not allowed; allowed: a, b"), which reads the trust's setting.
 */
export function meetingLinkMessage(fe: FieldError): string {
  const m = fe.message;
  if (fe.code === "not_allowed") return "Only an online video meeting has a join link. Clear the link, or choose online video";
  const hosts = /allowed: (.+)$/.exec(m);
  if (hosts) {
    const list = hosts[1]
      .split(",")
      .map((h) => h.trim())
      .filter(Boolean);
    const host = /links to (\S+) are not allowed/.exec(m)?.[1];
    return `Enter a join link on ${list.length === 1 ? "the host" : "a host"} the trust allows: ${either(list)}${host ? ` (this link is on ${host})` : ""}`;
  }
  if (/https/.test(m)) return "Enter a join link that starts with https://";
  if (/not a URL/.test(m)) return "Enter the join link as the full web address, starting with https://";
  if (/user name|password|port/.test(m)) return "Enter the join link without a user name, password or port number";
  const most = /at most (\d+) characters/.exec(m);
  if (most) return `The join link must be ${most[1]} characters or fewer`;
  return plainMessage(fe, "The join link");
}

/** The summary's items for a 422's field errors, in the form's order; a
 * field the form does not show is linked to its first input. */
export function fieldSummary(errors: FieldError[], fields: Record<string, FieldWords>, firstId: string): SummaryItem[] {
  const order = Object.keys(fields);
  const seen = new Set<string>();
  const items: (SummaryItem & { rank: number })[] = [];
  for (const fe of errors) {
    const path = fe.field.replace(/\[\d+\]/g, "");
    const f = fields[path];
    const id = f?.id ?? firstId;
    if (seen.has(id)) continue;
    seen.add(id);
    const text = f ? (f.say?.(fe) ?? plainMessage(fe, f.label)) : plainMessage(fe, path.replace(/_/g, " "));
    items.push({ id, text, rank: f ? order.indexOf(path) : 99 });
  }
  return items.sort((a, b) => a.rank - b.rank).map(({ id, text }) => ({ id, text }));
}

/** The message for one input, from the summary's items. */
export function messageFor(items: SummaryItem[], id: string): string | undefined {
  return items.find((i) => i.id === id || i.id.startsWith(`${id}-`))?.text;
}
