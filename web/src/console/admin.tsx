// Admin: users (create, role, wards, disable, reset password), wards
// (create, rename, close) and the audit log with its filters.
import { useState } from "preact/hooks";
import { api, call, type Schemas, type Ward } from "../api/client";
import { Button, Checkboxes, Input, NotificationBanner, Tag } from "../components/nhs";
import { dayAndTime, humanise, roleLabel } from "../lib/labels";
import { go } from "../lib/router";
import { Loading, Problem, Select, Table, problemText, readQuery, setQuery, useLoad, useTitle } from "./common";

type Role = Schemas["Role"];
type ServiceLine = Schemas["ServiceLine"];
type User = Schemas["User"];

const ROLES: Role[] = ["peer_support_worker", "peer_team_leader", "ward_staff", "manager", "buddy_coordinator", "admin", "integration", "buddy_student", "buddy_volunteer"];
const SERVICE_LINES: ServiceLine[] = ["adult", "older_adult", "camhs", "specialist", "medium_secure", "learning_disability", "other"];

function allWards() {
  return useLoad(async (): Promise<Ward[]> => (await call(api.GET("/api/v1/wards", { params: { query: { limit: 200 } } }))).data.items, []);
}

async function allUsers(): Promise<User[]> {
  const out: User[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < 20; i++) {
    const { data } = await call(api.GET("/api/v1/users", { params: { query: { limit: 200, cursor } } }));
    out.push(...data.items);
    cursor = data.next_cursor ?? undefined;
    if (!cursor) break;
  }
  return out;
}

export function UsersScreen({ query }: { query: string }) {
  useTitle("Users");
  const q = readQuery(query);
  const users = useLoad(allUsers, []);
  const wards = allWards();
  const wardName = new Map((wards.data ?? []).map((w) => [w.id, w.name]));
  return (
    <>
      {q.created && (
        <NotificationBanner success title="Success" heading="Account created">
          <p>{q.created} can now sign in.</p>
        </NotificationBanner>
      )}
      <h1>Users</h1>
      <p>
        <a class="nhsuk-button" href="#/console/users/new" draggable={false}>
          Create an account
        </a>
      </p>
      {users.error && <Problem text={users.error} />}
      {!users.data ? (
        <Loading what="users" />
      ) : (
        <Table
          caption="Accounts"
          head={["Name", "Username", "Role", "Wards", "Status"]}
          rows={users.data.map((u) => [
            <a href={`#/console/users/${u.id}`} key="n">
              {u.display_name}
            </a>,
            u.username,
            roleLabel(u.role),
            u.ward_ids.map((w) => wardName.get(w) ?? w).join(", ") || "None",
            u.active ? <Tag colour="green">Active</Tag> : <Tag colour="grey">Disabled</Tag>,
          ])}
        />
      )}
    </>
  );
}

export function NewUserScreen() {
  useTitle("Create an account");
  const wards = allWards();
  const [f, setF] = useState({ display_name: "", username: "", role: "peer_support_worker" as Role, password: "", ward_ids: [] as string[] });
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  return (
    <>
      <a class="nhsuk-back-link" href="#/console/users">
        Users
      </a>
      <h1>Create an account</h1>
      {error && <Problem text={error} />}
      <form
        onSubmit={async (e) => {
          e.preventDefault();
          setBusy(true);
          setError(undefined);
          try {
            await call(api.POST("/api/v1/users", { body: { ...f, username: f.username.trim() } }));
            go(`#/console/users?created=${encodeURIComponent(f.display_name)}`);
          } catch (x) {
            setError(problemText(x));
          } finally {
            setBusy(false);
          }
        }}
      >
        <Input id="display_name" label="Full name" value={f.display_name} onInput={(v) => setF({ ...f, display_name: v })} width={30} />
        <Input id="username" label="Username" hint="Lower-case letters, digits, dots, dashes or underscores" value={f.username} onInput={(v) => setF({ ...f, username: v })} width={20} spellcheck={false} />
        <Select id="role" label="Role" value={f.role} onChange={(v) => setF({ ...f, role: v as Role })} options={ROLES.map((r) => ({ value: r, text: roleLabel(r) }))} />
        <Input id="password" label="Password" hint="At least 12 characters. Give it to them in person; they should not share it." type="password" value={f.password} onInput={(v) => setF({ ...f, password: v })} width={20} autoComplete="new-password" />
        {wards.data && (
          <Checkboxes id="ward_ids" label="Wards" hint="The wards they work on" values={f.ward_ids} onChange={(v) => setF({ ...f, ward_ids: v })} choices={wards.data.map((w) => ({ value: w.id, label: w.name }))} />
        )}
        <Button disabled={busy}>{busy ? "Creating…" : "Create account"}</Button>
      </form>
    </>
  );
}

