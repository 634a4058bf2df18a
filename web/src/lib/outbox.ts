// The queue of records kept on the tablet and not yet acknowledged by the
// server. A new record is first sent straight away (`sendNow`), so the
// worker sees the server's answer on the form; only one that could not be
// sent (no connection, no answer in time) is queued:
//
// - a record gets its client UUID when the worker presses Save, and keeps it
//   on every retry, so the server stores it once (a repeat answers
//   `already_present`);
// - it is stored in IndexedDB with the id of the user who made it, and only
//   ever sent with that user's token;
// - it leaves the queue only when the server acknowledged it (`created` or
//   `already_present`); a `rejected` one stays, with the server's problem, until
//   the worker fixes and resends it or discards it on purpose.
import {
  api,
  ApiProblem,
  asActivity,
  call,
  isOffline,
  type Activity,
  type BatchItemResult,
  type NewActivityBody,
  type Problem,
  type Schemas,
} from "../api/client";
import { flushAnswers, isAnswer } from "./answers";
import { outboxAll, outboxDelete, outboxPut } from "./db";
import { renewAfter401, session, tokenFor } from "./session";
import { store } from "./store";

export interface OutboxItem {
  id: string;
  userId: string;
  wardId: string;
  body: NewActivityBody;
  /** When the worker pressed Save. */
  savedAt: string;
  state: "waiting" | "rejected";
  problem?: Problem;
  attempts: number;
  lastTriedAt?: string;
}

export interface SendStatus {
  sending: boolean;
  /** What happened on the last attempt, for the banner. */
  last?:
    { at: string; created: number; alreadyThere: number; rejected: number } | { at: string; error: "offline" | "signed-out" | "server" };
}

export const outbox = store<OutboxItem[]>([]);
export const sendStatus = store<SendStatus>({ sending: false });

type SentListener = (a: Activity) => void;
const sentListeners = new Set<SentListener>();
export function onSent(fn: SentListener): () => void {
  sentListeners.add(fn);
  return () => sentListeners.delete(fn);
}

export async function loadOutbox(): Promise<void> {
  // The queue also holds the people's answers (src/lib/answers.ts): never
  // shown as records.
  const items = (await outboxAll<OutboxItem>()).filter((i) => !isAnswer(i));
  items.sort((a, b) => a.savedAt.localeCompare(b.savedAt));
  outbox.set(items);
}

export async function enqueue(body: NewActivityBody, userId: string): Promise<OutboxItem> {
  const item: OutboxItem = {
    id: body.id,
    userId,
    wardId: body.ward_id,
    body,
    savedAt: new Date().toISOString(),
    state: "waiting",
    attempts: 0,
  };
  await outboxPut(item);
  await loadOutbox();
  void flush();
  return item;
}

/** A rejected record, corrected by the worker: back in the queue under the
 * same id (the server never stored it). */
export async function resubmit(item: OutboxItem, body: NewActivityBody): Promise<void> {
  await outboxPut({ ...item, body: { ...body, id: item.id }, state: "waiting", problem: undefined });
  await loadOutbox();
  void flush();
}

export async function discard(id: string): Promise<void> {
  await outboxDelete(id);
  await loadOutbox();
}

/** Records saved by someone else on this tablet, waiting for them. */
export function othersWaiting(items: OutboxItem[], userId: string | undefined): number {
  return items.filter((i) => i.userId !== userId).length;
}

let flushing: Promise<void> | null = null;

/** Sends the signed-in user's waiting records. Safe to call at any time and
 * as often as wanted: one send at a time, and a resend is harmless. The
 * people's answers go after the records they are about. */
export function flush(): Promise<void> {
  if (!flushing) {
    flushing = flushNow()
      .then(() => flushAnswers(outbox.get().map((i) => i.id)))
      .finally(() => {
        flushing = null;
      });
  }
  return flushing;
}

const CHUNK = 100;

