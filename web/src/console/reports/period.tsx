// A report's period as a manager chooses it: the first and last day, both
// included, in two NHS.UK date inputs (UK order), or one of the shortcuts
// (last month, last quarter, this or last financial year). The link holds
// the days as chosen (`from`, `to`, both included); the API's `to` is the
// day after, which `apiPeriod` gives.
import { useState } from "preact/hooks";
import { DateInput } from "../../components/nhs";
import { addDays, datePartsOfIso, periodName, periodShortcuts, readPeriod, validIso, yearToToday, type DateParts } from "../../lib/dates";

export interface Period {
  /** First day, included. */
  from: string;
  /** Last day, included. */
  to: string;
}

/** The period in a screen's query: valid days, or the year up to today. */
export function periodFromQuery(q: Record<string, string>, today = new Date()): Period {
  const from = validIso(q.from);
  const to = validIso(q.to);
  if (from && to && from <= to) return { from, to };
  return yearToToday(today);
}

/** The same period as the API takes it: `to` is the first day not included. */
export function apiPeriod(p: Period): { from: string; to: string } {
  return { from: p.from, to: addDays(p.to, 1) };
}

/** The two date inputs' boxes, reset when the period in the link changes. */
export function usePeriodDraft(p: Period) {
  const [seen, setSeen] = useState(`${p.from}/${p.to}`);
  const [from, setFrom] = useState<DateParts>(datePartsOfIso(p.from));
  const [to, setTo] = useState<DateParts>(datePartsOfIso(p.to));
  if (seen !== `${p.from}/${p.to}`) {
    setSeen(`${p.from}/${p.to}`);
    setFrom(datePartsOfIso(p.from));
    setTo(datePartsOfIso(p.to));
  }
  return { from, to, setFrom, setTo, read: () => readPeriod(from, to) };
}

/** The first box at fault for a key such as `from@day`. */
function fieldError(errors: Record<string, string>, name: "from" | "to") {
  const k = Object.keys(errors).find((x) => x.split("@")[0] === name);
  return k ? { text: errors[k], part: k.split("@")[1] } : undefined;
}

export function PeriodFields({ draft, errors }: { draft: ReturnType<typeof usePeriodDraft>; errors: Record<string, string> }) {
  const f = fieldError(errors, "from");
  const t = fieldError(errors, "to");
  return (
    <div class="nhsuk-grid-row">
      <div class="nhsuk-grid-column-one-half">
        <DateInput
          id="from"
          label="From"
          hint="The first day, included. For example, 1 4 2026"
          value={draft.from}
          onChange={draft.setFrom}
          error={f?.text}
          errorPart={f?.part}
        />
      </div>
      <div class="nhsuk-grid-column-one-half">
        <DateInput
          id="to"
          label="To"
          hint="The last day, included. For example, 31 3 2027"
          value={draft.to}
          onChange={draft.setTo}
          error={t?.text}
          errorPart={t?.part}
        />
      </div>
    </div>
  );
}

/** The summary's links for the period errors (`from@day` → `#from-day`). */
export function periodSummary(errors: Record<string, string>): { id: string; text: string }[] {
  return Object.entries(errors).map(([k, text]) => ({ id: k.replace("@", "-"), text }));
}

/** Links to the usual periods, keeping the screen's other filters. */
export function PeriodShortcuts({ current, href }: { current: Period; href: (p: Period) => string }) {
  return (
    <nav aria-label="Report periods">
      <ul class="app-period-shortcuts">
        {periodShortcuts(new Date()).map((p) => {
          const here = p.from === current.from && p.to === current.to;
          return (
            <li key={p.label}>
              <a href={href(p)} aria-current={here ? "true" : undefined}>
                {p.label}
              </a>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}

/** "1 April 2026 to 31 March 2027" as a line under the heading. */
export function PeriodLine({ period }: { period: Period }) {
  return <p class="nhsuk-lede-text nhsuk-u-font-size-22">{periodName(period.from, period.to)}</p>;
}
