// Hash routing (#/ward/<id>, #/activity/<id>, …): the server serves the app
// at `/` (and at /auth/callback, for the identity provider's answer only:
// src/lib/oidc.ts), so no path needs a fallback to index.html.
import { useEffect, useState } from "preact/hooks";

export type Route =
  | { name: "home" }
  | { name: "wards" }
  | { name: "ward"; wardId: string }
  | { name: "choose-kind"; wardId: string }
  | { name: "record"; wardId: string; kind: string }
  | { name: "activity"; id: string }
  | { name: "amend"; id: string }
  | { name: "void"; id: string }
  | { name: "waiting" }
  /** Escorted leave: planning one on a ward, cancelling one (src/screens/leave.tsx). */
  | { name: "plan-leave"; wardId: string }
  | { name: "cancel-leave"; id: string }
  /** Handing the tablet to a person for their say after a contact
   * (`?activity=<id>`), or for a measure due (src/screens/handover.tsx). */
  | { name: "hand-over"; wardId: string; measure: string; personId: string; query: string }
  | { name: "waiting-item"; id: string }
  | { name: "sign-out"; switchUser: boolean }
  /** The console (managers, team leaders, coordinators, admins, Buddy Scheme
   * students and buddies): its own sub-path and the query that keeps its
   * filters, e.g. `#/console/reports?from=2026-04-01&to=2026-05-01`. */
  | { name: "console"; path: string; query: string }
  | { name: "not-found" };

const UUID = "[0-9a-fA-F-]{36}";

export function parse(hash: string): Route {
  const whole = hash.replace(/^#/, "") || "/";
  const q = whole.indexOf("?");
  const path = q < 0 ? whole : whole.slice(0, q);
  let m: RegExpMatchArray | null;
  if (path === "/console" || path.startsWith("/console/")) {
    return { name: "console", path: path.slice("/console".length) || "/", query: q < 0 ? "" : whole.slice(q + 1) };
  }
  if (path === "/" || path === "") return { name: "home" };
  if (path === "/wards") return { name: "wards" };
  if ((m = path.match(new RegExp(`^/ward/(${UUID})$`)))) return { name: "ward", wardId: m[1] };
  if ((m = path.match(new RegExp(`^/ward/(${UUID})/record$`)))) return { name: "choose-kind", wardId: m[1] };
  if ((m = path.match(new RegExp(`^/ward/(${UUID})/record/([a-z_]+)$`)))) return { name: "record", wardId: m[1], kind: m[2] };
  if ((m = path.match(new RegExp(`^/activity/(${UUID})$`)))) return { name: "activity", id: m[1] };
  if ((m = path.match(new RegExp(`^/activity/(${UUID})/amend$`)))) return { name: "amend", id: m[1] };
  if ((m = path.match(new RegExp(`^/activity/(${UUID})/entered-in-error$`)))) return { name: "void", id: m[1] };
  if ((m = path.match(new RegExp(`^/ward/(${UUID})/hand-over/([a-z][a-z0-9_]{1,39})/(${UUID})$`))))
    return { name: "hand-over", wardId: m[1], measure: m[2], personId: m[3], query: q < 0 ? "" : whole.slice(q + 1) };
  if ((m = path.match(new RegExp(`^/ward/(${UUID})/leave/plan$`)))) return { name: "plan-leave", wardId: m[1] };
  if ((m = path.match(new RegExp(`^/leave/(${UUID})/cancel$`)))) return { name: "cancel-leave", id: m[1] };
  if (path === "/waiting") return { name: "waiting" };
  if ((m = path.match(new RegExp(`^/waiting/(${UUID})$`)))) return { name: "waiting-item", id: m[1] };
  if (path === "/sign-out") return { name: "sign-out", switchUser: false };
  if (path === "/switch-user") return { name: "sign-out", switchUser: true };
  return { name: "not-found" };
}

export function href(r: Route): string {
  switch (r.name) {
    case "home":
      return "#/";
    case "wards":
      return "#/wards";
    case "ward":
      return `#/ward/${r.wardId}`;
    case "choose-kind":
      return `#/ward/${r.wardId}/record`;
    case "record":
      return `#/ward/${r.wardId}/record/${r.kind}`;
    case "activity":
      return `#/activity/${r.id}`;
    case "amend":
      return `#/activity/${r.id}/amend`;
    case "void":
      return `#/activity/${r.id}/entered-in-error`;
    case "waiting":
      return "#/waiting";
    case "plan-leave":
      return `#/ward/${r.wardId}/leave/plan`;
    case "cancel-leave":
      return `#/leave/${r.id}/cancel`;
    case "hand-over":
      return `#/ward/${r.wardId}/hand-over/${r.measure}/${r.personId}${r.query ? `?${r.query}` : ""}`;
    case "waiting-item":
      return `#/waiting/${r.id}`;
    case "sign-out":
      return r.switchUser ? "#/switch-user" : "#/sign-out";
    case "console":
      return `#/console${r.path === "/" ? "" : r.path}${r.query ? `?${r.query}` : ""}`;
    default:
      return "#/";
  }
}

export function go(r: Route | string, replace = false) {
  const h = typeof r === "string" ? r : href(r);
  if (replace) history.replaceState(null, "", h);
  else location.hash = h;
  if (replace) window.dispatchEvent(new HashChangeEvent("hashchange"));
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parse(location.hash));
  useEffect(() => {
    const on = () => setRoute(parse(location.hash));
    window.addEventListener("hashchange", on);
    return () => window.removeEventListener("hashchange", on);
  }, []);
  return route;
}