export function UserScreen({ id }: { id: string }) {
  const user = useLoad(async () => (await call(api.GET("/api/v1/users/{id}", { params: { path: { id } } }))).data, [id]);
  const wards = allWards();
  const [done, setDone] = useState<string>();
  const [error, setError] = useState<string>();
  const [role, setRole] = useState<Role | "">("");
  const [wardIds, setWardIds] = useState<string[] | null>(null);
  const [password, setPassword] = useState("");
  useTitle(user.data?.display_name ?? "User");
  if (user.error) return <Problem text={user.error} />;
  if (!user.data) return <Loading />;
  const u = user.data;
  const act = async (what: string, fn: () => Promise<unknown>) => {
    setError(undefined);
    setDone(undefined);
    try {
      await fn();
      setDone(what);
      user.reload();
    } catch (x) {
      setError(problemText(x));
    }
  };
  return (
    <>
      <a class="nhsuk-back-link" href="#/console/users">
        Users
      </a>
      {done && (
        <NotificationBanner success title="Success" focus>
          <p class="nhsuk-notification-banner__heading">{done}</p>
        </NotificationBanner>
      )}
      {error && <Problem text={error} />}
      <h1>
        {u.display_name} <span class="nhsuk-caption-l">{u.username}</span>
      </h1>
      <p>
        {roleLabel(u.role)} · {u.active ? <Tag colour="green">Active</Tag> : <Tag colour="grey">Disabled</Tag>}
      </p>

      <h2>Role</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void act("Role changed", () => call(api.PATCH("/api/v1/users/{id}", { params: { path: { id } }, body: { role: (role || u.role) as Role } })));
        }}
      >
        <Select id="role" label="Role" value={role || u.role} onChange={(v) => setRole(v as Role)} options={ROLES.map((r) => ({ value: r, text: roleLabel(r) }))} />
        <Button variant="secondary">Save role</Button>
      </form>

      <h2>Wards</h2>
      {wards.data && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void act("Wards saved", () => call(api.PUT("/api/v1/users/{id}/wards", { params: { path: { id } }, body: { ward_ids: wardIds ?? u.ward_ids } })));
          }}
        >
          <Checkboxes id="ward_ids" label="Wards they work on" values={wardIds ?? u.ward_ids} onChange={setWardIds} choices={wards.data.map((w) => ({ value: w.id, label: w.name }))} />
          <Button variant="secondary">Save wards</Button>
        </form>
      )}

      <h2>Reset password</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void act("Password reset", () => call(api.PATCH("/api/v1/users/{id}", { params: { path: { id } }, body: { password } }))).then(() => setPassword(""));
        }}
      >
        <Input id="password" label="New password" hint="At least 12 characters" type="password" value={password} onInput={setPassword} width={20} autoComplete="new-password" />
        <Button variant="secondary">Reset password</Button>
      </form>

      <h2>{u.active ? "Disable the account" : "Enable the account"}</h2>
      <p>{u.active ? "They will no longer be able to sign in; their records stay." : "They will be able to sign in again."}</p>
      <Button
        type="button"
        variant={u.active ? "warning" : "secondary"}
        onClick={() => void act(u.active ? "Account disabled" : "Account enabled", () => call(api.PATCH("/api/v1/users/{id}", { params: { path: { id } }, body: { active: !u.active } })))}
      >
        {u.active ? "Disable account" : "Enable account"}
      </Button>
    </>
  );
}

