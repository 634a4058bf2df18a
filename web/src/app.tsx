// The app shell: header, the connection and queue bar, and the screen the
// route names; sign-in and the lock screen take over when there is no
// active session.
import type { ComponentChildren } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { Button, Footer, Header, type AccountItem } from "./components/nhs";
import { roleLabel } from "./lib/labels";
import { flush, outbox, sendStatus } from "./lib/outbox";
import { useRoute, type Route } from "./lib/router";
import { lock, session } from "./lib/session";
import { useStore } from "./lib/store";
import { online } from "./lib/connection";
import { ActivityScreen } from "./screens/activity";
import { AmendScreen } from "./screens/amend";
import { ChooseKindScreen, RecordScreen, WaitingItemScreen } from "./screens/record";
import { HandOverScreen } from "./screens/handover";
import { CancelLeaveScreen, PlanLeaveScreen } from "./screens/leave";
import { HomeScreen, WardsScreen } from "./screens/wards";
import { WardScreen } from "./screens/ward";
import { LockScreen, SignInScreen, SignOutScreen } from "./screens/signin";
import { VoidScreen } from "./screens/void";
import { WaitingScreen } from "./screens/waiting";

export const SERVICE_NAME = "Peer support log";

export function App() {
  const s = useStore(session);
  const route = useRoute();
  const mainRef = useRef<HTMLElement>(null);

  // A new screen: start at its top, and move focus to it for screen readers.
  const key = `${s.status}:${JSON.stringify(route)}`;
  useEffect(() => {
    window.scrollTo(0, 0);
    const h1 = mainRef.current?.querySelector("h1");
    if (h1) {
      h1.setAttribute("tabindex", "-1");
      h1.focus({ preventScroll: true });
    }
  }, [key]);

  if (s.status === "booting") {
    return (
      <Page>
        <p class="nhsuk-body" role="status">
          {s.notice ?? "Opening…"}
        </p>
      </Page>
    );
  }
  if (s.status === "signed-out" || !s.me) {
    return (
      <Page mainRef={mainRef}>
        <SignInScreen notice={s.notice} />
      </Page>
    );
  }
  if (s.status === "locked") {
    return (
      <Page mainRef={mainRef} account={[]}>
        <LockScreen me={s.me} method={s.method ?? "password"} />
      </Page>
    );
  }
  const account: AccountItem[] = [
    { text: `${s.me.display_name} (${roleLabel(s.me.role)})` },
    ...(s.me.role === "peer_team_leader" ? [{ text: "Reports", href: "#/console/reports" }] : []),
    { text: "Lock", onClick: lock },
    { text: "Switch user", href: "#/switch-user" },
    { text: "Sign out", href: "#/sign-out" },
  ];
  return (
    <Page mainRef={mainRef} account={account} bar={<StatusBar />}>
      <Screen route={route} />
    </Page>
  );
}

function Screen({ route }: { route: Route }) {
  switch (route.name) {
    case "home":
      return <HomeScreen />;
    case "wards":
      return <WardsScreen />;
    case "ward":
      return <WardScreen wardId={route.wardId} />;
    case "choose-kind":
      return <ChooseKindScreen wardId={route.wardId} />;
    case "record":
      return <RecordScreen wardId={route.wardId} kind={route.kind} />;
    case "activity":
      return <ActivityScreen id={route.id} />;
    case "amend":
      return <AmendScreen id={route.id} />;
    case "void":
      return <VoidScreen id={route.id} />;
    case "waiting":
      return <WaitingScreen />;
    case "plan-leave":
      return <PlanLeaveScreen wardId={route.wardId} />;
    case "cancel-leave":
      return <CancelLeaveScreen id={route.id} />;
    case "hand-over":
      return (
        <HandOverScreen
          key={`${route.measure}:${route.personId}`}
          wardId={route.wardId}
          measure={route.measure}
          personId={route.personId}
          query={route.query}
        />
      );
    case "waiting-item":
      return <WaitingItemScreen id={route.id} />;
    case "sign-out":
      return <SignOutScreen switchUser={route.switchUser} />;
    case "console":
      return <Console path={route.path} query={route.query} />;
    default:
      return (
        <>
          <h1>Page not found</h1>
          <p>
            <a href="#/">Go to your ward</a>
          </p>
        </>
      );
  }
}

type ConsoleModule = typeof import("./console");
let consoleModule: Promise<ConsoleModule> | null = null;

/** The console is its own chunk (with its chart library): the ward tablet's
 * shell never loads it. */
function Console({ path, query }: { path: string; query: string }) {
  const [mod, setMod] = useState<ConsoleModule | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    consoleModule ??= import("./console");
    consoleModule.then(setMod, () => {
      consoleModule = null;
      setFailed(true);
    });
  }, []);
  if (failed) {
    return (
      <>
        <h1>Sorry, there is a problem with the service</h1>
        <p>The console could not be loaded. Check the connection and try again.</p>
      </>
    );
  }
  if (!mod) return <p class="nhsuk-body">Opening…</p>;
  return <mod.ConsoleScreen path={path} query={query} />;
}

function Page({
  children,
  account,
  bar,
  mainRef,
}: {
  children: ComponentChildren;
  account?: AccountItem[];
  bar?: ComponentChildren;
  mainRef?: { current: HTMLElement | null };
}) {
  return (
    <>
      <a
        class="nhsuk-skip-link"
        href="#maincontent"
        onClick={(e) => {
          e.preventDefault();
          document.getElementById("maincontent")?.focus();
        }}
      >
        Skip to main content
      </a>
      <Header serviceName={SERVICE_NAME} homeHref="#/" account={account} />
      {bar}
      <div class="nhsuk-width-container">
        <main class="nhsuk-main-wrapper" id="maincontent" tabIndex={-1} ref={mainRef}>
          {children}
        </main>
      </div>
      <Footer />
    </>
  );
}

/** Offline notice, and the records waiting to send with "Send now". */
function StatusBar() {
  const me = useStore(session).me;
  const items = useStore(outbox);
  const status = useStore(sendStatus);
  const isOnline = useStore(online);
  const mine = items.filter((i) => i.userId === me?.id);
  const waiting = mine.filter((i) => i.state === "waiting").length;
  const rejected = mine.filter((i) => i.state === "rejected").length;
  if (isOnline && !waiting && !rejected) return null;
  return (
    <div class={`app-status-bar${isOnline ? "" : " app-offline"}`}>
      <div class="nhsuk-width-container app-status-bar__inner">
        <p class="nhsuk-body" role="status">
          {!isOnline && <strong>You're offline. </strong>}
          {waiting > 0 && (
            <>
              <a href="#/waiting">
                {waiting} record{waiting === 1 ? "" : "s"} waiting to send
              </a>
              {!isOnline && ". They'll be sent when the connection returns."}
            </>
          )}
          {!isOnline && !waiting && "Records you save are kept on this tablet and sent when the connection returns."}
          {rejected > 0 && (
            <>
              {" "}
              <a href="#/waiting">
                {rejected} record{rejected === 1 ? "" : "s"} not sent: needs changes
              </a>
            </>
          )}
        </p>
        {waiting > 0 && isOnline && (
          <Button variant="secondary" small type="button" disabled={status.sending} onClick={() => void flush()}>
            {status.sending ? "Sending…" : "Send now"}
          </Button>
        )}
      </div>
    </div>
  );
}
