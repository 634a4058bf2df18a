// What the report screens share: the breakdowns, the default period, the
// caller's wards, and how a row names its series and period.
import { api, call, type Schemas, type Ward } from "../../api/client";
import { monthName, shortDayName } from "../../lib/dates";
import { humanise, kindLabel } from "../../lib/labels";
import { session } from "../../lib/session";
import { useStore } from "../../lib/store";
import { useLoad } from "../common";
export type SummaryRow = Schemas["SummaryRow"];
export type Dimension = Schemas["Dimension"];

export const BREAKDOWNS: { value: Dimension; text: string }[] = [
  { value: "kind", text: "Kind of activity" },
  { value: "ward", text: "Ward" },
  { value: "service_line", text: "Service line" },
  { value: "worker", text: "Worker" },
];

/** The wards the signed-in person may report on. */
export function useWards() {
  const me = useStore(session).me;
  return useLoad(async (): Promise<Ward[]> => {
    if (!me) return [];
    if (!me.sees_all_wards) return me.wards;
    const { data } = await call(api.GET("/api/v1/wards", { params: { query: { limit: 200 } } }));
    return data.items;
  }, [me?.id]);
}

export function seriesName(r: SummaryRow, by: Dimension): string {
  switch (by) {
    case "kind":
      return kindLabel(r.kind ?? "");
    case "ward":
      return r.ward_name ?? "";
    case "service_line":
      return humanise(r.service_line ?? "");
    case "worker":
      return r.worker_name ?? "";
    default:
      return "";
  }
}

export function periodOf(r: SummaryRow, every: "week" | "month") {
  return (every === "week" ? r.week : r.month) ?? "";
}

/** A month by name ("October 2026"), a week by its Monday ("28 Sep 2026"). */
export function periodLabel(value: string, every: "week" | "month"): string {
  return every === "week" ? shortDayName(value) : monthName(value);
}
