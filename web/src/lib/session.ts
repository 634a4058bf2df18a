// Who is using the shared tablet, and their tokens.
//
// - The access token lives in memory only.
// - The refresh token is kept in sessionStorage: it survives a reload of the
//   page (so an offline reload does not lose the session and the queue can be
//   sent when the network returns) but not closing the tab or the browser.
//   It is rotated through POST /api/v1/auth/refresh before the access token
//   expires, and on any 401.
// - Locking (idle or by hand) hides everything until the same person enters
//   their password again; the queue is untouched and keeps sending with that
//   person's token. Switching user signs out (revoking the refresh token);
//   records queued by the previous user wait for their next sign-in.
import { api, call, isOffline, setTokenSource, type Me, ApiProblem } from "../api/client";
import { kvDeleteOtherUsers, kvDeletePrefix, kvGet, kvSet } from "./db";
import { store } from "./store";

export type Status = "booting" | "signed-out" | "active" | "locked";

export interface SessionState {
  status: Status;
  me: Me | null;
  /** Holds a usable access token (false while offline after a reload, or
   * when the sign-in has ended and the next one is awaited). */
  authed: boolean;
  /** A message for the sign-in page (e.g. the session ended). */
  notice?: string;
}

export const session = store<SessionState>({ status: "booting", me: null, authed: false });

const REFRESH_KEY = "peerlog.refresh";
const USER_KEY = "peerlog.user";
const LOCKED_KEY = "peerlog.locked";

let accessToken: string | null = null;
let accessExpiresAt = 0;
let renewing: Promise<string | null> | null = null;
let renewTimer: ReturnType<typeof setTimeout> | undefined;
/** A PBKDF2 digest of the password, in memory only, so an idle lock can be
 * opened while the ward has no network. Gone on reload. */
let verifier: { salt: Uint8Array<ArrayBuffer>; digest: string } | null = null;

export function meKey(userId: string) {
  return `u:${userId}:me`;
}

async function digest(password: string, salt: Uint8Array<ArrayBuffer>): Promise<string> {
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(password), "PBKDF2", false, ["deriveBits"]);
  const bits = await crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt, iterations: 100_000 }, key, 256);
  return Array.from(new Uint8Array(bits), (b) => b.toString(16).padStart(2, "0")).join("");
}

async function remember(password: string) {
  try {
    const salt = crypto.getRandomValues(new Uint8Array(16));
    verifier = { salt, digest: await digest(password, salt) };
  } catch {
    verifier = null;
  }
}

function storeTokens(access: string, expiresIn: number, refresh: string) {
  accessToken = access;
  accessExpiresAt = Date.now() + expiresIn * 1000;
  sessionStorage.setItem(REFRESH_KEY, refresh);
  clearTimeout(renewTimer);
  // Renew a minute before expiry (or at 80% of a short lifetime).
  const lead = Math.min(60, expiresIn * 0.2);
  renewTimer = setTimeout(() => void renew(null).catch(() => undefined), Math.max(5, expiresIn - lead) * 1000);
}

function dropTokens() {
  accessToken = null;
  accessExpiresAt = 0;
  clearTimeout(renewTimer);
  sessionStorage.removeItem(REFRESH_KEY);
}

/** Rotates the refresh token. Resolves to the new access token; null when the
 * sign-in has ended (the refresh token expired or was revoked). Throws
 * Offline when the network is down. One rotation at a time: reusing a
 * rotated refresh token would revoke the whole sign-in. */
function renew(failed: string | null): Promise<string | null> {
  if (renewing) return renewing;
  if (failed && accessToken && failed !== accessToken) return Promise.resolve(accessToken);
  const refresh = sessionStorage.getItem(REFRESH_KEY);
  if (!refresh) return Promise.resolve(null);
  renewing = (async () => {
    try {
      const { data } = await call(api.POST("/api/v1/auth/refresh", { body: { refresh_token: refresh } }));
      storeTokens(data.access_token, data.expires_in, data.refresh_token);
      session.set((s) => ({ ...s, authed: true }));
      return data.access_token;
    } catch (e) {
      if (e instanceof ApiProblem && (e.status === 401 || e.status === 400 || e.status === 422)) {
        // The sign-in has ended. Queued records wait for the next sign-in.
        dropTokens();
        session.set(() => ({
          status: "signed-out",
          me: null,
          authed: false,
          notice: "Your sign-in has ended. Sign in again to carry on. Records waiting to send are kept on this tablet.",
        }));
        sessionStorage.removeItem(USER_KEY);
        return null;
      }
      throw e;
    } finally {
      renewing = null;
    }
  })();
  return renewing;
}

setTokenSource({
  async token() {
    if (accessToken && Date.now() < accessExpiresAt - 15_000) return accessToken;
    try {
      return await renew(null);
    } catch {
      return accessToken;
    }
  },
  async renew(failed) {
    try {
      return await renew(failed);
    } catch {
      return null;
    }
  },
});

/** The access token for `userId`, only if that user is the one signed in
 * now: records are only ever sent with their own author's token. */
export async function tokenFor(userId: string): Promise<string | null> {
  const s = session.get();
  if (!s.me || s.me.id !== userId || s.status === "signed-out" || s.status === "booting") return null;
  if (accessToken && Date.now() < accessExpiresAt - 15_000) return accessToken;
  return renew(null);
}

