// The activity summary: charts by week or month, broken down by ward,
// service line, kind or worker, with their tables and CSV.
import { useState } from "preact/hooks";
import { api, call } from "../../api/client";
import { Button, ErrorSummary, Select, Table } from "../../components/nhs";
import { hoursAsHoursMinutes, hoursMinutes, monthName } from "../../lib/dates";
import { humanise } from "../../lib/labels";
import { BarChart, type Bar } from "../chart";
import { DownloadLink, asJson, Loading, Problem, queryHref, readQuery, setQuery, useLoad, useTitle } from "../common";
import { apiPeriod, PeriodFields, PeriodLine, PeriodShortcuts, periodFromQuery, periodSummary, usePeriodDraft } from "./period";
import { SummaryRow, Dimension, BREAKDOWNS, useWards, seriesName, periodOf, periodLabel } from "./shared";
import { wardChoices, wardLabel } from "./ward-choices";

export function ReportsScreen({ query }: { query: string }) {
  useTitle("Reports");
  const q = readQuery(query);
  const period = periodFromQuery(q);
  const filters = {
    ...period,
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
  const draft = usePeriodDraft(period);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [attempt, setAttempt] = useState(0);
  const [showInactive, setShowInactive] = useState(false);
  // The API's `to` is the day after the last one chosen.
  const common = { ...apiPeriod(period), ward_id: filters.ward_id || undefined };
  const fileStem = `${filters.from}-to-${filters.to}${filters.ward_id ? `-${wards.data?.find((w) => w.id === filters.ward_id)?.code ?? "ward"}` : ""}`;
  const link = (over: Partial<typeof filters>) => queryHref("/reports", { ...filters, ...over });

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
  // The whole period at once: distinct people and workers cannot be summed
  // from the rows (someone supported in two months is one person).
  const overall = useLoad(
    () =>
      call(api.GET("/api/v1/reports/activity-summary", { params: { query: common } })).then(
        // No activities in the period: no row, and nothing to count.
        (r): SummaryRow => asJson(r.data).rows[0] ?? { activities: 0, minutes: 0, service_users: 0, workers: 0 },
      ),
    [key],
  );
  // Each worker over the whole period: an activity counts under every
  // worker who took part, people are distinct per worker.
  const byWorker = useLoad(
    () =>
      call(api.GET("/api/v1/reports/activity-summary", { params: { query: { ...common, group_by: "worker" } } })).then((r) =>
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

  const wardOptions = wardChoices(wards.data ?? [], showInactive, form.ward_id);
  const unknownWard = filters.ward_id && wards.data && !wards.data.some((w) => w.id === filters.ward_id);
  const every = filters.every === "week" ? "Week beginning" : "Month";
  const allWards = filters.ward_id ? "Total" : "All wards";
  const sum = <T,>(xs: T[], f: (x: T) => number) => xs.reduce((a, x) => a + f(x), 0);

  return (
    <>
      <h1>Reports</h1>
      <PeriodLine period={period} />
      <PeriodShortcuts current={period} href={(p) => link({ from: p.from, to: p.to })} />
      <form
        class="app-filters"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          const r = draft.read();
          setErrors(r.errors);
          if (!r.period) {
            setAttempt((n) => n + 1);
            return;
          }
          setQuery("/reports", { from: r.period.from, to: r.period.to, ward_id: form.ward_id, every: form.every, by: form.by });
        }}
      >
        <ErrorSummary errors={periodSummary(errors)} attempt={attempt} />
        <PeriodFields draft={draft} errors={errors} />
        <div class="nhsuk-grid-row">
          <div class="nhsuk-grid-column-one-half">
            <Select id="ward" label="Ward" value={form.ward_id} onChange={(v) => setForm({ ...form, ward_id: v })} options={wardOptions} />
            <div class="nhsuk-form-group">
              <div class="nhsuk-checkboxes nhsuk-checkboxes--small">
                <div class="nhsuk-checkboxes__item">
                  <input
                    class="nhsuk-checkboxes__input"
                    id="show-inactive"
                    type="checkbox"
                    checked={showInactive}
                    onChange={(e) => setShowInactive((e.target as HTMLInputElement).checked)}
                  />
                  <label class="nhsuk-label nhsuk-checkboxes__label" for="show-inactive">
                    Show inactive wards
                  </label>
                </div>
              </div>
            </div>
          </div>
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
        </div>
        <Button>Show the report</Button>
      </form>
      {unknownWard && <Problem text="You cannot see that ward's figures. Choose one of your wards." />}

      <h2>Activities</h2>
      {byKind.loading && !byKind.data ? (
        <Loading what="activities" />
      ) : byKind.error ? (
        <Problem text={byKind.error} />
      ) : (
        byKind.data && (
          <ActivitiesByBreakdown
            rows={byKind.data.rows}
            every={filters.every}
            by={filters.by}
            everyLabel={every}
            totals={totals.data?.rows}
            overall={overall.data}
            totalLabel={filters.by === "ward" ? allWards : "All activities"}
          />
        )
      )}
      <DownloadLink
        path="/api/v1/reports/activity-summary"
        query={{ ...common, group_by: `${filters.every},${filters.by}`, format: "csv" }}
        filename={`activities-${fileStem}.csv`}
      >
        Download CSV<span class="nhsuk-u-visually-hidden"> of activities by {filters.by}</span>
      </DownloadLink>

      <h2>Time of peer support and service users supported</h2>
      {totals.error ? (
        <Problem text={totals.error} />
      ) : !totals.data ? (
        <Loading />
      ) : (
        <>
          <BarChart
            title={`Hours of peer support by ${filters.every}`}
            yLabel="Hours"
            xFormat={(x) => periodLabel(x, filters.every)}
            data={totals.data.rows.map((r) => ({ x: periodOf(r, filters.every), y: Math.round(r.minutes / 6) / 10, series: "Hours" }))}
          />
          <Table
            caption={`Totals by ${filters.every}`}
            head={[every, "Activities", "Time of peer support", "Service users supported", "Workers"]}
            numeric={[1, 2, 3, 4]}
            rows={sortBy(totals.data.rows, (r) => periodOf(r, filters.every)).map((r) => [
              periodLabel(periodOf(r, filters.every), filters.every),
              r.activities,
              hoursMinutes(r.minutes),
              r.service_users,
              r.workers,
            ])}
            foot={[
              `${allWards}, whole period`,
              sum(totals.data.rows, (r) => r.activities),
              hoursMinutes(sum(totals.data.rows, (r) => r.minutes)),
              overall.data?.service_users ?? (overall.error ? "–" : "…"),
              overall.data?.workers ?? (overall.error ? "–" : "…"),
            ]}
          />
          <p class="nhsuk-body-s">
            The last row counts each service user and each worker once over the whole period, so it is less than the sum of the rows above
            when someone was supported in more than one {filters.every}.
          </p>
        </>
      )}
      <DownloadLink
        path="/api/v1/reports/activity-summary"
        query={{ ...common, group_by: filters.every, format: "csv" }}
        filename={`totals-${fileStem}.csv`}
      >
        Download CSV<span class="nhsuk-u-visually-hidden"> of totals</span>
      </DownloadLink>

      <h2 id="by-worker">By worker</h2>
      {byWorker.error ? (
        <Problem text={byWorker.error} />
      ) : !byWorker.data ? (
        <Loading what="the figures by worker" />
      ) : (
        <WorkerTable rows={byWorker.data.rows} overall={overall.data} overallFailed={!!overall.error} totalLabel={allWards} />
      )}
      <DownloadLink
        path="/api/v1/reports/activity-summary"
        query={{ ...common, group_by: "worker", format: "csv" }}
        filename={`workers-${fileStem}.csv`}
      >
        Download CSV<span class="nhsuk-u-visually-hidden"> of hours, contacts and people supported by worker</span>
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
            xFormat={(x) => periodLabel(x, "month")}
            data={leave.data.rows.map((r) => ({ x: r.month, y: r.leave_hours, series: wardLabel(wardOf(r), allNamed(leave.data?.rows)) }))}
          />
          <Table
            caption="Escorted leave by month and ward"
            head={["Month", "Ward", "Episodes", "Time on leave", "Returned as planned", "Not returned as planned"]}
            numeric={[2, 3, 4, 5]}
            rows={leave.data.rows.map((r) => [
              periodLabel(r.month, "month"),
              wardLabel(wardOf(r), allNamed(leave.data?.rows)),
              r.episodes,
              hoursAsHoursMinutes(r.leave_hours),
              r.returned_as_planned,
              r.not_returned_as_planned,
            ])}
            foot={[
              "Whole period",
              allWards,
              sum(leave.data.rows, (r) => r.episodes),
              hoursAsHoursMinutes(sum(leave.data.rows, (r) => r.leave_hours)),
              sum(leave.data.rows, (r) => r.returned_as_planned),
              sum(leave.data.rows, (r) => r.not_returned_as_planned),
            ]}
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
            xFormat={(x) => periodLabel(x, "month")}
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
              periodLabel(r.month, "month"),
              wardLabel(wardOf(r), allNamed(deesc.data?.rows)),
              r.de_escalations,
              r.restraint_avoided,
              `${Math.round(r.restraint_avoided_share * 100)}%`,
              r.staff_called,
            ])}
            foot={(() => {
              const rows = deesc.data?.rows ?? [];
              const all = sum(rows, (r) => r.de_escalations);
              const avoided = sum(rows, (r) => r.restraint_avoided);
              return [
                "Whole period",
                allWards,
                all,
                avoided,
                all ? `${Math.round((avoided / all) * 100)}%` : "–",
                sum(rows, (r) => r.staff_called),
              ];
            })()}
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
              wardLabel(wardOf(r), allNamed(groups.data?.rows)),
              r.sessions,
              r.named_attendance,
              r.unnamed_attendance,
              r.average_attendance,
            ])}
            foot={(() => {
              const rows = groups.data?.rows ?? [];
              const sessions = sum(rows, (r) => r.sessions);
              const named = sum(rows, (r) => r.named_attendance);
              const unnamed = sum(rows, (r) => r.unnamed_attendance);
              return [
                "All types",
                allWards,
                sessions,
                named,
                unnamed,
                sessions ? Math.round(((named + unnamed) / sessions) * 10) / 10 : "–",
              ];
            })()}
          />
        </>
      )}
      <DownloadLink path="/api/v1/reports/groups" query={{ ...common, format: "csv" }} filename={`groups-${fileStem}.csv`}>
        Download CSV<span class="nhsuk-u-visually-hidden"> of group sessions</span>
      </DownloadLink>

      <h2>Ward overviews</h2>
      <p>One ward's month at a glance ({monthName(filters.to.slice(0, 7))}, the last month of the period):</p>
      <ul class="nhsuk-list">
        {(wards.data ?? [])
          .filter((w) => w.active || showInactive)
          .map((w) => (
            <li key={w.id}>
              <a href={queryHref(`/reports/ward/${w.id}`, { month: filters.to.slice(0, 7), from: filters.from, to: filters.to })}>
                {wardLabel(w, wards.data ?? [])}
              </a>
            </li>
          ))}
      </ul>
    </>
  );
}

