// The impact screen (managers; team leaders for their wards): "your say"
// results, change on outcome measures, de-escalations against restraint and
// leave enabled per ward and month, and hours of peer support per occupied
// bed day. Each chart has its table and the API's CSV; the period and the
// grouping live in the route's query, so a link keeps them. Counts of fewer
// than 5 people arrive as "<5" and are shown as such.
import { useState } from "preact/hooks";
import { api, call, type Schemas } from "../../api/client";
import { Button, ErrorSummary, Select, Table } from "../../components/nhs";
import { hoursAsHoursMinutes, monthName, shortMonthName } from "../../lib/dates";
import { BarChart, type Bar } from "../chart";
import { DownloadLink, Loading, Problem, asJson, queryHref, readQuery, setQuery, useLoad, useTitle } from "../common";
import { apiPeriod, PeriodFields, PeriodLine, PeriodShortcuts, periodFromQuery, periodSummary, usePeriodDraft } from "./period";

type Count = Schemas["Count"];
const ALL = "All wards";
const num = (c: Count | null | undefined): number => (typeof c === "number" ? c : 0);
const show = (c: Count | null | undefined): string => (c === null || c === undefined ? "–" : String(c));

export function ImpactScreen({ query }: { query: string }) {
  useTitle("Impact");
  const q = readQuery(query);
  const period = periodFromQuery(q);
  const filters = {
    ...period,
    group_by: (q.group_by === "service_line" ? "service_line" : "ward") as "ward" | "service_line",
    // Which group the charts and tables show (the CSV has them all).
    show: q.show || ALL,
  };
  const key = JSON.stringify({ ...filters, show: "" });
  const [form, setForm] = useState(filters);
  const draft = usePeriodDraft(period);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [attempt, setAttempt] = useState(0);
  // The API's `to` is the day after the last one chosen.
  const common = { ...apiPeriod(period), group_by: filters.group_by };
  const stem = `${filters.from}-to-${filters.to}-by-${filters.group_by}`;
  const yourSay = useLoad(
    () =>
      call(api.GET("/api/v1/reports/impact/your-say", { params: { query: common } })).then(
        (r) => asJson(r.data).rows as Schemas["YourSayRow"][],
      ),
    [key],
  );
  const outcomes = useLoad(
    () =>
      call(api.GET("/api/v1/reports/impact/outcomes", { params: { query: common } })).then(
        (r) => asJson(r.data).rows as Schemas["OutcomeRow"][],
      ),
    [key],
  );
  const context = useLoad(
    () =>
      call(api.GET("/api/v1/reports/impact/ward-context", { params: { query: common } })).then(
        (r) => asJson(r.data).rows as Schemas["WardContextRow"][],
      ),
    [key],
  );
  const quotes = useLoad(
    () =>
      call(api.GET("/api/v1/reports/impact/quotes", { params: { query: common } })).then(
        (r) => asJson(r.data).rows as Schemas["QuoteRow"][],
      ),
    [key],
  );
  const csv = (path: string, name: string) => (
    <DownloadLink path={path} query={{ ...common, format: "csv" }} filename={`${name}-${stem}.csv`}>
      Download this table as CSV<span class="nhsuk-u-visually-hidden"> ({name.replace(/-/g, " ")})</span>
    </DownloadLink>
  );
  const mine = <T extends { group: string }>(rows: T[] | undefined) => (rows ?? []).filter((r) => r.group === filters.show);
  const cx = mine(context.data);
  const groups = Array.from(new Set([ALL, ...(context.data ?? []).map((r) => r.group)]));
  return (
    <>
      <h1>Impact of peer support</h1>
      <p>
        Figures about fewer than 5 people are shown as &lt;5, so no one can be recognised.{" "}
        <a href={`#/console/board?quarter=${filters.to}`}>Quarterly board report</a> ·{" "}
        <a href="#/console/ward-figures">Load ward figures</a>
      </p>
      <PeriodLine period={period} />
      <PeriodShortcuts current={period} href={(p) => queryHref("/impact", { ...filters, from: p.from, to: p.to })} />
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
          setQuery("/impact", { ...form, from: r.period.from, to: r.period.to });
        }}
      >
        <ErrorSummary errors={periodSummary(errors)} attempt={attempt} />
        <PeriodFields draft={draft} errors={errors} />
        <div class="nhsuk-grid-row">
          <div class="nhsuk-grid-column-one-half">
            <Select
              id="show"
              label="Show"
              value={form.show}
              onChange={(v) => setForm({ ...form, show: v })}
              options={groups.map((g) => ({ value: g, text: g }))}
            />
          </div>
          <div class="nhsuk-grid-column-one-half">
            <Select
              id="group_by"
              label="Group by"
              value={form.group_by}
              onChange={(v) => setForm({ ...form, group_by: v as "ward" | "service_line", show: ALL })}
              options={[
                { value: "ward", text: "Ward" },
                { value: "service_line", text: "Service line" },
              ]}
            />
          </div>
        </div>
        <Button>Show</Button>
      </form>

      <h2>Your say</h2>
      {yourSay.loading ? (
        <Loading />
      ) : yourSay.error ? (
        <Problem text={yourSay.error} />
      ) : (
        <>
          <BarChart
            title="Your say answers"
            yLabel="Answers"
            data={mine(yourSay.data)
              .filter((r) => r.item !== "declined")
              .map((r): Bar => ({ x: r.item, y: num(r.responses), series: r.label }))}
          />
          <Table
            caption={`Your say: answers by question (${filters.show})`}
            head={["Group", "Question", "Answer", "Answers", "People"]}
            numeric={[3, 4]}
            rows={mine(yourSay.data).map((r) => [r.group, r.question, r.label, show(r.responses), show(r.people)])}
          />
          {csv("/api/v1/reports/impact/your-say", "your-say")}
        </>
      )}

      <h2>Change on outcome measures</h2>
      {outcomes.loading ? (
        <Loading />
      ) : outcomes.error ? (
        <Problem text={outcomes.error} />
      ) : (
        <>
          <BarChart
            title="People improved, unchanged or worse"
            yLabel="People"
            seriesOrder={["Improved", "Unchanged", "Worse"]}
            data={mine(outcomes.data).flatMap((r): Bar[] => [
              { x: r.label.slice(0, 24), y: num(r.improved), series: "Improved" },
              { x: r.label.slice(0, 24), y: num(r.unchanged), series: "Unchanged" },
              { x: r.label.slice(0, 24), y: num(r.worse), series: "Worse" },
            ])}
          />
          <Table
            caption={`Change from first to latest answer, per person (${filters.show})`}
            head={["Group", "Score", "People", "Improved", "Unchanged", "Worse", "Reliably improved", "Reliably worse"]}
            numeric={[2, 3, 4, 5, 6, 7]}
            rows={mine(outcomes.data).map((r) => [
              r.group,
              `${r.measure.toUpperCase()}: ${r.label}`,
              show(r.people),
              show(r.improved),
              show(r.unchanged),
              show(r.worse),
              show(r.reliably_improved),
              show(r.reliably_worse),
            ])}
          />
          {csv("/api/v1/reports/impact/outcomes", "outcomes")}
        </>
      )}

      <h2>De-escalations, restraint and leave, by month</h2>
      {context.loading ? (
        <Loading />
      ) : context.error ? (
        <Problem text={context.error} />
      ) : (
        <>
          {/* Stacked bars only where the parts add up to the whole. */}
          <BarChart
            title="De-escalations by month"
            yLabel="De-escalations"
            xFormat={shortMonthName}
            seriesOrder={["Restraint avoided", "Other de-escalations"]}
            data={cx.flatMap((r): Bar[] => [
              { x: r.month.slice(0, 7), y: r.restraint_avoided, series: "Restraint avoided" },
              { x: r.month.slice(0, 7), y: r.de_escalations - r.restraint_avoided, series: "Other de-escalations" },
            ])}
          />
          <BarChart
            title="Restraint incidents by month (trust incident system)"
            yLabel="Restraint incidents"
            xFormat={shortMonthName}
            data={cx.map((r): Bar => ({ x: r.month.slice(0, 7), y: r.restraint_incidents ?? 0, series: "Restraint incidents" }))}
          />
          <BarChart
            title="Escorted leave by month"
            yLabel="Escorted leave"
            xFormat={shortMonthName}
            seriesOrder={["Would otherwise have been cancelled", "Other escorted leave"]}
            data={cx.flatMap((r): Bar[] => [
              { x: r.month.slice(0, 7), y: r.leave_enabled, series: "Would otherwise have been cancelled" },
              { x: r.month.slice(0, 7), y: r.escorted_leave - r.leave_enabled, series: "Other escorted leave" },
            ])}
          />
          <Table
            caption={`Ward context by month (${filters.show})`}
            head={[
              "Group",
              "Month",
              "Contacts",
              "Time of peer support",
              "De-escalations",
              "Restraint avoided",
              "Restraint incidents",
              "Escorted leave",
              "Leave enabled",
              "Occupied bed days",
              "Hours per occupied bed day",
            ]}
            numeric={[2, 3, 4, 5, 6, 7, 8, 9, 10]}
            rows={cx.map((r) => [
              r.group,
              monthName(r.month),
              r.contacts,
              hoursAsHoursMinutes(r.peer_support_hours),
              r.de_escalations,
              r.restraint_avoided,
              r.restraint_incidents ?? "–",
              r.escorted_leave,
              r.leave_enabled,
              r.occupied_bed_days ?? "–",
              r.hours_per_occupied_bed_day === null || r.hours_per_occupied_bed_day === undefined
                ? "–"
                : r.hours_per_occupied_bed_day.toFixed(2),
            ])}
          />
          {csv("/api/v1/reports/impact/ward-context", "ward-context")}
        </>
      )}

      <h2>In their own words</h2>
      {quotes.loading ? (
        <Loading />
      ) : quotes.error ? (
        <Problem text={quotes.error} />
      ) : (quotes.data ?? []).length === 0 ? (
        <p>No shared quotes in this period.</p>
      ) : (
        <>
          {(quotes.data ?? [])
            .filter((r) => filters.show === ALL || r.group === filters.show)
            .slice(0, 6)
            .map((r, i) => (
              <blockquote class="app-quote" key={i}>
                <p>&ldquo;{r.quote}&rdquo;</p>
                <footer class="nhsuk-body-s">
                  {r.group}, {monthName(r.month)}
                </footer>
              </blockquote>
            ))}
          {csv("/api/v1/reports/impact/quotes", "quotes")}
        </>
      )}
    </>
  );
}
