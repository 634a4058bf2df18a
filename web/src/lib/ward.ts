// What the tablet keeps about a ward, per signed-in user, so the ward's
// screen opens with no network: its service users (display labels only; the
// API's list never carries NHS numbers), its recent activities, and the
// vocabulary.
//
// The activities are read newest first and kept current through the
// changes feed, in bounded steps however busy the ward is:
// - with nothing kept (or a gap too long to replay), the tablet takes the
//   feed's position now (GET /api/v1/sync/activities/start), reads the
//   newest page of the ward's list (GET /api/v1/activities), and is up to
//   date for what the screen shows: two requests;
// - after that it follows the feed from the stored cursor, at most
//   CATCH_UP_PAGES pages per check; a longer gap starts afresh as above;
// - older pages of the list are read only as the worker asks for more
//   (loadOlder), back to RECENT_DAYS.
import { api, asActivity, call, isOffline, type Activity, type ServiceUser, type Vocabulary } from "../api/client";
import { kvGet, kvSet } from "./db";
import { onSent } from "./outbox";
import { store } from "./store";

/** How far back the tablet keeps a ward's activities (the API refuses new
 * records older than this by default, PEERLOG_ACTIVITY_MAX_AGE_DAYS). */
const KEEP_DAYS = 30;

/** How far back the ward's screen lists activities, and so how far back
 * older pages are read. */
export const RECENT_DAYS = 7;

/** The newest page read when starting afresh, and each older page after. */
export const FIRST_PAGE = 50;
const OLDER_PAGE = 100;

/** Pages of 200 changes replayed per check before starting afresh instead. */
const CATCH_UP_PAGES = 5;

/** More activities kept than this (a very busy ward followed all day):
 * start afresh on the next check, so the kept copy stays small. */
const MAX_KEPT = 5000;

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
  /** The list's cursor for the next older page, or null when everything
   * back to RECENT_DAYS is here. */
  older: string | null;
  /** An older page is being read. */
  loadingOlder: boolean;
  /** Why the last older page could not be read. */
  olderError?: "offline" | "server";
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
    const [acts, sus, workers, older] = await Promise.all([
      kvGet<Record<string, Activity>>(k(userId, "acts", wardId)),
      kvGet<ServiceUser[]>(k(userId, "su", wardId)),
      kvGet<Worker[]>(k(userId, "workers", wardId)),
      kvGet<string | null>(k(userId, "older", wardId)),
    ]).catch(() => [undefined, undefined, undefined, undefined] as const);
    epoch++;
    ward.set({
      wardId,
      userId,
      activities: acts ?? {},
      serviceUsers: sus ?? [],
      workers: workers ?? [],
      loaded: !!acts,
      syncing: false,
      // A copy kept before older pages existed holds everything.
      older: older ?? null,
      loadingOlder: false,
    });
  }
  await refreshWard();
}

let syncing: Promise<void> | null = null;

/** Bumped whenever the kept activities are replaced (another ward or user,
 * a fresh start), so an older page read meanwhile is dropped, not merged. */
let epoch = 0;

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

/** Whether the ward open now is still this user's view of this ward. */
function stillOpen(userId: string, wardId: string): boolean {
  const c = ward.get();
  return !!c && c.userId === userId && c.wardId === wardId;
}

/** Applies activities to the open ward (keeping the highest version of
 * each) and keeps the result on the tablet. */
async function merge(userId: string, wardId: string, items: Activity[], older?: string | null): Promise<void> {
  if (!stillOpen(userId, wardId)) return;
  const w = ward.get()!;
  const acts = { ...w.activities };
  for (const a of items) upsert(acts, a);
  const kept = prune(acts);
  const next = older === undefined ? w.older : older;
  ward.set({ ...w, activities: kept, older: next });
  await kvSet(k(userId, "acts", wardId), kept);
  await kvSet(k(userId, "older", wardId), next);
}

/** The list's next cursor after a page, or null once the page reaches past
 * what the ward's screen lists. */
function olderAfter(items: Activity[], next: string | null | undefined): string | null {
  const last = items[items.length - 1];
  if (!next || !last) return null;
  return Date.parse(last.started_at) < Date.now() - RECENT_DAYS * 86_400_000 ? null : next;
}