export function renewAfter401(failed: string): Promise<string | null> {
  return renew(failed).catch(() => null);
}

export class SignInError extends Error {
  constructor(
    readonly reason: "wrong" | "throttled" | "offline" | "other",
    readonly retryAfterSeconds?: number,
  ) {
    super(reason);
  }
}

async function requestTokens(username: string, password: string) {
  try {
    const { data } = await call(api.POST("/api/v1/auth/token", { body: { username, password } }));
    return data;
  } catch (e) {
    if (isOffline(e)) throw new SignInError("offline");
    if (e instanceof ApiProblem) {
      if (e.status === 401) throw new SignInError("wrong");
      if (e.status === 429) {
        const after = Number(e.response.headers.get("Retry-After"));
        throw new SignInError("throttled", Number.isFinite(after) && after > 0 ? after : undefined);
      }
    }
    throw new SignInError("other");
  }
}

/** Signs in on the tablet; the previous user (if any) must have signed out. */
export async function signIn(username: string, password: string): Promise<Me> {
  const t = await requestTokens(username.trim(), password);
  storeTokens(t.access_token, t.expires_in, t.refresh_token);
  let me: Me;
  try {
    ({ data: me } = await call(api.GET("/api/v1/me")));
  } catch {
    dropTokens();
    throw new SignInError("other");
  }
  await remember(password);
  sessionStorage.setItem(USER_KEY, me.id);
  sessionStorage.removeItem(LOCKED_KEY);
  await kvSet(meKey(me.id), me).catch(() => undefined);
  // Whatever an earlier user of the tablet left cached goes.
  await kvDeleteOtherUsers(me.id).catch(() => undefined);
  session.set({ status: "active", me, authed: true });
  return me;
}

export function lock() {
  const s = session.get();
  if (s.status !== "active") return;
  sessionStorage.setItem(LOCKED_KEY, "1");
  session.set({ ...s, status: "locked" });
}

/** Opens the lock: the same person's password, checked by the server when
 * there is a network (new tokens), by the in-memory digest when there is not. */
export async function unlock(password: string): Promise<void> {
  const s = session.get();
  if (!s.me) throw new SignInError("other");
  try {
    const old = sessionStorage.getItem(REFRESH_KEY);
    const t = await requestTokens(s.me.username, password);
    storeTokens(t.access_token, t.expires_in, t.refresh_token);
    if (old) void api.POST("/api/v1/auth/logout", { body: { refresh_token: old } }).catch(() => undefined);
    await remember(password);
  } catch (e) {
    if (!(e instanceof SignInError && e.reason === "offline")) throw e;
    if (!verifier || (await digest(password, verifier.salt)) !== verifier.digest) {
      throw verifier ? new SignInError("wrong") : e;
    }
  }
  sessionStorage.removeItem(LOCKED_KEY);
  session.set({ ...session.get(), status: "active" });
}

/** Signs out: revokes the refresh token, forgets this user's cached ward
 * data on the tablet. The queue of unsent records stays. */
export async function signOut(notice?: string): Promise<void> {
  const s = session.get();
  const refresh = sessionStorage.getItem(REFRESH_KEY);
  if (refresh) {
    await call(api.POST("/api/v1/auth/logout", { body: { refresh_token: refresh } })).catch(() => undefined);
  }
  dropTokens();
  verifier = null;
  sessionStorage.removeItem(USER_KEY);
  sessionStorage.removeItem(LOCKED_KEY);
  if (s.me) await kvDeletePrefix(`u:${s.me.id}:`).catch(() => undefined);
  session.set({ status: "signed-out", me: null, authed: false, notice });
}

/** On page load: carry on the tab's session when there is one. */
export async function boot(): Promise<void> {
  const userId = sessionStorage.getItem(USER_KEY);
  const refresh = sessionStorage.getItem(REFRESH_KEY);
  if (!userId || !refresh) {
    session.set({ status: "signed-out", me: null, authed: false });
    return;
  }
  const cached = await kvGet<Me>(meKey(userId)).catch(() => undefined);
  const locked = sessionStorage.getItem(LOCKED_KEY) === "1";
  if (cached) session.set({ status: locked ? "locked" : "active", me: cached, authed: false });
  try {
    const token = await renew(null);
    if (!token) return; // renew() has signed out with a notice
    const { data: me } = await call(api.GET("/api/v1/me"));
    await kvSet(meKey(me.id), me).catch(() => undefined);
    session.set((s) => ({ ...s, status: locked ? "locked" : "active", me, authed: true }));
  } catch (e) {
    if (!cached) {
      session.set({
        status: "signed-out",
        me: null,
        authed: false,
        notice: isOffline(e) ? "There is no connection. You need one to sign in." : undefined,
      });
    }
    // Offline with a known user: carry on; records queue until the network returns.
  }
}

/** Called when the network returns: get a token again if we lost it. */
export async function reconnect(): Promise<void> {
  const s = session.get();
  if (!s.me || s.authed || s.status === "signed-out") return;
  try {
    const token = await renew(null);
    if (token) session.set((x) => ({ ...x, authed: true }));
  } catch {
    // still offline
  }
}
