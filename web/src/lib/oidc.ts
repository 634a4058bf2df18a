// "Sign in with your NHS account": the OpenID Connect authorisation code
// flow with PKCE (S256) against the trust's identity provider, as a public
// client (no secret anywhere). GET /api/v1/app-config names the provider.
//
// 1. start(): a fresh `state`, `nonce` and PKCE verifier are kept in
//    sessionStorage (this tab only), and the whole page goes to the
//    provider's authorisation endpoint (a top-level navigation: the CSP
//    needs nothing for it). `prompt=login` makes the provider ask who is
//    there every time, so on a shared tablet the previous person's session
//    at the provider can never sign the next person in.
// 2. The provider sends the browser back to /auth/callback (peerlog serves
//    the app there) with `code` and `state`, or `error`. takeCallback()
//    reads them, takes the pending sign-in out of sessionStorage (it is used
//    once) and puts the app's own address back in the location bar before
//    anything else runs, so the code is neither kept in the history nor
//    seen by anything else.
// 3. finish(): `state` must be the one kept (else the answer is ignored),
//    the code is traded at the provider's token endpoint with the verifier
//    (a plain form-encoded POST; the CSP's connect-src names that origin),
//    the ID token's `nonce` and `iss` are checked, and the ID token goes to
//    POST /api/v1/auth/oidc/token (src/lib/session.ts), which checks its
//    signature, issuer, audience and lifetime and answers peerlog's own
//    tokens: from there the session is the same as after a password.
import type { Schemas } from "../api/client";
import { resetIdle } from "./idle";
import { session, SignInError, signInWithProvider, unlockWithProvider } from "./session";
import { store } from "./store";

export type OidcConfig = Schemas["OidcClientConfig"];

/** Where the provider sends the browser back (src/web_app.rs serves the app
 * there). The redirect URI registered at the provider is the app's origin
 * followed by this. */
export const CALLBACK_PATH = "/auth/callback";

/** Why a sign-in started, so the callback knows what to do with it. */
export type Purpose = "sign-in" | "unlock";

const PENDING_KEY = "peerlog.oidc";

interface Pending {
  state: string;
  nonce: string;
  verifier: string;
  purpose: Purpose;
  issuer: string;
  tokenEndpoint: string;
  clientId: string;
  redirectUri: string;
  /** The app's hash route to go back to. */
  returnTo: string;
}

/** The provider's answer, read from /auth/callback. */
export interface Callback {
  params: URLSearchParams;
  pending: Pending | null;
}

/** What went wrong with the last NHS-account sign-in, for the sign-in or
 * lock screen to show (cleared when another starts). */
export const providerProblem = store<SignInError | null>(null);

function base64url(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function randomValue(): string {
  return base64url(crypto.getRandomValues(new Uint8Array(32)));
}

async function s256(verifier: string): Promise<string> {
  return base64url(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier))));
}

/** A JWT's claims, read without checking the signature (peerlog checks it;
 * here only the nonce and issuer are compared with what this tab sent). */
