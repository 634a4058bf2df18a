// A new account: username, name, role, wards and a first password.
import { useState } from "preact/hooks";
import { api, call } from "../../api/client";
import { Button, Checkboxes, ErrorSummary, Input, Select } from "../../components/nhs";
import { roleLabel } from "../../lib/labels";
import { go } from "../../lib/router";
import { useFormErrors, useTitle } from "../common";
import { type Role, ROLES, USER_FIELDS, allWards, checkUser } from "./shared";

export function NewUserScreen() {
  useTitle("Create an account");
  const wards = allWards();
  const [f, setF] = useState({
    display_name: "",
    username: "",
    role: "peer_support_worker" as Role,
    password: "",
    ward_ids: [] as string[],
  });
  const errors = useFormErrors();
  const [busy, setBusy] = useState(false);
  return (
    <>
      <a class="nhsuk-back-link" href="#/console/users">
        Users
      </a>
      <h1>Create an account</h1>
      <form
        noValidate
        onSubmit={async (e) => {
          e.preventDefault();
          if (errors.fail(checkUser(f))) return;
          setBusy(true);
          try {
            await call(api.POST("/api/v1/users", { body: { ...f, display_name: f.display_name.trim(), username: f.username.trim() } }));
            go(`#/console/users?created=${encodeURIComponent(f.display_name)}`);
          } catch (x) {
            errors.fromError(x, USER_FIELDS, "display_name");
          } finally {
            setBusy(false);
          }
        }}
      >
        <ErrorSummary errors={errors.items} attempt={errors.attempt} />
        <Input
          id="display_name"
          label="Full name"
          value={f.display_name}
          onInput={(v) => setF({ ...f, display_name: v })}
          width={30}
          error={errors.error("display_name")}
        />
        <Input
          id="username"
          label="Username"
          hint="Lower-case letters, digits, dots, dashes or underscores"
          value={f.username}
          onInput={(v) => setF({ ...f, username: v })}
          width={20}
          spellcheck={false}
          error={errors.error("username")}
        />
        <Select
          id="role"
          label="Role"
          value={f.role}
          onChange={(v) => setF({ ...f, role: v as Role })}
          error={errors.error("role")}
          options={ROLES.map((r) => ({ value: r, text: roleLabel(r) }))}
        />
        <Input
          id="password"
          label="Password"
          hint="At least 12 characters. Give it to them in person; they should not share it."
          type="password"
          value={f.password}
          onInput={(v) => setF({ ...f, password: v })}
          width={20}
          autoComplete="new-password"
          error={errors.error("password")}
        />
        {wards.data && (
          <Checkboxes
            id="ward_ids"
            label="Wards"
            hint="The wards they work on"
            error={errors.error("ward_ids")}
            values={f.ward_ids}
            onChange={(v) => setF({ ...f, ward_ids: v })}
            choices={wards.data.map((w) => ({ value: w.id, label: w.name }))}
          />
        )}
        <Button disabled={busy}>{busy ? "Creating…" : "Create account"}</Button>
      </form>
    </>
  );
}
