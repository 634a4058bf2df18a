// Escorted leave as it happens (GET/POST /api/v1/leaves): the ward's open
// leave (planned, authorised, out) as the ward screen shows it, and the
// moves a worker or a nurse makes with one tap. Leave needs the server (a
// nurse authorises it there), so none of this is queued offline.
import { api, call, type Schemas } from "../api/client";
import { store } from "./store";

export type Leave = Schemas["Leave"];
export type LeaveVerb = "authorise" | "depart" | "return" | "cancel";

export interface WardLeave {
  wardId: string;
  items: Leave[];
  loaded: boolean;
  error?: "offline" | "server";
}

export const wardLeave = store<WardLeave | null>(null);

/** Loads the ward's open leave, oldest plan first. */
export async function loadLeave(wardId: string): Promise<void> {
  const cur = wardLeave.get();
  if (!cur || cur.wardId !== wardId) wardLeave.set({ wardId, items: [], loaded: false });
  try {
    const { data } = await call(
      api.GET("/api/v1/leaves", { params: { query: { ward_id: wardId, state: "planned,authorised,out", limit: 200 } } }),
    );
    const items = [...data.items].sort((a, b) => a.planned_out_at.localeCompare(b.planned_out_at));
    if (wardLeave.get()?.wardId === wardId) wardLeave.set({ wardId, items, loaded: true });
  } catch (e) {
    if (wardLeave.get()?.wardId === wardId)
      wardLeave.set({ ...(wardLeave.get() as WardLeave), error: e instanceof Error && e.name === "Offline" ? "offline" : "server" });
  }
}

/** Applies a move's answer to the ward's list. */
function apply(l: Leave) {
  const cur = wardLeave.get();
  if (!cur || cur.wardId !== l.ward_id) return;
  const open = ["planned", "authorised", "out"].includes(l.state);
  const items = cur.items.filter((x) => x.id !== l.id);
  wardLeave.set({ ...cur, items: open ? [...items, l].sort((a, b) => a.planned_out_at.localeCompare(b.planned_out_at)) : items });
}

/** Makes a move on the version the screen shows (a stale one is refused). */
export async function move(l: Leave, verb: LeaveVerb, body: Record<string, unknown> = {}): Promise<Leave> {
  const params = { path: { id: l.id }, header: { "If-Match": `"v${l.version}"` } };
  const { data } =
    verb === "authorise"
      ? await call(api.POST("/api/v1/leaves/{id}/authorise", { params }))
      : verb === "depart"
        ? await call(api.POST("/api/v1/leaves/{id}/depart", { params, body }))
        : verb === "return"
          ? await call(api.POST("/api/v1/leaves/{id}/return", { params, body }))
          : await call(api.POST("/api/v1/leaves/{id}/cancel", { params, body: body as { reason: string } }));
  apply(data);
  return data;
}

/** A plan's expected length in words: "about 1 hour", "about 45 minutes". */
export function expectedLabel(minutes: number): string {
  if (minutes % 60 === 0) return `about ${minutes / 60} hour${minutes === 60 ? "" : "s"}`;
  if (minutes > 60) return `about ${Math.floor(minutes / 60)} h ${minutes % 60} min`;
  return `about ${minutes} minutes`;
}
