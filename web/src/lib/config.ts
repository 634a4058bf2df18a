// The app's settings from the server (public, read before signing in): the
// idle lock, and which ways to sign in are offered. The last answer is kept
// in localStorage (nothing in it is secret), so the sign-in screen offers
// the right ways at once on the next start, and offline.
import { api, call, type Schemas } from "../api/client";
import { setIdleSeconds } from "./idle";
import { store } from "./store";

export type AppConfig = Schemas["AppConfig"];

const KEY = "peerlog.appConfig";

function kept(): AppConfig | null {
  try {
    const v = JSON.parse(localStorage.getItem(KEY) ?? "null") as AppConfig | null;
    return v && typeof v === "object" && typeof v.local_login === "boolean" ? v : null;
  } catch {
    return null;
  }
}

/** Null until the server (or the kept copy) has said; the sign-in screen
 * then offers the password form only, as every server does unless told not to. */
export const appConfig = store<AppConfig | null>(kept());

export async function loadAppConfig(): Promise<void> {
  try {
    const { data } = await call(api.GET("/api/v1/app-config"));
    setIdleSeconds(data.idle_lock_seconds);
    appConfig.set(data);
    localStorage.setItem(KEY, JSON.stringify(data));
  } catch {
    // offline or older server: the last value seen, else the default
  }
}
