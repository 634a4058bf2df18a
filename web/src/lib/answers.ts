// The person's own answers ("your say", outcome measures) handed over on the
// tablet, queued like activities: stored in the same IndexedDB queue as the
// worker's records (marked `type: "measure_response"`), sent with the token
// of the worker who recorded them and only theirs, under the id the tablet
// chose when the person pressed Submit, so a retry never makes a second
// answer (the server answers 200 to a repeat). An answer leaves the queue
// only when the server acknowledged it. The worker never sees it: nothing
// here is shown on any screen but a count.
import { api, ApiProblem, call, isOffline, type Problem, type Schemas } from "../api/client";
import { kvGet, kvSet, outboxAll, outboxDelete, outboxPut } from "./db";
import { renewAfter401, session, tokenFor } from "./session";
import { store } from "./store";

export type NewMeasureResponse = Schemas["NewMeasureResponse"];
export type MeasureDefinition = Schemas["MeasureDefinition"];

export interface QueuedAnswer {
  id: string;
  type: "measure_response";
  userId: string;
  body: NewMeasureResponse;
  savedAt: string;
  state: "waiting" | "rejected";
  problem?: Problem;
  attempts: number;
}

/** Whether a queue row is a person's answer (not an activity). */
export function isAnswer(x: unknown): x is QueuedAnswer {
  return typeof x === "object" && x !== null && (x as { type?: string }).type === "measure_response";
}

/** The contact just recorded, whose people the ward screen offers their
 * say (cleared when the worker says "Not now" or hands over). */
export const sayOffer = store<{ userId: string; wardId: string; activityId: string; people: string[] } | null>(null);

/** How many answers wait on this tablet (shown as a number only). */
export const answersWaiting = store<number>(0);

export async function loadAnswers(): Promise<QueuedAnswer[]> {
  const all = (await outboxAll<unknown>()).filter(isAnswer);
  all.sort((a, b) => a.savedAt.localeCompare(b.savedAt));
  answersWaiting.set(all.length);
  return all;
}

export async function enqueueAnswer(body: NewMeasureResponse, userId: string): Promise<void> {
  await outboxPut<QueuedAnswer>({
    id: body.id,
    type: "measure_response",
    userId,
    body,
    savedAt: new Date().toISOString(),
    state: "waiting",
    attempts: 0,
  });
  await loadAnswers();
  void flushAnswers([]);
}

/** A measure's definition: from the server when online (and kept), from
 * the tablet's copy when not, so a hand-over works with no network. */
export async function measureDefinition(code: string): Promise<MeasureDefinition | null> {
  try {
    const { data } = await call(api.GET("/api/v1/measures/{code}", { params: { path: { code } } }));
    await kvSet(`measure:${code}`, data.definition);
    return data.definition;
  } catch (e) {
    const kept = await kvGet<MeasureDefinition>(`measure:${code}`);
    if (kept) return kept;
    if (isOffline(e)) return null;
    throw e;
  }
}

/** Fetches and keeps the definitions the ward hands over, while online. */
export function keepDefinitions(): void {
  for (const code of ["your_say", "ons4", "gbo"]) measureDefinition(code).catch(() => undefined);
}

/** Sends the signed-in worker's waiting answers. `activityIdsWaiting`: the
 * activities still in the queue; an answer about one of them waits until
 * the activity is stored (the server checks it exists). */
export async function flushAnswers(activityIdsWaiting: string[]): Promise<void> {
  const me = session.get().me;
  if (!me) return;
  const mine = (await loadAnswers()).filter(
    (a) => a.userId === me.id && a.state === "waiting" && !(a.body.activity_id && activityIdsWaiting.includes(a.body.activity_id)),
  );
  for (const item of mine) {
    let token: string | null;
    try {
      token = await tokenFor(me.id);
    } catch {
      return;
    }
    if (!token) return;
    const send = (t: string) => call(api.POST("/api/v1/measure-responses", { body: item.body, headers: { Authorization: `Bearer ${t}` } }));
    try {
      try {
        await send(token);
      } catch (e) {
        if (!(e instanceof ApiProblem && e.status === 401)) throw e;
        const fresh = await renewAfter401(token);
        // Only with the same worker's renewed token, never anyone else's.
        if (!fresh || session.get().me?.id !== item.userId) throw e;
        await send(fresh);
      }
      await outboxDelete(item.id);
    } catch (e) {
      if (isOffline(e) || (e instanceof ApiProblem && (e.status === 401 || e.status >= 500))) break;
      // Refused as it stands (e.g. a 409 or 422): kept, never dropped.
      const problem = e instanceof ApiProblem ? e.problem : undefined;
      await outboxPut<QueuedAnswer>({ ...item, state: "rejected", problem, attempts: item.attempts + 1 });
    }
  }
  await loadAnswers();
}
