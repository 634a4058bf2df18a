import { useEffect } from "preact/hooks";
import { humanise } from "../lib/labels";
import { go } from "../lib/router";
import { session } from "../lib/session";
import { useStore } from "../lib/store";

/** The ward this tablet was last used on (not clinical; kept across users). */
const TABLET_WARD = "peerlog.tabletWard";

export const TABLET_ROLES = ["peer_support_worker", "peer_team_leader", "ward_staff"];
/** Roles whose home is the console rather than a ward. */
export const CONSOLE_ROLES = ["manager", "admin", "buddy_coordinator", "buddy_student", "buddy_volunteer"];

export function rememberWard(wardId: string) {
  localStorage.setItem(TABLET_WARD, wardId);
}

export function HomeScreen() {
  const me = useStore(session).me;
  const wards = me?.wards ?? [];
  const tablet = localStorage.getItem(TABLET_WARD);
  const target = wards.find((w) => w.id === tablet) ?? (wards.length === 1 ? wards[0] : undefined);
  const toConsole = !!me && CONSOLE_ROLES.includes(me.role);
  useEffect(() => {
    if (toConsole) go("#/console", true);
    else if (target && me && TABLET_ROLES.includes(me.role)) go(`#/ward/${target.id}`, true);
  }, [target?.id, toConsole]);
  if (toConsole || (target && me && TABLET_ROLES.includes(me.role))) return null;
  return <WardsScreen />;
}

export function WardsScreen() {
  const me = useStore(session).me;
  useEffect(() => {
    document.title = "Choose a ward – Peer support log – NHS";
  }, []);
  if (!me) return null;
  if (!TABLET_ROLES.includes(me.role)) {
    return (
      <div class="nhsuk-grid-row">
        <div class="nhsuk-grid-column-two-thirds">
          <h1>The ward screens are for ward teams</h1>
          <p>
            They are for peer support workers, peer team leaders and ward staff. You are signed in as {humanise(me.role).toLowerCase()}.
          </p>
          <p>{CONSOLE_ROLES.includes(me.role) ? <a href="#/console">Go to your console</a> : <a href="#/sign-out">Sign out</a>}</p>
        </div>
      </div>
    );
  }
  if (!me.wards.length) {
    return (
      <div class="nhsuk-grid-row">
        <div class="nhsuk-grid-column-two-thirds">
          <h1>You are not assigned to a ward</h1>
          <p>Ask your team leader or the system administrator to add you to your ward.</p>
        </div>
      </div>
    );
  }
  return (
    <>
      <h1>Choose a ward</h1>
      <p>This tablet will open on the ward you choose next time.</p>
      {me.role === "peer_team_leader" && (
        <p>
          <a href="#/console/reports">Reports for your wards</a>
        </p>
      )}
      <ul class="nhsuk-grid-row nhsuk-card-group app-ward-list">
        {me.wards.map((w) => (
          <li class="nhsuk-grid-column-one-half nhsuk-card-group__item" key={w.id}>
            <div class="nhsuk-card nhsuk-card--clickable">
              <div class="nhsuk-card__content">
                <h2 class="nhsuk-card__heading nhsuk-heading-m">
                  <a class="nhsuk-card__link" href={`#/ward/${w.id}`} onClick={() => rememberWard(w.id)}>
                    {w.name}
                  </a>
                </h2>
                <p class="nhsuk-card__description">
                  {w.code} · {humanise(w.service_line)}
                  {!w.active && " · closed to new records"}
                </p>
              </div>
            </div>
          </li>
        ))}
      </ul>
    </>
  );
}