/** A report row's ward, named as the ward filter names it. */
function wardOf(r: { ward_id: string; ward_name: string; ward_code?: string | null }) {
  return { id: r.ward_id, name: r.ward_name, code: r.ward_code ?? "", active: true };
}

function allNamed(rows: { ward_id: string; ward_name: string; ward_code?: string | null }[] | undefined) {
  return (rows ?? []).map(wardOf).filter((w, i, xs) => xs.findIndex((o) => o.id === w.id) === i);
}

/** Each worker's hours, contacts and people supported over the period,
 * with a last row counting each activity and each person once. */
function WorkerTable({
  rows,
  overall,
  overallFailed,
  totalLabel,
}: {
  rows: SummaryRow[];
  overall?: SummaryRow;
  overallFailed: boolean;
  totalLabel: string;
}) {
  const sorted = sortBy(rows, (r) => r.worker_name ?? "");
  const pending = overallFailed ? "–" : "…";
  if (rows.length === 0) return <p>No worker recorded peer support in this period.</p>;
  return (
    <>
      <Table
        caption="Hours, contacts and people supported by worker, whole period"
        head={["Worker", "Time of peer support", "Contacts", "People supported"]}
        numeric={[1, 2, 3]}
        rows={sorted.map((r) => [r.worker_name ?? "", hoursMinutes(r.minutes), r.activities, r.service_users])}
        foot={[
          `${totalLabel}, each once`,
          overall ? hoursMinutes(overall.minutes) : pending,
          overall ? overall.activities : pending,
          overall ? overall.service_users : pending,
        ]}
      />
      <p class="nhsuk-body-s">
        Contacts are activities. An activity two workers shared is in both workers' rows, with its whole time, and a person supported by two
        workers is in both; the last row counts each activity, its time and each person once, so it can be less than the sum of the rows.
      </p>
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
  totals,
  overall,
  totalLabel,
}: {
  rows: SummaryRow[];
  every: "week" | "month";
  by: Dimension;
  everyLabel: string;
  /** The same report without the breakdown, for the total row. */
  totals?: SummaryRow[];
  overall?: SummaryRow;
  totalLabel: string;
}) {
  const byLabel = BREAKDOWNS.find((b) => b.value === by)?.text ?? humanise(by);
  // Two wards of the same name are told apart by their codes.
  const wardsHere = allNamed(
    rows.filter((r) => r.ward_id).map((r) => ({ ward_id: r.ward_id ?? "", ward_name: r.ward_name ?? "", ward_code: r.ward_code })),
  );
  const name = (r: SummaryRow) =>
    by === "ward" && r.ward_id
      ? wardLabel(wardOf({ ward_id: r.ward_id, ward_name: r.ward_name ?? "", ward_code: r.ward_code }), wardsHere)
      : seriesName(r, by);
  const data: Bar[] = rows.map((r) => ({ x: periodOf(r, every), y: r.activities, series: name(r) }));
  const series = Array.from(new Set(data.map((d) => d.series))).sort();
  const periods = Array.from(new Set(data.map((d) => d.x))).sort();
  const cell = new Map(data.map((d) => [`${d.x}|${d.series}`, d.y]));
  return (
    <>
      <BarChart
        title={`Activities by ${every} and ${byLabel.toLowerCase()}`}
        yLabel="Activities"
        data={data}
        seriesOrder={series}
        xFormat={(x) => periodLabel(x, every)}
      />
      <Table
        caption={`Activities by ${every} and ${byLabel.toLowerCase()}`}
        head={[byLabel, ...periods.map((p) => periodLabel(p, every)), "Total"]}
        numeric={periods.map((_, i) => i + 1).concat(periods.length + 1)}
        rows={series.map((s) => {
          const values = periods.map((p) => cell.get(`${p}|${s}`) ?? 0);
          return [s, ...values, values.reduce((a, b) => a + b, 0)];
        })}
        // Each activity once: from the report without the breakdown (an
        // activity with two workers is in two workers' rows).
        foot={[
          totalLabel,
          ...periods.map((p) => (totals ? (totals.find((r) => periodOf(r, every) === p)?.activities ?? 0) : "…")),
          overall?.activities ?? "…",
        ]}
      />
      <p class="nhsuk-body-s">
        {everyLabel} runs across the columns; a worker is counted on every activity they took part in, and each activity once in the last
        row.
      </p>
    </>
  );
}
