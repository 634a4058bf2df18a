// One ward's month at a glance.
import { useState } from "preact/hooks";
import { api, call } from "../../api/client";
import { Button, Input, Table } from "../../components/nhs";
import { humanise, kindLabel, minutesLabel } from "../../lib/labels";
import { BarChart } from "../chart";
import { DownloadLink, asJson, Loading, Problem, readQuery, setQuery, useLoad, useTitle } from "../common";

export function WardOverviewScreen({ wardId, query }: { wardId: string; query: string }) {
  const q = readQuery(query);
  const month = /^\d{4}-\d{2}$/.test(q.month ?? "") ? q.month : new Date().toISOString().slice(0, 7);
  const [draft, setDraft] = useState(month);
  const o = useLoad(
    () =>
      call(api.GET("/api/v1/reports/ward/{id}/overview", { params: { path: { id: wardId }, query: { month } } })).then((r) =>
        asJson(r.data),
      ),
    [wardId, month],
  );
  useTitle(o.data ? `${o.data.ward.name}, ${month}` : "Ward overview");
  if (o.error) {
    return (
      <>
        <h1>Ward overview</h1>
        <Problem text={o.error} />
        <p>
          <a href="#/console/reports">Back to reports</a>
        </p>
      </>
    );
  }
  if (!o.data) return <Loading what="the ward overview" />;
  const v = o.data;
  return (
    <>
      <a class="nhsuk-back-link" href="#/console/reports">
        Reports
      </a>
      <h1>
        {v.ward.name} <span class="nhsuk-caption-l">Month of {v.month}</span>
      </h1>
      <form
        class="app-filters"
        onSubmit={(e) => {
          e.preventDefault();
          setQuery(`/reports/ward/${wardId}`, { month: draft });
        }}
      >
        <Input
          id="month"
          label="Month"
          hint="For example, 2026-04"
          value={draft}
          width={10}
          onInput={setDraft}
          after={<Button>Show the month</Button>}
        />
      </form>
      <dl class="nhsuk-summary-list">
        {[
          ["Activities", v.totals.activities],
          ["Time of peer support", minutesLabel(v.totals.minutes)],
          ["Service users supported", v.totals.service_users],
          ["Workers", v.totals.workers],
          [
            "Escorted leave",
            v.escorted_leave
              ? `${v.escorted_leave.episodes} episodes, ${v.escorted_leave.leave_hours} hours, ${v.escorted_leave.returned_as_planned} returned as planned`
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
        head={["Kind", "Activities", "Minutes", "Service users", "Workers"]}
        numeric={[1, 2, 3, 4]}
        rows={v.by_kind.map((r) => [kindLabel(r.kind ?? ""), r.activities, r.minutes, r.service_users, r.workers])}
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
