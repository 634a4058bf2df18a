// The accounts, filtered by role and by whether they are active.
import { NotificationBanner, Tag, Table } from "../../components/nhs";
import { roleLabel } from "../../lib/labels";
import { Loading, Problem, readQuery, useLoad, useTitle } from "../common";
import { allWards, allUsers } from "./shared";

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
