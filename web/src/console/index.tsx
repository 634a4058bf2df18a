// The console: managers, team leaders, coordinators and admins, and the
// Buddy Scheme's students and buddies. Loaded as its own chunk (with the
// chart library) only when a console route is opened.
import { session } from "../lib/session";
import { useStore } from "../lib/store";
import { roleLabel } from "../lib/labels";
import { AuditScreen, NewUserScreen, TabletsScreen, UserScreen, UsersScreen, WardAdminScreen, WardsAdminScreen } from "./admin";
import { BoardScreen, CohortReportScreen, MyBuddyScreen, NewPairingScreen, PairingScreen, PeopleScreen } from "./buddy";
import { ConsoleNav, consoleNav, useTitle } from "./common";
import { BoardReportScreen, ImpactScreen, ReportsScreen, WardFiguresScreen, WardOverviewScreen } from "./reports";

const UUID = "[0-9a-fA-F-]{36}";

export function ConsoleScreen({ path, query }: { path: string; query: string }) {
  const me = useStore(session).me;
  if (!me) return null;
  return (
    <>
      <ConsoleNav current={`#/console${path === "/" ? "" : path}`} />
      <Routed path={path} query={query} role={me.role} />
    </>
  );
}

function Routed({ path, query, role }: { path: string; query: string; role: string }) {
  let m: RegExpMatchArray | null;
  const reports = ["manager", "peer_team_leader", "admin"].includes(role);
  const admin = role === "admin";
  const coordinator = role === "buddy_coordinator" || role === "manager";
  if (path === "/") return role === "buddy_student" || role === "buddy_volunteer" ? <MyBuddyScreen /> : <ConsoleHome role={role} />;
  if (path === "/reports" && reports) return <ReportsScreen query={query} />;
  if (path === "/impact" && (role === "manager" || role === "peer_team_leader")) return <ImpactScreen query={query} />;
  if (path === "/board" && (role === "manager" || role === "peer_team_leader")) return <BoardReportScreen query={query} />;
  if (path === "/ward-figures" && role === "manager") return <WardFiguresScreen />;
  if (reports && (m = path.match(new RegExp(`^/reports/ward/(${UUID})$`)))) return <WardOverviewScreen wardId={m[1]} query={query} />;
  if (admin && path === "/users") return <UsersScreen query={query} />;
  if (admin && path === "/users/new") return <NewUserScreen />;
  if (admin && (m = path.match(new RegExp(`^/users/(${UUID})$`)))) return <UserScreen id={m[1]} />;
  if (admin && path === "/wards") return <WardsAdminScreen />;
  if (admin && (m = path.match(new RegExp(`^/wards/(${UUID})$`)))) return <WardAdminScreen id={m[1]} />;
  if (admin && path === "/audit") return <AuditScreen query={query} />;
  if (admin && path === "/tablets") return <TabletsScreen />;
  if (coordinator && path === "/buddy") return <BoardScreen query={query} />;
  if (coordinator && path === "/buddy/new") return <NewPairingScreen />;
  if (coordinator && path === "/buddy/people") return <PeopleScreen />;
  if (coordinator && path === "/buddy/report") return <CohortReportScreen />;
  if ((m = path.match(new RegExp(`^/buddy/pairing/(${UUID})$`)))) return <PairingScreen id={m[1]} />;
  if (path === "/my-buddy") return <MyBuddyScreen />;
  return <NotHere />;
}

function NotHere() {
  useTitle("Page not found");
  return (
    <>
      <h1>Page not found</h1>
      <p>This page does not exist, or it is not one your role can open.</p>
      <p>
        <a href="#/console">Go to your console</a>
      </p>
    </>
  );
}

function ConsoleHome({ role }: { role: string }) {
  useTitle("Console");
  const items = consoleNav(role);
  const me = useStore(session).me;
  return (
    <>
      <h1>
        {me?.display_name} <span class="nhsuk-caption-l">{roleLabel(role)}</span>
      </h1>
      {items.length === 0 ? (
        <p>There is nothing here for your role. The ward screens are for ward teams.</p>
      ) : (
        <ul class="nhsuk-grid-row nhsuk-card-group">
          {items.map((i) => (
            <li class="nhsuk-grid-column-one-third nhsuk-card-group__item" key={i.href}>
              <div class="nhsuk-card nhsuk-card--clickable">
                <div class="nhsuk-card__content">
                  <h2 class="nhsuk-card__heading nhsuk-heading-m">
                    <a class="nhsuk-card__link" href={i.href}>
                      {i.text}
                    </a>
                  </h2>
                </div>
              </div>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
