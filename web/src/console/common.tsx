// What the console's screens share: loading through the typed client, the
// problem an answer carries in words, downloads of the API's own files, the
// console's navigation and the query string that keeps a screen's filters.
import type { ComponentChildren } from "preact";
import { useEffect, useState } from "preact/hooks";
import { ApiProblem, fetchBlob, isOffline } from "../api/client";
import { go } from "../lib/router";
import { session } from "../lib/session";
import { useStore } from "../lib/store";
import { Button, cx } from "../components/nhs";
import { fieldSummary, messageFor, type FieldWords, type SummaryItem } from "./form-errors";

export interface Loaded<T> {
  data?: T;
  error?: string;
  loading: boolean;
  reload: () => void;
}

/** Runs `fn` when `deps` change; its answer, or the problem in words. */
export function useLoad<T>(fn: () => Promise<T>, deps: unknown[]): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: string; loading: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    setState({ loading: true });
    fn().then(
      (data) => live && setState({ data, loading: false }),
      (e) => live && setState({ error: problemText(e), loading: false }),
    );
    return () => {
      live = false;
    };
  }, [...deps, tick]);
  return { ...state, reload: () => setTick((t) => t + 1) };
}

export function problemText(e: unknown): string {
  if (isOffline(e)) return "There is no connection. Check it and try again.";
  if (e instanceof ApiProblem) {
    if (e.status === 403) return e.problem.detail || "You do not have access to this.";
    if (e.status === 404) return "Not found, or not one you can see.";
    const fields = e.problem.errors?.map((f) => `${f.field}: ${f.message}`).join("; ");
    return [e.problem.detail || e.problem.title, fields].filter(Boolean).join(" — ");
  }
  return "Something went wrong. Try again.";
}

/** The query of a console route as a plain object. */
export function readQuery(query: string): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(query));
}

/** The link to a console route with these filters. */
export function queryHref(path: string, values: Record<string, string | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(values)) if (v) q.set(k, v);
  const s = q.toString();
  return `#/console${path}${s ? `?${s}` : ""}`;
}

/** Puts filters into the route's query, so the link can be shared. */
export function setQuery(path: string, values: Record<string, string | undefined>) {
  go(queryHref(path, values));
}

/** Fetches a file from the API with the bearer token and offers it as a
 * download (an object URL on this origin). */
export async function downloadFile(path: string, query: Record<string, string | undefined>, filename: string) {
  const blob = await fetchBlob(path, query);
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}

export function DownloadLink({
  path,
  query,
  filename,
  children,
}: {
  path: string;
  query: Record<string, string | undefined>;
  filename: string;
  children: ComponentChildren;
}) {
  const [error, setError] = useState<string>();
  return (
    <p class="nhsuk-body-s app-download">
      <a
        href={`#download-${filename}`}
        download={filename}
        onClick={(e) => {
          e.preventDefault();
          setError(undefined);
          downloadFile(path, query, filename).catch((x) => setError(problemText(x)));
        }}
      >
        {children}
      </a>
      {error && <span class="nhsuk-error-message"> {error}</span>}
    </p>
  );
}

export function Loading({ what }: { what?: string }) {
  return (
    <p class="nhsuk-body" role="status">
      Loading{what ? ` ${what}` : ""}…
    </p>
  );
}

export function Problem({ text }: { text: string }) {
  return (
    <div class="nhsuk-error-summary" role="alert">
      <h2 class="nhsuk-error-summary__title">There is a problem</h2>
      <div class="nhsuk-error-summary__body">
        <p>{text}</p>
      </div>
    </div>
  );
}

export interface NavItem {
  href: string;
  text: string;
}

/** The console's own navigation, by role. */
export function consoleNav(role: string): NavItem[] {
  const items: NavItem[] = [];
  if (role === "manager" || role === "peer_team_leader" || role === "admin") items.push({ href: "#/console/reports", text: "Reports" });
  if (role === "manager" || role === "peer_team_leader")
    items.push({ href: "#/console/impact", text: "Impact" }, { href: "#/console/board", text: "Board report" });
  if (role === "admin") {
    items.push(
      { href: "#/console/users", text: "Users" },
      { href: "#/console/wards", text: "Wards" },
      { href: "#/console/tablets", text: "Ward tablets" },
      { href: "#/console/audit", text: "Audit log" },
    );
  }
  if (role === "buddy_coordinator" || role === "manager") {
    items.push(
      { href: "#/console/buddy", text: "Buddy Scheme pairings" },
      { href: "#/console/buddy/people", text: "Cohorts, students and buddies" },
      { href: "#/console/buddy/report", text: "Cohort report" },
    );
  }
  if (role === "buddy_student" || role === "buddy_volunteer") items.push({ href: "#/console/my-buddy", text: "My pairing" });
  if (role === "peer_team_leader") items.push({ href: "#/wards", text: "Ward screens" });
  return items;
}

export function ConsoleNav({ current }: { current: string }) {
  const me = useStore(session).me;
  if (!me) return null;
  const items = consoleNav(me.role);
  if (items.length < 2) return null;
  return (
    <nav class="app-console-nav" aria-label="Console">
      <ul class="app-console-nav__list">
        {items.map((i) => {
          const here =
            current === i.href ||
            (current.startsWith(`${i.href}/`) &&
              !items.some((o) => o.href !== i.href && current.startsWith(o.href) && o.href.length > i.href.length));
          return (
            <li key={i.href} class={cx("app-console-nav__item", here && "app-console-nav__item--current")}>
              <a href={i.href} aria-current={here ? "page" : undefined}>
                {i.text}
              </a>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}

export function useTitle(title: string) {
  useEffect(() => {
    document.title = `${title} – Peer support log – NHS`;
  }, [title]);
}

export function SubmitRow({ busy, children }: { busy?: boolean; children: ComponentChildren }) {
  return <Button disabled={busy}>{busy ? "Saving…" : children}</Button>;
}

/** Reports answer JSON or CSV; asked for JSON, the answer is the object. */
export function asJson<T>(x: T | string): Exclude<T, string> {
  if (typeof x === "string") throw new Error("expected JSON, got CSV");
  return x as Exclude<T, string>;
}

/**
 * What a console screen does when a button changes something: clears the
 * last message, runs the change, then says what was done and reloads what
 * it changed, or shows what went wrong.
 */
export function actions(setError: (e?: string) => void, setDone: (d?: string) => void, reload: () => void) {
  return async (what: string, fn: () => Promise<unknown>) => {
    setError(undefined);
    setDone(undefined);
    try {
      await fn();
      setDone(what);
      reload();
    } catch (x) {
      setError(problemText(x));
    }
  };
}

/**
 * A console form's errors for its error summary: its own checks (`fail`),
 * or the server's 422 with each field error in plain words, linked to its
 * input (`fromError`). `attempt` counts failed submits, so the summary takes
 * the focus every time; `error(id)` is the message beside one input.
 */
export function useFormErrors() {
  const [items, setItems] = useState<SummaryItem[]>([]);
  const [attempt, setAttempt] = useState(0);
  const fail = (xs: SummaryItem[]) => {
    setItems(xs);
    if (xs.length) setAttempt((n) => n + 1);
    return xs.length > 0;
  };
  return {
    items,
    attempt,
    fail,
    clear: () => setItems([]),
    fromError: (x: unknown, fields: Record<string, FieldWords>, firstId: string) => {
      const errors = x instanceof ApiProblem ? (x.problem.errors ?? []) : [];
      fail(errors.length ? fieldSummary(errors, fields, firstId) : [{ id: firstId, text: problemText(x) }]);
    },
    error: (id: string) => messageFor(items, id),
  };
}