async function flushNow(): Promise<void> {
  const me = session.get().me;
  if (!me) return;
  const mine = outbox.get().filter((i) => i.userId === me.id && i.state === "waiting");
  if (!mine.length) return;
  sendStatus.set((s) => ({ ...s, sending: true }));
  const tally = { created: 0, alreadyThere: 0, rejected: 0 };
  const at = () => new Date().toISOString();
  try {
    for (let start = 0; start < mine.length; start += CHUNK) {
      const chunk = mine.slice(start, start + CHUNK);
      let token: string | null;
      try {
        token = await tokenFor(me.id);
      } catch {
        sendStatus.set({ sending: false, last: { at: at(), error: "offline" } });
        return;
      }
      if (!token) {
        sendStatus.set({ sending: false, last: { at: at(), error: "signed-out" } });
        return;
      }
      const now = at();
      for (const item of chunk) await outboxPut({ ...item, attempts: item.attempts + 1, lastTriedAt: now });
      let results: BatchItemResult[];
      try {
        results = await sendBatch(chunk, token, me.id);
      } catch (e) {
        await loadOutbox();
        const error = isOffline(e) ? "offline" : e instanceof ApiProblem && e.status === 401 ? "signed-out" : "server";
        sendStatus.set({ sending: false, last: { at: at(), error } });
        return;
      }
      for (const r of results) {
        const item = chunk[r.index];
        if (!item) continue;
        if (r.outcome === "created" || r.outcome === "already_present") {
          if (r.outcome === "created") tally.created++;
          else tally.alreadyThere++;
          await outboxDelete(item.id);
          const stored = r.activity;
          if (stored) sentListeners.forEach((fn) => fn(asActivity(stored)));
        } else {
          tally.rejected++;
          await outboxPut({
            ...item,
            attempts: item.attempts + 1,
            lastTriedAt: now,
            state: "rejected",
            problem: r.problem ?? { type: "about:blank", title: "Rejected", status: 422, code: "rejected" },
          });
        }
      }
    }
    await loadOutbox();
    sendStatus.set({ sending: false, last: { at: at(), ...tally } });
  } finally {
    if (sendStatus.get().sending) sendStatus.set((s) => ({ ...s, sending: false }));
  }
}

/** What sending one record straight away gave: stored (or already
 * stored), refused with the server's problem, or not sent at all. */
export type SendNow = { outcome: "stored" } | { outcome: "rejected"; problem: Problem } | { outcome: "not_sent" };

/** Sends one new record now, while the worker is still on the form, and
 * waits at most `waitMs` for the answer. Not sent (offline, signed out, no
 * answer in time, the server unwell): the caller queues it under the same
 * id, so a record the server did store is never stored twice. */
export async function sendNow(body: NewActivityBody, userId: string, waitMs = 10_000): Promise<SendNow> {
  if (typeof navigator !== "undefined" && !navigator.onLine) return { outcome: "not_sent" };
  try {
    const token = await tokenFor(userId);
    if (!token) return { outcome: "not_sent" };
    const [r] = await sendBatch([body], token, userId, AbortSignal.timeout(waitMs));
    if (!r) return { outcome: "not_sent" };
    if (r.outcome === "created" || r.outcome === "already_present") {
      const stored = r.activity;
      if (stored) sentListeners.forEach((fn) => fn(asActivity(stored)));
      return { outcome: "stored" };
    }
    return { outcome: "rejected", problem: r.problem ?? { type: "about:blank", title: "Rejected", status: 422, code: "rejected" } };
  } catch (e) {
    if (e instanceof ApiProblem && e.status === 422) return { outcome: "rejected", problem: e.problem };
    return { outcome: "not_sent" };
  }
}

async function sendBatch(
  chunk: { body: NewActivityBody }[] | NewActivityBody[],
  token: string,
  userId: string,
  signal?: AbortSignal,
): Promise<BatchItemResult[]> {
  const body: Schemas["ActivityBatch"] = { items: chunk.map((i) => ("body" in i ? i.body : i)) };
  const send = (t: string) => call(api.POST("/api/v1/activities/batch", { body, headers: { Authorization: `Bearer ${t}` }, signal }));
  try {
    return (await send(token)).data.items;
  } catch (e) {
    if (e instanceof ApiProblem && e.status === 401) {
      const fresh = await renewAfter401(token);
      // Only with the same person's renewed token, never anyone else's.
      if (fresh && session.get().me?.id === userId) return (await send(fresh)).data.items;
    }
    throw e;
  }
}
