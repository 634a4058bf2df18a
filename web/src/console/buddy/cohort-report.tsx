// The cohort report, as a table with its CSV beside it.
import { api, call } from "../../api/client";
import { Table } from "../../components/nhs";
import { humanise } from "../../lib/labels";
import { DownloadLink, asJson, Loading, Problem, useLoad, useTitle } from "../common";

export function CohortReportScreen() {
  useTitle("Cohort report");
  const report = useLoad(async () => asJson((await call(api.GET("/api/v1/buddy/reports/cohorts", { params: { query: {} } }))).data), []);
  if (report.error) return <Problem text={report.error} />;
  if (!report.data) return <Loading />;
  return (
    <>
      <h1>Cohort report</h1>
      <Table
        caption="Pairings and meetings by cohort and discipline"
        head={["Cohort", "Discipline", "Students", "Pairings", "Active", "Completed", "Withdrawn", "Meetings held", "Completion rate"]}
        numeric={[2, 3, 4, 5, 6, 7, 8]}
        rows={report.data.rows.map((r) => [
          r.cohort_name,
          humanise(r.discipline),
          r.students,
          r.pairings,
          r.active,
          r.completed,
          r.withdrawn,
          r.meetings_held,
          r.completion_rate == null ? "Not yet" : `${Math.round(r.completion_rate * 100)}%`,
        ])}
      />
      <DownloadLink path="/api/v1/buddy/reports/cohorts" query={{ format: "csv" }} filename="buddy-cohorts.csv">
        Download CSV<span class="nhsuk-u-visually-hidden"> of the cohort report</span>
      </DownloadLink>
    </>
  );
}
