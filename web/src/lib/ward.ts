// What the tablet keeps about a ward, per signed-in user, so the ward's
// screen opens with no network: its service users (display labels only; the
// API's list never carries NHS numbers), its recent activities kept current
// through the changes feed (GET /api/v1/sync/activities) resumed from a stored
// cursor, and the vocabulary.
import { api, asActivity, call, isOffline, type Activity, type ServiceUser, type Vocabulary } from "../api/client";
import { kvGet, kvSet } from "./db";
import { onSent } from "./outbox";
import { store } from "./store";

/** How far back the tablet keeps a ward's activities (the API refuses new
 * records older than this by default, PEERLOG_ACTIVITY_MAX_AGE_DAYS). */
const KEEP_DAYS = 30;

export interface Worker {
  id: string;
  display_name: string;
  role: string;
}

export interface WardState {
  wardId: string;
  userId: string;
  activities: Record<string, Activity>;
  serviceUsers: ServiceUser[];
  workers: Worker[];
  loaded: boolean;
  syncing: boolean;
  syncedAt?: string;
  error?: "offline" | "not-found" | "server";
}

export const ward = store<WardState | null>(null);
export const vocabulary = store<Vocabulary | null>(null);

const k = (userId: string, what: string, wardId: string) => `u:${userId}:${what}:${wardId}`;

function prune(acts: Record<string, Activity>): Record<string, Activity> {
  const cutoff = Date.now() - KEEP_DAYS * 86_400_000;
  const out: Record<string, Activity> = {};
  for (const a of Object.values(acts)) if (Date.parse(a.started_at) >= cutoff) out[a.id] = a;
  return out;
}

function upsert(acts: Record<string, Activity>, a: Activity) {
  const have = acts[a.id];
  if (!have || have.version <= a.version) acts[a.id] = a;
}

/** Keeps the vocabulary (from the API; the tablet's copy when offline). */
export async function loadVocabulary(): Promise<void> {
  if (!vocabulary.get()) {
    const cached = await kvGet<Vocabulary>("vocab").catch(() => undefined);
    if (cached) vocabulary.set(cached);
  }
  try {
    const { data } = await call(api.GET("/api/v1/vocabulary"));
    vocabulary.set(data);
    await kvSet("vocab", data).catch(() => undefined);
  } catch {
    // offline: the kept copy serves
  }
}

/** Opens a ward: what the tablet kept at once, then catches up. */
export async function openWard(userId: string, wardId: string): Promise<void> {
  const cur = ward.get();
  if (!cur || cur.wardId !== wardId || cur.userId !== userId) {
    const [acts, sus, workers] = await Promise.all([
      kvGet<Record<string, Activity>>(k(userId, "acts", wardId)),
      kvGet<ServiceUser[]>(k(userId, "su", wardId)),
      kvGet<Worker[]>(k(userId, "workers", wardId)),
    ]).catch(() => [undefined, undefined, undefined] as const);
    ward.set({
      wardId,
      userId,
      activities: acts ?? {},
      serviceUsers: sus ?? [],
      workers: workers ?? [],
      loaded: !!acts,
      syncing: false,
    });
  }
  await refreshWard();
}

let syncing: Promise<void> | null = null;

/** Catches the open ward up with the server: service users, workers, and
 * the changes since the stored cursor. */
export function refreshWard(): Promise<void> {
  if (!syncing) {
    syncing = refreshNow().finally(() => {
      syncing = null;
    });
  }
  return syncing;
}

async function refreshNow(): Promise<void> {
  const w = ward.get();
  if (!w) return;
  const { userId, wardId } = w;
  const same = () => {
    const c = ward.get();
    return c && c.userId === userId && c.wardId === wardId;
  };
  ward.set((s) => (s ? { ...s, syncing: true } : s));
  try {
    const serviceUsers = await fetchServiceUsers(wardId);
    await kvSet(k(userId, "su", wardId), serviceUsers);
    if (same()) ward.set((s) => (s ? { ...s, serviceUsers } : s));

    const { data: workers } = await call(api.GET("/api/v1/wards/{id}/workers", { params: { path: { id: wardId } } }));
    await kvSet(k(userId, "workers", wardId), workers);
    if (same()) ward.set((s) => (s ? { ...s, workers } : s));

    let cursor = await kvGet<string>(k(userId, "cursor", wardId));
    const acts = { ...(await kvGet<Record<string, Activity>>(k(userId, "acts", wardId))) };
    for (let page = 0; page < 100; page++) {
      const { data } = await call(api.GET("/api/v1/sync/activities", { params: { query: { ward_id: wardId, cursor, limit: 200 } } }));
      for (const change of data.items) upsert(acts, asActivity(change.activity));
      cursor = data.next_cursor;
      const kept = prune(acts);
      // The activities first, then the cursor: a crash between the two
      // replays changes, which upsert() takes twice without harm.
      await kvSet(k(userId, "acts", wardId), kept);
      await kvSet(k(userId, "cursor", wardId), cursor);
      if (!data.more) break;
    }
    if (same()) {
      const kept = prune(acts);
      ward.set((s) =>
        s ? { ...s, activities: kept, loaded: true, syncing: false, syncedAt: new Date().toISOString(), error: undefined } : s,
      );
    }
  } catch (e) {
    const error = isOffline(e) ? "offline" : "server";
    if (same()) ward.set((s) => (s ? { ...s, syncing: false, error } : s));
  }
}

async function fetchServiceUsers(wardId: string): Promise<ServiceUser[]> {
  const all: ServiceUser[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 20; page++) {
    const { data } = await call(api.GET("/api/v1/service-users", { params: { query: { ward_id: wardId, cursor, limit: 200 } } }));
    all.push(...data.items);
    cursor = data.next_cursor ?? undefined;
    if (!cursor) break;
  }
  return all;
}

/** A record the server answered (created, amended, voided): into the list. */
export async function remember(a: Activity): Promise<void> {
  const w = ward.get();
  if (!w || w.wardId !== a.ward_id) return;
  const acts = { ...w.activities };
  upsert(acts, a);
  ward.set({ ...w, activities: acts });
  await kvSet(k(w.userId, "acts", w.wardId), prune(acts)).catch(() => undefined);
}

onSent((a) => void remember(a));
