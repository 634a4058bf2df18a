// What the admin's screens share: the roles and service lines to choose
// from, and every ward and account, all pages read.
import { api, call, type Schemas, type Ward } from "../../api/client";
import { useLoad } from "../common";
import type { FieldWords, SummaryItem } from "../form-errors";
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

const USERNAME = /^[a-z0-9._-]{2,64}$/;
const USERNAME_RULE = "Enter a username of 2 to 64 lower-case letters, digits, dots, dashes or underscores, for example j.okafor";
export const PASSWORD_MIN = 12;

/** An account's fields as the API names them, in the form's order. */
export const USER_FIELDS: Record<string, FieldWords> = {
  display_name: { id: "display_name", label: "Full name", say: (fe) => (fe.code === "required" ? "Enter their full name" : undefined) },
  username: {
    id: "username",
    label: "Username",
    say: (fe) => (fe.code === "conflict" || /taken|exists/.test(fe.message) ? "That username is taken. Choose another" : USERNAME_RULE),
  },
  role: { id: "role", label: "Role" },
  password: { id: "password", label: "Password", say: (fe) => (fe.code === "required" ? "Enter a password" : undefined) },
  ward_ids: { id: "ward_ids", label: "Wards" },
};

/** What a new account's form refuses before sending. */
export function checkUser(f: { display_name: string; username: string; password: string }): SummaryItem[] {
  const out: SummaryItem[] = [];
  if (!f.display_name.trim()) out.push({ id: "display_name", text: "Enter their full name" });
  else if (f.display_name.trim().length > 200) out.push({ id: "display_name", text: "Full name must be 200 characters or fewer" });
  if (!USERNAME.test(f.username.trim())) out.push({ id: "username", text: f.username.trim() ? USERNAME_RULE : "Enter a username" });
  out.push(...checkPassword(f.password, "password"));
  return out;
}

/** A password the API will take: at least 12 characters. */
export function checkPassword(password: string, id: string): SummaryItem[] {
  if (!password) return [{ id, text: "Enter a password" }];
  if ([...password].length < PASSWORD_MIN) return [{ id, text: `The password must be at least ${PASSWORD_MIN} characters` }];
  return [];
}

/** A ward's fields as the API names them. */
export const WARD_FIELDS: Record<string, FieldWords> = {
  name: { id: "ward-name", label: "Name", say: (fe) => (fe.code === "required" ? "Enter the ward's name" : undefined) },
  code: {
    id: "ward-code",
    label: "Code",
    say: (fe) =>
      fe.code === "conflict" || /taken|exists/.test(fe.message)
        ? "A ward already has that code. Choose another"
        : "Enter a code of 2 to 32 upper-case letters, digits, dashes or underscores, for example ADULT-ASH",
  },
  service_line: { id: "service-line", label: "Service line" },
};

/** What the ward forms refuse before sending. */
export function checkWard(f: { name: string; code?: string }): SummaryItem[] {
  const out: SummaryItem[] = [];
  if (!f.name.trim()) out.push({ id: "ward-name", text: "Enter the ward's name" });
  else if (f.name.trim().length > 200) out.push({ id: "ward-name", text: "Name must be 200 characters or fewer" });
  if (f.code !== undefined && !/^[A-Z0-9][A-Z0-9_-]{1,31}$/.test(f.code.trim()))
    out.push({
      id: "ward-code",
      text: f.code.trim()
        ? "Enter a code of 2 to 32 upper-case letters, digits, dashes or underscores, for example ADULT-ASH"
        : "Enter the ward's code",
    });
  return out;
}
