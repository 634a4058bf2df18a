// The quarterly board report: a summary page for all wards, then one page per
// ward or service line, each figure beside the quarter before with its
// trend, and a few quotes the people agreed to share. Printed from the
// browser (the print stylesheet in main.scss drops the header and the
// navigation and starts each section on a new page), so "Save as PDF"
// gives the board paper.
import { api, call, type Schemas } from "../../api/client";
import { Button, Select } from "../../components/nhs";
import { hoursAsHoursMinutes } from "../../lib/dates";
import { Loading, Problem, readQuery, setQuery, useLoad, useTitle } from "../common";

type Figure = Schemas["BoardFigure"];

/** The first day of the quarter holding `d` (calendar quarters). */
function quarterStart(d: Date): string {
  const m = Math.floor(d.getMonth() / 3) * 3;
  return `${d.getFullYear()}-${String(m + 1).padStart(2, "0")}-01`;
}

function recentQuarters(): { value: string; text: string }[] {
  const out = [];
  const d = new Date();
  for (let i = 0; i < 6; i++) {
    const start = quarterStart(d);
    const end = new Date(d.getFullYear(), Math.floor(d.getMonth() / 3) * 3 + 3, 0);
    out.push({
      value: start,
      text: `${new Date(start).toLocaleString("en-GB", { month: "long", year: "numeric" })} to ${end.toLocaleString("en-GB", { month: "long", year: "numeric" })}`,
    });
    d.setMonth(d.getMonth() - 3);
  }
  return out;
}

function value(f: Figure, previous = false): string {
  const v = previous ? f.previous : f.value;
  if (previous ? f.previous_suppressed : f.suppressed) return "<5";
  if (v === null || v === undefined) return "–";
  if (f.unit === "hours") return hoursAsHoursMinutes(v);
  if (f.unit === "percent") return `${v.toFixed(0)}%`;
  if (f.unit === "hours_per_bed_day") return v.toFixed(2);
  return String(Math.round(v));
}

const TREND = { up: "▲ up", down: "▼ down", same: "● same" } as const;

export function BoardReportScreen({ query }: { query: string }) {
  useTitle("Board report");
  const q = readQuery(query);
  const quarter = quarterStart(q.quarter ? new Date(q.quarter) : new Date());
  const groupBy = q.group_by === "service_line" ? "service_line" : "ward";
  const report = useLoad(
    () => call(api.GET("/api/v1/reports/board", { params: { query: { quarter, group_by: groupBy } } })).then((r) => r.data),
    [quarter, groupBy],
  );
  return (
    <>
      <div class="app-no-print">
        <div class="nhsuk-grid-row">
          <div class="nhsuk-grid-column-one-third">
            <Select
              id="quarter"
              label="Quarter"
              value={quarter}
              onChange={(v) => setQuery("/board", { quarter: v, group_by: groupBy })}
              options={recentQuarters()}
            />
          </div>
          <div class="nhsuk-grid-column-one-third">
            <Select
              id="group_by"
              label="A page per"
              value={groupBy}
              onChange={(v) => setQuery("/board", { quarter, group_by: v })}
              options={[
                { value: "ward", text: "Ward" },
                { value: "service_line", text: "Service line" },
              ]}
            />
          </div>
        </div>
        <Button type="button" variant="secondary" onClick={() => window.print()}>
          Print or save as PDF
        </Button>
      </div>
      {report.loading ? (
        <Loading />
      ) : report.error ? (
        <Problem text={report.error} />
      ) : (
        report.data && (
          <>
            {report.data.sections.map((s, i) => (
              <section class="app-board-section" key={s.group} aria-labelledby={`board-${i}`}>
                {i === 0 ? (
                  <h1 id={`board-${i}`}>
                    <span class="nhsuk-caption-l">Peer support: board report, {report.data?.quarter}</span>
                    {s.group}
                  </h1>
                ) : (
                  <h2 class="nhsuk-heading-l" id={`board-${i}`}>
                    <span class="nhsuk-caption-l">{report.data?.quarter}</span>
                    {s.group}
                  </h2>
                )}
                <table class="nhsuk-table">
                  <caption class="nhsuk-table__caption nhsuk-table__caption--s">Key figures against the quarter before ({s.group})</caption>
                  <thead class="nhsuk-table__head">
                    <tr>
                      <th scope="col" class="nhsuk-table__header">
                        Figure
                      </th>
                      <th scope="col" class="nhsuk-table__header nhsuk-table__header--numeric">
                        This quarter
                      </th>
                      <th scope="col" class="nhsuk-table__header nhsuk-table__header--numeric">
                        Last quarter
                      </th>
                      <th scope="col" class="nhsuk-table__header">
                        Trend
                      </th>
                    </tr>
                  </thead>
                  <tbody class="nhsuk-table__body">
                    {s.figures.map((f) => (
                      <tr class="nhsuk-table__row" key={f.key}>
                        <th scope="row" class="nhsuk-table__header">
                          {f.label}
                        </th>
                        <td class="nhsuk-table__cell nhsuk-table__cell--numeric">{value(f)}</td>
                        <td class="nhsuk-table__cell nhsuk-table__cell--numeric">{value(f, true)}</td>
                        <td class="nhsuk-table__cell app-trend">{f.trend ? TREND[f.trend] : "–"}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
                {s.quotes.length > 0 && (
                  <>
                    <h3>In their own words</h3>
                    {s.quotes.map((t, j) => (
                      <blockquote class="app-quote" key={j}>
                        <p>&ldquo;{t}&rdquo;</p>
                      </blockquote>
                    ))}
                  </>
                )}
              </section>
            ))}
            <p class="nhsuk-body-s">
              Figures about fewer than 5 people are shown as &lt;5. Quotes are shared with the person&rsquo;s consent, without their name.
            </p>
          </>
        )
      )}
    </>
  );
}