function claimsOf(jwt: string): Record<string, unknown> | null {
  try {
    const part = jwt.split(".")[1];
    const b64 = part.replace(/-/g, "+").replace(/_/g, "/");
    const bytes = Uint8Array.from(atob(b64 + "=".repeat((4 - (b64.length % 4)) % 4)), (c) => c.charCodeAt(0));
    const claims: unknown = JSON.parse(new TextDecoder().decode(bytes));
    return claims && typeof claims === "object" ? (claims as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** Sends the page to the provider. Resolves only if it could not go
 * (throws SignInError "offline" with no network). */
export async function start(config: OidcConfig, purpose: Purpose): Promise<void> {
  if (!navigator.onLine) throw new SignInError("offline");
  providerProblem.set(null);
  const verifier = randomValue();
  const hash = location.hash || "#/";
  const pending: Pending = {
    state: randomValue(),
    nonce: randomValue(),
    verifier,
    purpose,
    issuer: config.issuer,
    tokenEndpoint: config.token_endpoint,
    clientId: config.client_id,
    redirectUri: location.origin + CALLBACK_PATH,
    returnTo: /^#\/(sign-out|switch-user)/.test(hash) ? "#/" : hash,
  };
  const url = new URL(config.authorization_endpoint);
  const query = url.searchParams;
  query.set("response_type", "code");
  query.set("client_id", pending.clientId);
  query.set("redirect_uri", pending.redirectUri);
  query.set("scope", config.scopes.split(/\s+/).includes("openid") ? config.scopes : `openid ${config.scopes}`.trim());
  query.set("state", pending.state);
  query.set("nonce", pending.nonce);
  query.set("code_challenge", await s256(verifier));
  query.set("code_challenge_method", "S256");
  query.set("prompt", "login");
  sessionStorage.setItem(PENDING_KEY, JSON.stringify(pending));
  location.assign(url.toString());
}

/** On load: the provider's answer when this is /auth/callback, with the
 * pending sign-in it belongs to (taken out of storage), and the location
 * put back to the app's own. Null anywhere else. */
export function takeCallback(): Callback | null {
  if (location.pathname !== CALLBACK_PATH) return null;
  const params = new URLSearchParams(location.search);
  let pending: Pending | null = null;
  try {
    pending = JSON.parse(sessionStorage.getItem(PENDING_KEY) ?? "null") as Pending | null;
  } catch {
    pending = null;
  }
  sessionStorage.removeItem(PENDING_KEY);
  history.replaceState(null, "", `/${pending?.returnTo ?? "#/"}`);
  if (!params.has("code") && !params.has("error")) return null;
  return { params, pending };
}

/** Checks the provider's answer and trades the code for the provider's ID
 * token. Throws SignInError naming what went wrong. */
export async function redeem(cb: Callback): Promise<{ idToken: string; purpose: Purpose }> {
  const { params, pending } = cb;
  // An answer to a sign-in this tab did not start (or already finished),
  // or to another one: ignored, whatever it says.
  if (!pending || !params.get("state") || params.get("state") !== pending.state) throw new SignInError("state");
  // RFC 9207: a provider that names itself must be the one asked.
  const iss = params.get("iss");
  if (iss !== null && iss !== pending.issuer) throw new SignInError("state");
  const error = params.get("error");
  if (error) throw new SignInError(error === "access_denied" ? "cancelled" : "refused");
  const code = params.get("code");
  if (!code) throw new SignInError("refused");

  let res: Response;
  try {
    res = await fetch(pending.tokenEndpoint, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" },
      body: new URLSearchParams({
        grant_type: "authorization_code",
        code,
        redirect_uri: pending.redirectUri,
        client_id: pending.clientId,
        code_verifier: pending.verifier,
      }),
      credentials: "omit",
      cache: "no-store",
      referrerPolicy: "no-referrer",
    });
  } catch {
    throw new SignInError(navigator.onLine ? "refused" : "offline");
  }
  const body = (await res.json().catch(() => null)) as { id_token?: unknown } | null;
  const idToken = res.ok && typeof body?.id_token === "string" ? body.id_token : null;
  if (!idToken) throw new SignInError("refused");
  const claims = claimsOf(idToken);
  if (!claims || claims.nonce !== pending.nonce || claims.iss !== pending.issuer) throw new SignInError("refused");
  return { idToken, purpose: pending.purpose };
}

/** Finishes the sign-in the provider has just answered: a new session, or
 * the lock opened for the same person. What went wrong is left in
 * providerProblem for the sign-in or lock screen. */
export async function finish(cb: Callback): Promise<void> {
  try {
    const { idToken } = await redeem(cb);
    const s = session.get();
    if (s.me && s.status !== "signed-out") await unlockWithProvider(idToken);
    else await signInWithProvider(idToken);
    resetIdle();
    providerProblem.set(null);
  } catch (e) {
    providerProblem.set(e instanceof SignInError ? e : new SignInError("other"));
    if (session.get().status === "booting") session.set({ status: "signed-out", me: null, authed: false });
  }
}