export function WardsAdminScreen() {
  useTitle("Wards");
  const wards = allWards();
  const [f, setF] = useState({ code: "", name: "", service_line: "adult" as ServiceLine });
  const [error, setError] = useState<string>();
  const [done, setDone] = useState<string>();
  return (
    <>
      {done && (
        <NotificationBanner success title="Success">
          <p class="nhsuk-notification-banner__heading">{done}</p>
        </NotificationBanner>
      )}
      <h1>Wards</h1>
      {wards.error && <Problem text={wards.error} />}
      {!wards.data ? (
        <Loading what="wards" />
      ) : (
        <Table
          caption="Wards"
          head={["Name", "Code", "Service line", "Status"]}
          rows={wards.data.map((w) => [
            <a href={`#/console/wards/${w.id}`} key="n">
              {w.name}
            </a>,
            w.code,
            humanise(w.service_line),
            w.active ? <Tag colour="green">Open</Tag> : <Tag colour="grey">Closed to new records</Tag>,
          ])}
        />
      )}
      <h2>Add a ward</h2>
      {error && <Problem text={error} />}
      <form
        onSubmit={async (e) => {
          e.preventDefault();
          setError(undefined);
          try {
            await call(api.POST("/api/v1/wards", { body: f }));
            setDone(`${f.name} added`);
            setF({ code: "", name: "", service_line: f.service_line });
            wards.reload();
          } catch (x) {
            setError(problemText(x));
          }
        }}
      >
        <Input id="ward-name" label="Name" value={f.name} onInput={(v) => setF({ ...f, name: v })} width={30} />
        <Input id="ward-code" label="Code" hint="Upper-case letters, digits and dashes, for example ADULT-ASH. It cannot change later." value={f.code} onInput={(v) => setF({ ...f, code: v })} width={20} />
        <Select id="service-line" label="Service line" value={f.service_line} onChange={(v) => setF({ ...f, service_line: v as ServiceLine })} options={SERVICE_LINES.map((s) => ({ value: s, text: humanise(s) }))} />
        <Button>Add ward</Button>
      </form>
    </>
  );
}

export function WardAdminScreen({ id }: { id: string }) {
  const ward = useLoad(async () => (await call(api.GET("/api/v1/wards/{id}", { params: { path: { id } } }))).data, [id]);
  const [name, setName] = useState<string | null>(null);
  const [error, setError] = useState<string>();
  const [done, setDone] = useState<string>();
  useTitle(ward.data?.name ?? "Ward");
  if (ward.error) return <Problem text={ward.error} />;
  if (!ward.data) return <Loading />;
  const w = ward.data;
  const save = async (what: string, body: Schemas["UpdateWard"]) => {
    setError(undefined);
    try {
      await call(api.PATCH("/api/v1/wards/{id}", { params: { path: { id } }, body }));
      setDone(what);
      ward.reload();
    } catch (x) {
      setError(problemText(x));
    }
  };
  return (
    <>
      <a class="nhsuk-back-link" href="#/console/wards">
        Wards
      </a>
      {done && (
        <NotificationBanner success title="Success">
          <p class="nhsuk-notification-banner__heading">{done}</p>
        </NotificationBanner>
      )}
      {error && <Problem text={error} />}
      <h1>
        {w.name} <span class="nhsuk-caption-l">{w.code} · {humanise(w.service_line)}</span>
      </h1>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void save("Ward renamed", { name: name ?? w.name });
        }}
      >
        <Input id="ward-name" label="Name" value={name ?? w.name} onInput={setName} width={30} />
        <Button variant="secondary">Rename ward</Button>
      </form>
      <h2>{w.active ? "Close the ward to new records" : "Reopen the ward"}</h2>
      <Button type="button" variant={w.active ? "warning" : "secondary"} onClick={() => void save(w.active ? "Ward closed to new records" : "Ward reopened", { active: !w.active })}>
        {w.active ? "Close ward" : "Reopen ward"}
      </Button>
    </>
  );
}

