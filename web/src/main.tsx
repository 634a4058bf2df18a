import { render } from "preact";
import "./styles/main.scss";
import { App } from "./app";
import { online } from "./lib/connection";
import { resetIdle, watchIdle } from "./lib/idle";
import { flash } from "./lib/flash";
import { flush, loadOutbox, sendStatus } from "./lib/outbox";
import { boot, reconnect, session, type SessionState } from "./lib/session";
import { loadVocabulary, refreshWard, ward } from "./lib/ward";
import { loadAppConfig } from "./lib/config";
import { finish as finishProviderSignIn, takeCallback } from "./lib/oidc";

document.body.classList.add("js-enabled", "nhsuk-frontend-supported");

if (import.meta.env.PROD && "serviceWorker" in navigator) {
  // The service worker keeps the app shell so the app opens with no network.
  navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => undefined);
}

/** Sends the queue and catches the open ward up: when the network returns,
 * after signing in, and every 30 seconds. */
async function catchUp() {
  if (!navigator.onLine) return;
  await reconnect();
  const s = session.get();
  if (!s.me || !s.authed) return;
  await flush();
  if (s.status === "active") await refreshWard();
}

let previous: SessionState = session.get();
session.subscribe((s) => {
  const was = previous;
  previous = s;
  const cameIn = s.me && s.authed && (!was.authed || was.me?.id !== s.me.id);
  if (cameIn) {
    void loadVocabulary();
    void flush();
  }
  if (s.me?.id !== was.me?.id) {
    // Nothing of the previous user's stays in memory.
    ward.set(null);
    flash.set(null);
    sendStatus.set({ sending: false });
  }
  if (s.status === "active" && was.status !== "active") resetIdle();
});

online.subscribe((isOnline) => {
  if (isOnline) void catchUp();
});

setInterval(() => void catchUp(), 30_000);

// Back from the identity provider: the answer is read and the location bar
// cleared of it before anything else runs.
const callback = takeCallback();

render(<App />, document.getElementById("app") as HTMLElement);

void (async () => {
  await loadOutbox().catch(() => undefined);
  void loadAppConfig();
  await boot(callback ? "Signing you in with your NHS account…" : undefined);
  if (callback) await finishProviderSignIn(callback);
  watchIdle();
  if (session.get().me) void loadVocabulary();
  void catchUp();
})();
