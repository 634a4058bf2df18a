// What the report screens share: the breakdowns, the default period, the
// caller's wards, and how a row names its series and period.
import { api, call, type Schemas, type Ward } from "../../api/client";
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

export function isoDate(d: Date) {
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
}

/** The default period: the year up to and including today. */
export function defaultPeriod(): { from: string; to: string } {
  const to = new Date();
  to.setDate(to.getDate() + 1);
  const from = new Date(to);
  from.setFullYear(from.getFullYear() - 1);
  return { from: isoDate(from), to: isoDate(to) };
}

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
