// One account: its role, its wards, a new password, disabling it.
import { useState } from "preact/hooks";
import { api, call } from "../../api/client";
import { Button, Checkboxes, ErrorSummary, Input, NotificationBanner, Tag, Select } from "../../components/nhs";
import { roleLabel } from "../../lib/labels";
import { Loading, Problem, useFormErrors, useLoad, useTitle, actions } from "../common";
import { type Role, ROLES, USER_FIELDS, allWards, checkPassword } from "./shared";

export function UserScreen({ id }: { id: string }) {
  const user = useLoad(async () => (await call(api.GET("/api/v1/users/{id}", { params: { path: { id } } }))).data, [id]);
  const wards = allWards();
  const [done, setDone] = useState<string>();
  const [error, setError] = useState<string>();
  const [role, setRole] = useState<Role | "">("");
  const [wardIds, setWardIds] = useState<string[] | null>(null);
  const [password, setPassword] = useState("");
  const passwordErrors = useFormErrors();
  useTitle(user.data?.display_name ?? "User");
  if (user.error) return <Problem text={user.error} />;
  if (!user.data) return <Loading />;
  const u = user.data;
  const act = actions(setError, setDone, () => user.reload());
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
          void act("Role changed", () =>
            call(api.PATCH("/api/v1/users/{id}", { params: { path: { id } }, body: { role: (role || u.role) as Role } })),
          );
        }}
      >
        <Select
          id="role"
          label="Role"
          value={role || u.role}
          onChange={(v) => setRole(v as Role)}
          options={ROLES.map((r) => ({ value: r, text: roleLabel(r) }))}
        />
        <Button variant="secondary">Save role</Button>
      </form>

      <h2>Wards</h2>
      {wards.data && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void act("Wards saved", () =>
              call(api.PUT("/api/v1/users/{id}/wards", { params: { path: { id } }, body: { ward_ids: wardIds ?? u.ward_ids } })),
            );
          }}
        >
          <Checkboxes
            id="ward_ids"
            label="Wards they work on"
            values={wardIds ?? u.ward_ids}
            onChange={setWardIds}
            choices={wards.data.map((w) => ({ value: w.id, label: w.name }))}
          />
          <Button variant="secondary">Save wards</Button>
        </form>
      )}

      <h2>Reset password</h2>
      <form
        noValidate
        onSubmit={async (e) => {
          e.preventDefault();
          if (passwordErrors.fail(checkPassword(password, "password"))) return;
          setError(undefined);
          setDone(undefined);
          try {
            await call(api.PATCH("/api/v1/users/{id}", { params: { path: { id } }, body: { password } }));
            setPassword("");
            setDone("Password reset");
            user.reload();
          } catch (x) {
            passwordErrors.fromError(x, { password: USER_FIELDS.password }, "password");
          }
        }}
      >
        <ErrorSummary errors={passwordErrors.items} attempt={passwordErrors.attempt} />
        <Input
          error={passwordErrors.error("password")}
          id="password"
          label="New password"
          hint="At least 12 characters"
          type="password"
          value={password}
          onInput={setPassword}
          width={20}
          autoComplete="new-password"
        />
        <Button variant="secondary">Reset password</Button>
      </form>

      <h2>{u.active ? "Disable the account" : "Enable the account"}</h2>
      <p>{u.active ? "They will no longer be able to sign in; their records stay." : "They will be able to sign in again."}</p>
      <Button
        type="button"
        variant={u.active ? "warning" : "secondary"}
        onClick={() =>
          void act(u.active ? "Account disabled" : "Account enabled", () =>
            call(api.PATCH("/api/v1/users/{id}", { params: { path: { id } }, body: { active: !u.active } })),
          )
        }
      >
        {u.active ? "Disable account" : "Enable account"}
      </Button>
    </>
  );
}
