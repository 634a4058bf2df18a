// What the admin's screens share: the roles and service lines to choose
// from, and every ward and account, all pages read.
import { api, call, type Schemas, type Ward } from "../../api/client";
import { useLoad } from "../common";
export type Role = Schemas["Role"];
export type ServiceLine = Schemas["ServiceLine"];
export type User = Schemas["User"];

export const ROLES: Role[] = [
  "peer_support_worker",
  "peer_team_leader",
  "ward_staff",
  "manager",
  "buddy_coordinator",
  "admin",
  "integration",
  "buddy_student",
  "buddy_volunteer",
];
export const SERVICE_LINES: ServiceLine[] = [
  "adult",
  "older_adult",
  "camhs",
  "specialist",
  "medium_secure",
  "learning_disability",
  "other",
];

export function allWards() {
  return useLoad(async (): Promise<Ward[]> => (await call(api.GET("/api/v1/wards", { params: { query: { limit: 200 } } }))).data.items, []);
}

export async function allUsers(): Promise<User[]> {
  const out: User[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < 20; i++) {
    const { data } = await call(api.GET("/api/v1/users", { params: { query: { limit: 200, cursor } } }));
    out.push(...data.items);
    cursor = data.next_cursor ?? undefined;
    if (!cursor) break;
  }
  return out;
}
