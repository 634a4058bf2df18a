// The activity summary: charts by week or month, broken down by ward,
// service line, kind or worker, with their tables and CSV.
import { useState } from "preact/hooks";
import { api, call } from "../../api/client";
import { Button, Input, Select, Table } from "../../components/nhs";
import { humanise } from "../../lib/labels";
import { BarChart, type Bar } from "../chart";
import { DownloadLink, asJson, Loading, Problem, readQuery, setQuery, useLoad, useTitle } from "../common";
import { SummaryRow, Dimension, BREAKDOWNS, defaultPeriod, useWards, seriesName, periodOf } from "./shared";

export function ReportsScreen({ query }: { query: string }) {
  useTitle("Reports");
  const q = readQuery(query);
  const d = defaultPeriod();
  const filters = {
    from: q.from || d.from,
    to: q.to || d.to,
    ward_id: q.ward_id || "",
    every: (q.every === "week" ? "week" : "month") as "week" | "month",
    by: (BREAKDOWNS.some((b) => b.value === q.by) ? q.by : "kind") as Dimension,
  };
  const wards = useWards();
  const [form, setForm] = useState(filters);
  const key = JSON.stringify(filters);
  const [draftKey, setDraftKey] = useState(key);
  if (draftKey !== key) {
    setDraftKey(key);
    setForm(filters);
  }
  const common = { from: filters.from, to: filters.to, ward_id: filters.ward_id || undefined };
  const fileStem = `${filters.from}-to-${filters.to}${filters.ward_id ? `-${wards.data?.find((w) => w.id === filters.ward_id)?.code ?? "ward"}` : ""}`;

  const byKind = useLoad(
    () =>
      call(
        api.GET("/api/v1/reports/activity-summary", { params: { query: { ...common, group_by: `${filters.every},${filters.by}` } } }),
      ).then((r) => asJson(r.data)),
    [key],
  );
  const totals = useLoad(
    () =>
      call(api.GET("/api/v1/reports/activity-summary", { params: { query: { ...common, group_by: filters.every } } })).then((r) =>
        asJson(r.data),
      ),
    [key],
  );
  const leave = useLoad(
    () => call(api.GET("/api/v1/reports/escorted-leave", { params: { query: common } })).then((r) => asJson(r.data)),
    [key],
  );
  const deesc = useLoad(
    () => call(api.GET("/api/v1/reports/de-escalation", { params: { query: common } })).then((r) => asJson(r.data)),
    [key],
  );
  const groups = useLoad(() => call(api.GET("/api/v1/reports/groups", { params: { query: common } })).then((r) => asJson(r.data)), [key]);

  const wardOptions = [{ value: "", text: "All your wards" }, ...(wards.data ?? []).map((w) => ({ value: w.id, text: w.name }))];
  const unknownWard = filters.ward_id && wards.data && !wards.data.some((w) => w.id === filters.ward_id);
  const every = filters.every === "week" ? "Week beginning" : "Month";

  return (
    <>
      <h1>Reports</h1>
      <form
        class="app-filters"
        onSubmit={(e) => {
          e.preventDefault();
          setQuery("/reports", { from: form.from, to: form.to, ward_id: form.ward_id, every: form.every, by: form.by });
        }}
      >
        <div class="nhsuk-grid-row">
          <div class="nhsuk-grid-column-one-quarter">
            <Input
              id="from"
              label="From"
              hint="First day included"
              type="date"
              value={form.from}
              onInput={(v) => setForm({ ...form, from: v })}
            />
          </div>
          <div class="nhsuk-grid-column-one-quarter">
            <Input
              id="to"
              label="To"
              hint="First day not included"
              type="date"
              value={form.to}
              onInput={(v) => setForm({ ...form, to: v })}
            />
          </div>
          <div class="nhsuk-grid-column-one-half">
            <Select id="ward" label="Ward" value={form.ward_id} onChange={(v) => setForm({ ...form, ward_id: v })} options={wardOptions} />
          </div>
        </div>
        <div class="nhsuk-grid-row">
          <div class="nhsuk-grid-column-one-quarter">
            <Select
              id="every"
              label="Group by"
              value={form.every}
              onChange={(v) => setForm({ ...form, every: v as "week" | "month" })}
              options={[
                { value: "month", text: "Month" },
                { value: "week", text: "Week" },
              ]}
            />
          </div>
          <div class="nhsuk-grid-column-one-quarter">
            <Select
              id="by"
              label="Break down by"
              value={form.by}
              onChange={(v) => setForm({ ...form, by: v as Dimension })}
              options={BREAKDOWNS}
            />
          </div>
          <div class="nhsuk-grid-column-one-half">
            <Button>Show the report</Button>
          </div>
        </div>
      </form>
      {unknownWard && <Problem text="You cannot see that ward's figures. Choose one of your wards." />}

      <h2>Activities</h2>
      {byKind.loading && !byKind.data ? (
        <Loading what="activities" />
      ) : byKind.error ? (
        <Problem text={byKind.error} />
      ) : (
        byKind.data && <ActivitiesByBreakdown rows={byKind.data.rows} every={filters.every} by={filters.by} everyLabel={every} />
      )}
      <DownloadLink
        path="/api/v1/reports/activity-summary"
        query={{ ...common, group_by: `${filters.every},${filters.by}`, format: "csv" }}
        filename={`activities-${fileStem}.csv`}
      >
        Download CSV<span class="nhsuk-u-visually-hidden"> of activities by {filters.by}</span>
      </DownloadLink>

      <h2>Minutes of peer support and service users supported</h2>
      {totals.error ? (
        <Problem text={totals.error} />
      ) : !totals.data ? (
        <Loading />
      ) : (
        <>
          <BarChart
            title={`Minutes of peer support by ${filters.every}`}
            yLabel="Minutes"
            data={totals.data.rows.map((r) => ({ x: periodOf(r, filters.every), y: r.minutes, series: "Minutes" }))}
          />
          <Table
            caption={`Totals by ${filters.every}`}
            head={[every, "Activities", "Minutes", "Service users supported", "Workers"]}
            numeric={[1, 2, 3, 4]}
            rows={sortBy(totals.data.rows, (r) => periodOf(r, filters.every)).map((r) => [
              periodOf(r, filters.every),
              r.activities,
              r.minutes,
              r.service_users,
              r.workers,
            ])}
          />
        </>
      )}
      <DownloadLink
        path="/api/v1/reports/activity-summary"
        query={{ ...common, group_by: filters.every, format: "csv" }}
        filename={`totals-${fileStem}.csv`}
      >
        Download CSV<span class="nhsuk-u-visually-hidden"> of totals</span>
      </DownloadLink>

      <h2>Escorted leave</h2>
      {leave.error ? (
        <Problem text={leave.error} />
      ) : !leave.data ? (
        <Loading />
      ) : (
        <>
          <BarChart
            title="Hours of escorted leave by month and ward"
            yLabel="Hours"
            data={leave.data.rows.map((r) => ({ x: r.month, y: r.leave_hours, series: r.ward_name }))}
          />
          <Table
            caption="Escorted leave by month and ward"
            head={["Month", "Ward", "Episodes", "Hours", "Returned as planned", "Not returned as planned"]}
            numeric={[2, 3, 4, 5]}
            rows={leave.data.rows.map((r) => [
              r.month,
              r.ward_name,
              r.episodes,
              r.leave_hours,
              r.returned_as_planned,
              r.not_returned_as_planned,
            ])}
          />
        </>
      )}
      <DownloadLink path="/api/v1/reports/escorted-leave" query={{ ...common, format: "csv" }} filename={`escorted-leave-${fileStem}.csv`}>
        Download CSV<span class="nhsuk-u-visually-hidden"> of escorted leave</span>
      </DownloadLink>

      <h2>De-escalation</h2>
      {deesc.error ? (
        <Problem text={deesc.error} />
      ) : !deesc.data ? (
        <Loading />
      ) : (
        <>
          <BarChart
            title="De-escalations and restraint avoided by month"
            yLabel="De-escalations"
            seriesOrder={["Restraint avoided", "Restraint not avoided"]}
            data={deesc.data.rows.flatMap((r) => [
              { x: r.month, y: r.restraint_avoided, series: "Restraint avoided" },
              { x: r.month, y: r.de_escalations - r.restraint_avoided, series: "Restraint not avoided" },
            ])}
          />
          <Table
            caption="De-escalations by month and ward"
            head={["Month", "Ward", "De-escalations", "Restraint avoided", "Share avoided", "Staff called"]}
            numeric={[2, 3, 4, 5]}
            rows={deesc.data.rows.map((r) => [
              r.month,
              r.ward_name,
              r.de_escalations,
              r.restraint_avoided,
              `${Math.round(r.restraint_avoided_share * 100)}%`,
              r.staff_called,
            ])}
          />
        </>
      )}
      <DownloadLink path="/api/v1/reports/de-escalation" query={{ ...common, format: "csv" }} filename={`de-escalation-${fileStem}.csv`}>
        Download CSV<span class="nhsuk-u-visually-hidden"> of de-escalation</span>
      </DownloadLink>

      <h2>Group sessions and attendance</h2>
      {groups.error ? (
        <Problem text={groups.error} />
      ) : !groups.data ? (
        <Loading />
      ) : (
        <>
          <BarChart
            title="Group sessions by type of group"
            yLabel="Sessions"
            data={groups.data.rows.map((r) => ({ x: humanise(r.group_type), y: r.sessions, series: r.ward_name }))}
          />
          <Table
            caption="Group sessions by type and ward"
            head={["Type of group", "Ward", "Sessions", "Named attendance", "Unnamed attendance", "Average attendance"]}
            numeric={[2, 3, 4, 5]}
            rows={groups.data.rows.map((r) => [
              humanise(r.group_type),
              r.ward_name,
              r.sessions,
              r.named_attendance,
              r.unnamed_attendance,
              r.average_attendance,
            ])}
          />
        </>
      )}
      <DownloadLink path="/api/v1/reports/groups" query={{ ...common, format: "csv" }} filename={`groups-${fileStem}.csv`}>
        Download CSV<span class="nhsuk-u-visually-hidden"> of group sessions</span>
      </DownloadLink>

      <h2>Ward overviews</h2>
      <p>One ward's month at a glance:</p>
      <ul class="nhsuk-list">
        {(wards.data ?? []).map((w) => (
          <li key={w.id}>
            <a href={`#/console/reports/ward/${w.id}?month=${filters.to.slice(0, 7)}`}>{w.name}</a>
          </li>
        ))}
      </ul>
    </>
  );
}

