// One ward's month at a glance, the month chosen by name ("October 2026").
import { useState } from "preact/hooks";
import { api, call } from "../../api/client";
import { Button, Select, Table } from "../../components/nhs";
import { hoursAsHoursMinutes, hoursMinutes, monthName, periodName } from "../../lib/dates";
import { humanise, kindLabel } from "../../lib/labels";
import { BarChart } from "../chart";
import { periodFromQuery } from "./period";
import { DownloadLink, asJson, Loading, Problem, queryHref, readQuery, setQuery, useLoad, useTitle } from "../common";

/** `2026-10` moved by whole months. */
function addMonths(ym: string, n: number): string {
  const [y, m] = ym.split("-").map(Number);
  const d = new Date(Date.UTC(y, m - 1 + n, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, "0")}`;
}

/** The months to choose from: the last two years, and the one in the link. */
function monthChoices(current: string): { value: string; text: string }[] {
  const now = new Date();
  const thisMonth = `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, "0")}`;
  const months = Array.from({ length: 25 }, (_, i) => addMonths(thisMonth, -i));
  if (!months.includes(current)) months.push(current);
  return months
    .sort()
    .reverse()
    .map((m) => ({ value: m, text: monthName(m) }));
}

export function WardOverviewScreen({ wardId, query }: { wardId: string; query: string }) {
  const q = readQuery(query);
  const now = new Date();
  const month = /^\d{4}-(0[1-9]|1[0-2])$/.test(q.month ?? "")
    ? q.month
    : `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, "0")}`;
  // The report's period, kept in the links back to it and between months.
  const period = periodFromQuery(q);
  const kept = q.from && q.to ? { from: period.from, to: period.to } : {};
  const back = queryHref("/reports", kept);
  const [draft, setDraft] = useState(month);
  const o = useLoad(
    () =>
      call(api.GET("/api/v1/reports/ward/{id}/overview", { params: { path: { id: wardId }, query: { month } } })).then((r) =>
        asJson(r.data),
      ),
    [wardId, month],
  );
  useTitle(o.data ? `${o.data.ward.name}, ${monthName(month)}` : "Ward overview");
  if (o.error) {
    return (
      <>
        <h1>Ward overview</h1>
        <Problem text={o.error} />
        <p>
          <a href={back}>Back to reports</a>
        </p>
      </>
    );
  }
  if (!o.data) return <Loading what="the ward overview" />;
  const v = o.data;
  return (
    <>
      <a class="nhsuk-back-link" href={back}>
        Reports{q.from && q.to ? `, ${periodName(period.from, period.to)}` : ""}
      </a>
      <h1>
        {v.ward.name} <span class="nhsuk-caption-l">{monthName(v.month)}</span>
      </h1>
      <nav aria-label="Other months">
        <ul class="app-period-shortcuts">
          <li>
            <a href={queryHref(`/reports/ward/${wardId}`, { month: addMonths(month, -1), ...kept })}>
              Previous month ({monthName(addMonths(month, -1))})
            </a>
          </li>
          <li>
            <a href={queryHref(`/reports/ward/${wardId}`, { month: addMonths(month, 1), ...kept })}>
              Next month ({monthName(addMonths(month, 1))})
            </a>
          </li>
        </ul>
      </nav>
      <form
        class="app-filters"
        onSubmit={(e) => {
          e.preventDefault();
          setQuery(`/reports/ward/${wardId}`, { month: draft, ...kept });
        }}
      >
        <Select id="month" label="Month" value={draft} onChange={setDraft} options={monthChoices(month)} />
        <Button>Show the month</Button>
      </form>
      <dl class="nhsuk-summary-list">
        {[
          ["Activities", v.totals.activities],
          ["Time of peer support", hoursMinutes(v.totals.minutes)],
          ["Service users supported", v.totals.service_users],
          ["Workers", v.totals.workers],
          [
            "Escorted leave",
            v.escorted_leave
              ? `${v.escorted_leave.episodes} episodes, ${hoursAsHoursMinutes(v.escorted_leave.leave_hours)}, ${v.escorted_leave.returned_as_planned} returned as planned`
              : "None",
          ],
          [
            "De-escalations",
            v.de_escalation ? `${v.de_escalation.de_escalations}, restraint avoided in ${v.de_escalation.restraint_avoided}` : "None",
          ],
          ["Entered in error (not counted)", v.entered_in_error],
        ].map(([k, val]) => (
          <div class="nhsuk-summary-list__row" key={String(k)}>
            <dt class="nhsuk-summary-list__key">{k}</dt>
            <dd class="nhsuk-summary-list__value">{val}</dd>
          </div>
        ))}
      </dl>
      <h2>By kind of activity</h2>
      <BarChart
        title="Activities by kind"
        yLabel="Activities"
        data={v.by_kind.map((r) => ({ x: kindLabel(r.kind ?? ""), y: r.activities, series: "Activities" }))}
      />
      <Table
        caption="Activities by kind"
        head={["Kind", "Activities", "Time of peer support", "Service users", "Workers"]}
        numeric={[1, 2, 3, 4]}
        rows={v.by_kind.map((r) => [kindLabel(r.kind ?? ""), r.activities, hoursMinutes(r.minutes), r.service_users, r.workers])}
        // The ward's own totals: a person supported in two kinds is one person.
        foot={["All kinds", v.totals.activities, hoursMinutes(v.totals.minutes), v.totals.service_users, v.totals.workers]}
      />
      <Table
        caption="Group sessions"
        head={["Type of group", "Sessions", "Named attendance", "Unnamed attendance", "Average attendance"]}
        numeric={[1, 2, 3, 4]}
        rows={v.groups.map((r) => [humanise(r.group_type), r.sessions, r.named_attendance, r.unnamed_attendance, r.average_attendance])}
      />
      <DownloadLink
        path={`/api/v1/reports/ward/${wardId}/overview`}
        query={{ month, format: "csv" }}
        filename={`${v.ward.code}-${month}.csv`}
      >
        Download CSV<span class="nhsuk-u-visually-hidden"> of the ward overview</span>
      </DownloadLink>
    </>
  );
}
