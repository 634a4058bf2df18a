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
// - Signing in with an NHS account (src/lib/oidc.ts) ends in the same
//   session: the provider's ID token is exchanged for peerlog's tokens. Such
//   a person unlocks by signing in with their NHS account again; the tablet
//   opens only for the same person.
import { api, call, isOffline, setTokenSource, type Me, type Schemas, ApiProblem } from "../api/client";
import { kvDeleteOtherUsers, kvDeletePrefix, kvGet, kvSet } from "./db";
import { store } from "./store";

export type Status = "booting" | "signed-out" | "active" | "locked";
/** How the person signed in: it decides how the lock opens. */
export type Method = "password" | "oidc";

export interface SessionState {
  status: Status;
  me: Me | null;
  /** Holds a usable access token (false while offline after a reload, or
   * when the sign-in has ended and the next one is awaited). */
  authed: boolean;
  /** A message for the sign-in page (e.g. the session ended); while
   * booting, what is happening. */
  notice?: string;
  method?: Method;
}

export const session = store<SessionState>({ status: "booting", me: null, authed: false });

const REFRESH_KEY = "peerlog.refresh";
const USER_KEY = "peerlog.user";
const LOCKED_KEY = "peerlog.locked";
const METHOD_KEY = "peerlog.method";

type TokenResponse = Schemas["TokenResponse"];

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
        sessionStorage.removeItem(METHOD_KEY);
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

export type SignInFailure =
  | "wrong"
  | "throttled"
  | "offline"
  | "other"
  /** NHS account: the person cancelled at the provider. */
  | "cancelled"
  /** NHS account: the provider said no, or its token was not accepted. */
  | "refused"
  /** NHS account: the answer does not belong to a sign-in this tab started. */
  | "state"
  /** NHS account: no peerlog account is linked to the person. */
  | "not-linked"
  /** NHS account: the linked account is disabled or not yet complete. */
  | "inactive"
  /** NHS account: someone other than the person the tablet is locked for. */
  | "other-person";

export class SignInError extends Error {
  constructor(
    readonly reason: SignInFailure,
    readonly retryAfterSeconds?: number,
    /** For "other-person": who signed in at the provider. */
    readonly who?: string,
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
  return begin(t, "password", password);
}

/** A new session from peerlog's tokens, however they were obtained. */
async function begin(t: TokenResponse, method: Method, password?: string): Promise<Me> {
  storeTokens(t.access_token, t.expires_in, t.refresh_token);
  let me: Me;
  try {
    ({ data: me } = await call(api.GET("/api/v1/me")));
  } catch {
    dropTokens();
    throw new SignInError("other");
  }
  if (password !== undefined) await remember(password);
  else verifier = null;
  sessionStorage.setItem(USER_KEY, me.id);
  sessionStorage.setItem(METHOD_KEY, method);
  sessionStorage.removeItem(LOCKED_KEY);
  await kvSet(meKey(me.id), me).catch(() => undefined);
  // Whatever an earlier user of the tablet left cached goes.
  await kvDeleteOtherUsers(me.id).catch(() => undefined);
  session.set({ status: "active", me, authed: true, method });
  return me;
}

/** The provider's ID token for peerlog's own tokens
 * (POST /api/v1/auth/oidc/token). */
async function exchangeProviderToken(token: string): Promise<TokenResponse> {
  try {
    const { data } = await call(api.POST("/api/v1/auth/oidc/token", { body: { token } }));
    return data;
  } catch (e) {
    if (isOffline(e)) throw new SignInError("offline");
    if (e instanceof ApiProblem && e.status === 401) {
      if (e.problem.code === "account_not_linked") throw new SignInError("not-linked");
      if (e.problem.code === "account_inactive") throw new SignInError("inactive");
      throw new SignInError("refused");
    }
    throw new SignInError("other");
  }
}

/** Signs in with a token from the trust's identity provider: the same
 * session as after a password, without the offline unlock (there is no
 * password to check). */
export async function signInWithProvider(token: string): Promise<Me> {
  return begin(await exchangeProviderToken(token), "oidc");
}

/** Opens the lock with a token from the identity provider: only when it
 * names the person the tablet is locked for. Anyone else's new session is
 * ended at once and the tablet stays locked. */
export async function unlockWithProvider(token: string): Promise<void> {
  const s = session.get();
  if (!s.me) throw new SignInError("other");
  const t = await exchangeProviderToken(token);
  let me: Me;
  try {
    ({ data: me } = await call(api.GET("/api/v1/me", { headers: { Authorization: `Bearer ${t.access_token}` } })));
  } catch {
    void api.POST("/api/v1/auth/logout", { body: { refresh_token: t.refresh_token } }).catch(() => undefined);
    throw new SignInError("other");
  }
  if (me.id !== s.me.id) {
    await call(api.POST("/api/v1/auth/logout", { body: { refresh_token: t.refresh_token } })).catch(() => undefined);
    throw new SignInError("other-person", undefined, me.display_name);
  }
  const old = sessionStorage.getItem(REFRESH_KEY);
  storeTokens(t.access_token, t.expires_in, t.refresh_token);
  if (old) void api.POST("/api/v1/auth/logout", { body: { refresh_token: old } }).catch(() => undefined);
  sessionStorage.removeItem(LOCKED_KEY);
  session.set({ ...session.get(), status: "active", authed: true, me, method: "oidc" });
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
  sessionStorage.removeItem(METHOD_KEY);
  if (s.me) await kvDeletePrefix(`u:${s.me.id}:`).catch(() => undefined);
  session.set({ status: "signed-out", me: null, authed: false, notice });
}

/** On page load: carry on the tab's session when there is one. With
 * `finishing` (the identity provider has just sent the browser back), no
 * session is left as "booting" with that message, not "signed-out", until
 * the sign-in is finished. */
export async function boot(finishing?: string): Promise<void> {
  const userId = sessionStorage.getItem(USER_KEY);
  const refresh = sessionStorage.getItem(REFRESH_KEY);
  const method = sessionStorage.getItem(METHOD_KEY) === "oidc" ? "oidc" : "password";
  if (!userId || !refresh) {
    session.set(
      finishing ? { status: "booting", me: null, authed: false, notice: finishing } : { status: "signed-out", me: null, authed: false },
    );
    return;
  }
  const cached = await kvGet<Me>(meKey(userId)).catch(() => undefined);
  const locked = sessionStorage.getItem(LOCKED_KEY) === "1";
  if (cached) session.set({ status: locked ? "locked" : "active", me: cached, authed: false, method });
  try {
    const token = await renew(null);
    if (!token) return; // renew() has signed out with a notice
    const { data: me } = await call(api.GET("/api/v1/me"));
    await kvSet(meKey(me.id), me).catch(() => undefined);
    // Locked meanwhile (by hand, or idle) stays locked.
    session.set((s) => ({ ...s, status: locked || s.status === "locked" ? "locked" : "active", me, authed: true, method }));
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