function sortBy<T>(xs: T[], key: (x: T) => string): T[] {
  return [...xs].sort((a, b) => key(a).localeCompare(key(b)));
}

function ActivitiesByBreakdown({
  rows,
  every,
  by,
  everyLabel,
}: {
  rows: SummaryRow[];
  every: "week" | "month";
  by: Dimension;
  everyLabel: string;
}) {
  const byLabel = BREAKDOWNS.find((b) => b.value === by)?.text ?? humanise(by);
  const data: Bar[] = rows.map((r) => ({ x: periodOf(r, every), y: r.activities, series: seriesName(r, by) }));
  const series = Array.from(new Set(data.map((d) => d.series))).sort();
  const periods = Array.from(new Set(data.map((d) => d.x))).sort();
  const cell = new Map(data.map((d) => [`${d.x}|${d.series}`, d.y]));
  return (
    <>
      <BarChart title={`Activities by ${every} and ${byLabel.toLowerCase()}`} yLabel="Activities" data={data} seriesOrder={series} />
      <Table
        caption={`Activities by ${every} and ${byLabel.toLowerCase()}`}
        head={[byLabel, ...periods, "Total"]}
        numeric={periods.map((_, i) => i + 1).concat(periods.length + 1)}
        rows={series.map((s) => {
          const values = periods.map((p) => cell.get(`${p}|${s}`) ?? 0);
          return [s, ...values, values.reduce((a, b) => a + b, 0)];
        })}
      />
      <p class="nhsuk-body-s">{everyLabel} runs across the columns; a worker is counted on every activity they took part in.</p>
    </>
  );
}
