// One activity read from the API, with its ETag; the tablet's copy when
// offline.
import { useEffect, useState } from "preact/hooks";
import { api, ApiProblem, asActivity, call, isOffline, type Activity } from "../api/client";
import { kvGet } from "./db";
import { session } from "./session";
import { remember } from "./ward";

export interface Loaded {
  activity: Activity | null;
  etag: string | null;
  state: "loading" | "ok" | "offline" | "not-found" | "error";
  /** Shown from the tablet's copy (offline). */
  stale?: boolean;
}

export function etagOf(a: Activity): string {
  return `"v${a.version}"`;
}

export async function fetchActivity(id: string): Promise<{ activity: Activity; etag: string }> {
  const { data, response } = await call(api.GET("/api/v1/activities/{id}", { params: { path: { id } } }));
  const activity = asActivity(data);
  const etag = response.headers.get("ETag") ?? etagOf(activity);
  void remember(activity);
  return { activity, etag };
}

async function cached(id: string): Promise<Activity | null> {
  const me = session.get().me;
  if (!me) return null;
  for (const w of me.wards) {
    const acts = await kvGet<Record<string, Activity>>(`u:${me.id}:acts:${w.id}`).catch(() => undefined);
    if (acts?.[id]) return acts[id];
  }
  return null;
}

export function useActivity(id: string): [Loaded, (a?: { activity: Activity; etag: string }) => void] {
  const [state, setState] = useState<Loaded>({ activity: null, etag: null, state: "loading" });
  const [n, setN] = useState(0);
  useEffect(() => {
    let live = true;
    fetchActivity(id)
      .then(({ activity, etag }) => live && setState({ activity, etag, state: "ok" }))
      .catch(async (e) => {
        if (!live) return;
        if (isOffline(e)) {
          const a = await cached(id);
          setState({ activity: a, etag: a ? etagOf(a) : null, state: a ? "ok" : "offline", stale: !!a });
        } else if (e instanceof ApiProblem && (e.status === 404 || e.status === 403)) {
          setState({ activity: null, etag: null, state: "not-found" });
        } else {
          setState({ activity: null, etag: null, state: "error" });
        }
      });
    return () => {
      live = false;
    };
  }, [id, n]);
  return [
    state,
    (a) => {
      if (a) setState({ activity: a.activity, etag: a.etag, state: "ok" });
      else setN((x) => x + 1);
    },
  ];
}
