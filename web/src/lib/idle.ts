// Locks the shared tablet after `idle_lock_seconds` with no touch or key
// (GET /api/v1/app-config; 600 seconds when it cannot be read). The last
// activity time is kept in sessionStorage, so a reload after the idle time
// opens locked too.
import { lock, session } from "./session";

const LAST_KEY = "peerlog.lastActive";
const SECONDS_KEY = "peerlog.idleLockSeconds";
export const DEFAULT_IDLE_SECONDS = 600;

let idleSeconds = Number(localStorage.getItem(SECONDS_KEY)) || DEFAULT_IDLE_SECONDS;
let last = Number(sessionStorage.getItem(LAST_KEY)) || Date.now();
let timer: ReturnType<typeof setInterval> | undefined;
let lastWrite = 0;

export function setIdleSeconds(s: number) {
  if (Number.isFinite(s) && s > 0) {
    idleSeconds = s;
    localStorage.setItem(SECONDS_KEY, String(s));
  }
}

export function idleLimitSeconds() {
  return idleSeconds;
}

function touch() {
  last = Date.now();
  if (last - lastWrite > 5000) {
    lastWrite = last;
    sessionStorage.setItem(LAST_KEY, String(last));
  }
}

function check() {
  if (session.get().status === "active" && Date.now() - last >= idleSeconds * 1000) lock();
}

/** Starts watching; returns a function that stops. */
export function watchIdle(): () => void {
  // Open locked after a reload that came after the idle time.
  check();
  touch();
  const events = ["pointerdown", "keydown", "touchstart", "wheel"] as const;
  events.forEach((e) => window.addEventListener(e, touch, { passive: true, capture: true }));
  timer = setInterval(check, 5000);
  const onVisible = () => document.visibilityState === "visible" && check();
  document.addEventListener("visibilitychange", onVisible);
  return () => {
    events.forEach((e) => window.removeEventListener(e, touch, { capture: true }));
    clearInterval(timer);
    document.removeEventListener("visibilitychange", onVisible);
  };
}

/** After unlocking or signing in: the idle time starts again. */
export function resetIdle() {
  lastWrite = 0;
  touch();
}