/** Starts afresh: the feed's position now, then the newest page of the
 * ward's list (in that order, so no change falls between the two). */
async function startAfresh(userId: string, wardId: string): Promise<void> {
  const { data: start } = await call(api.GET("/api/v1/sync/activities/start", { params: { query: { ward_id: wardId } } }));
  const { data: page } = await call(api.GET("/api/v1/activities", { params: { query: { ward_id: wardId, limit: FIRST_PAGE } } }));
  if (!stillOpen(userId, wardId)) return;
  epoch++;
  ward.set((s) => (s ? { ...s, activities: {}, older: null, olderError: undefined } : s));
  const items = page.items.map(asActivity);
  await merge(userId, wardId, items, olderAfter(items, page.next_cursor));
  // The activities first, then the cursor: a crash between the two
  // replays changes, which upsert() takes twice without harm.
  await kvSet(k(userId, "cursor", wardId), start.cursor);
}

/** Follows the feed from the stored cursor for at most CATCH_UP_PAGES
 * pages; false when more changes were still waiting (start afresh). */
async function catchUp(userId: string, wardId: string, cursor: string): Promise<boolean> {
  for (let page = 0; page < CATCH_UP_PAGES; page++) {
    const { data } = await call(api.GET("/api/v1/sync/activities", { params: { query: { ward_id: wardId, cursor, limit: 200 } } }));
    await merge(
      userId,
      wardId,
      data.items.map((change) => asActivity(change.activity)),
    );
    cursor = data.next_cursor;
    await kvSet(k(userId, "cursor", wardId), cursor);
    if (!data.more) return true;
  }
  return false;
}

async function refreshNow(): Promise<void> {
  const w = ward.get();
  if (!w) return;
  const { userId, wardId } = w;
  const same = () => stillOpen(userId, wardId);
  ward.set((s) => (s ? { ...s, syncing: true } : s));
  try {
    const serviceUsers = await fetchServiceUsers(wardId);
    await kvSet(k(userId, "su", wardId), serviceUsers);
    if (same()) ward.set((s) => (s ? { ...s, serviceUsers } : s));

    const { data: workers } = await call(api.GET("/api/v1/wards/{id}/workers", { params: { path: { id: wardId } } }));
    await kvSet(k(userId, "workers", wardId), workers);
    if (same()) ward.set((s) => (s ? { ...s, workers } : s));

    const cursor = await kvGet<string>(k(userId, "cursor", wardId));
    const tooMany = Object.keys(ward.get()?.activities ?? {}).length > MAX_KEPT;
    if (!cursor || tooMany || !(await catchUp(userId, wardId, cursor))) await startAfresh(userId, wardId);
    if (same()) {
      ward.set((s) => (s ? { ...s, loaded: true, syncing: false, syncedAt: new Date().toISOString(), error: undefined } : s));
    }
  } catch (e) {
    const error = isOffline(e) ? "offline" : "server";
    if (same()) ward.set((s) => (s ? { ...s, syncing: false, error } : s));
  }
}

/** Reads the next older page of the open ward's activities, when there is
 * one (the ward's screen asks as the worker shows more). */
export async function loadOlder(): Promise<void> {
  const w = ward.get();
  if (!w || !w.older || w.loadingOlder) return;
  const { userId, wardId, older } = w;
  const mine = epoch;
  ward.set({ ...w, loadingOlder: true, olderError: undefined });
  try {
    const { data } = await call(
      api.GET("/api/v1/activities", { params: { query: { ward_id: wardId, cursor: older, limit: OLDER_PAGE } } }),
    );
    if (mine === epoch) {
      const items = data.items.map(asActivity);
      await merge(userId, wardId, items, olderAfter(items, data.next_cursor));
    }
    if (stillOpen(userId, wardId)) ward.set((s) => (s ? { ...s, loadingOlder: false } : s));
  } catch (e) {
    const olderError = isOffline(e) ? "offline" : "server";
    if (stillOpen(userId, wardId)) ward.set((s) => (s ? { ...s, loadingOlder: false, olderError } : s));
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
  await merge(w.userId, w.wardId, [a]).catch(() => undefined);
}

onSent((a) => void remember(a));