export function AuditScreen({ query }: { query: string }) {
  useTitle("Audit log");
  const q = readQuery(query);
  const [f, setF] = useState({ actor_id: q.actor_id ?? "", entity_type: q.entity_type ?? "", entity_id: q.entity_id ?? "", action: q.action ?? "", from: q.from ?? "", to: q.to ?? "" });
  const key = JSON.stringify(q);
  const [pages, setPages] = useState<{ key: string; cursors: (string | undefined)[] }>({ key, cursors: [undefined] });
  const cursors = pages.key === key ? pages.cursors : [undefined];
  const cursor = cursors[cursors.length - 1];
  const users = useLoad(allUsers, []);
  const toInstant = (d: string | undefined) => (d ? new Date(`${d}T00:00:00`).toISOString() : undefined);
  const filters = { actor_id: q.actor_id || undefined, entity_type: q.entity_type || undefined, entity_id: q.entity_id || undefined, action: q.action || undefined, from: toInstant(q.from), to: toInstant(q.to) };
  const page = useLoad(async () => (await call(api.GET("/api/v1/audit", { params: { query: { ...filters, limit: 50, cursor } } }))).data, [key, cursor]);
  const who = new Map((users.data ?? []).map((u) => [u.id, u.display_name]));
  return (
    <>
      <h1>Audit log</h1>
      <form
        class="app-filters"
        onSubmit={(e) => {
          e.preventDefault();
          setQuery("/audit", f);
        }}
      >
        <div class="nhsuk-grid-row">
          <div class="nhsuk-grid-column-one-third">
            <Select id="actor" label="Who" value={f.actor_id} onChange={(v) => setF({ ...f, actor_id: v })} options={[{ value: "", text: "Anyone" }, ...(users.data ?? []).map((u) => ({ value: u.id, text: `${u.display_name} (${u.username})` }))]} />
          </div>
          <div class="nhsuk-grid-column-one-third">
            <Input id="entity_type" label="Type of record" hint="For example user, ward, activity, session" value={f.entity_type} onInput={(v) => setF({ ...f, entity_type: v })} />
          </div>
          <div class="nhsuk-grid-column-one-third">
            <Input id="action" label="Action" hint="For example create, update, read, login_failed" value={f.action} onInput={(v) => setF({ ...f, action: v })} />
          </div>
        </div>
        <div class="nhsuk-grid-row">
          <div class="nhsuk-grid-column-one-third">
            <Input id="entity_id" label="Record id" value={f.entity_id} onInput={(v) => setF({ ...f, entity_id: v })} />
          </div>
          <div class="nhsuk-grid-column-one-third">
            <Input id="audit-from" label="From" type="date" value={f.from} onInput={(v) => setF({ ...f, from: v })} />
          </div>
          <div class="nhsuk-grid-column-one-third">
            <Input id="audit-to" label="To" hint="Not included" type="date" value={f.to} onInput={(v) => setF({ ...f, to: v })} />
          </div>
        </div>
        <Button>Filter</Button>
      </form>
      {page.error && <Problem text={page.error} />}
      {!page.data ? (
        <Loading what="the audit log" />
      ) : (
        <>
          <Table
            caption="Audit entries, newest first"
            head={["When", "Who", "Action", "Record", "Details"]}
            rows={page.data.items.map((a) => [
              dayAndTime(a.occurred_at),
              a.actor_id ? `${who.get(a.actor_id) ?? a.actor_id}${a.actor_role ? ` (${roleLabel(a.actor_role)})` : ""}` : "Nobody signed in",
              a.action,
              `${a.entity_type}${a.entity_id ? ` ${a.entity_id}` : ""}`,
              <code class="app-audit-details" key="d">{JSON.stringify(a.details)}</code>,
            ])}
          />
          <div class="nhsuk-grid-row">
            <div class="nhsuk-grid-column-full">
              {cursors.length > 1 && (
                <Button type="button" variant="secondary" onClick={() => setPages({ key, cursors: cursors.slice(0, -1) })}>
                  Newer entries
                </Button>
              )}{" "}
              {page.data.next_cursor && (
                <Button type="button" variant="secondary" onClick={() => setPages({ key, cursors: [...cursors, page.data?.next_cursor ?? undefined] })}>
                  Older entries
                </Button>
              )}
            </div>
          </div>
        </>
      )}
    </>
  );
}
