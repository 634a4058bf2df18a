// One ward: renaming it, closing it.
import { useState } from "preact/hooks";
import { api, call, type Schemas } from "../../api/client";
import { Button, ErrorSummary, Input, NotificationBanner } from "../../components/nhs";
import { humanise } from "../../lib/labels";
import { Loading, Problem, problemText, useFormErrors, useLoad, useTitle } from "../common";
import { WARD_FIELDS, checkWard } from "./shared";

export function WardAdminScreen({ id }: { id: string }) {
  const ward = useLoad(async () => (await call(api.GET("/api/v1/wards/{id}", { params: { path: { id } } }))).data, [id]);
  const [name, setName] = useState<string | null>(null);
  const [error, setError] = useState<string>();
  const [done, setDone] = useState<string>();
  const renameErrors = useFormErrors();
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
        {w.name}{" "}
        <span class="nhsuk-caption-l">
          {w.code} · {humanise(w.service_line)}
        </span>
      </h1>
      <form
        noValidate
        onSubmit={async (e) => {
          e.preventDefault();
          const newName = (name ?? w.name).trim();
          if (renameErrors.fail(checkWard({ name: newName }))) return;
          setError(undefined);
          try {
            await call(api.PATCH("/api/v1/wards/{id}", { params: { path: { id } }, body: { name: newName } }));
            setDone("Ward renamed");
            ward.reload();
          } catch (x) {
            renameErrors.fromError(x, WARD_FIELDS, "ward-name");
          }
        }}
      >
        <ErrorSummary errors={renameErrors.items} attempt={renameErrors.attempt} />
        <Input id="ward-name" label="Name" value={name ?? w.name} onInput={setName} width={30} error={renameErrors.error("ward-name")} />
        <Button variant="secondary">Rename ward</Button>
      </form>
      <h2>{w.active ? "Close the ward to new records" : "Reopen the ward"}</h2>
      <Button
        type="button"
        variant={w.active ? "warning" : "secondary"}
        onClick={() => void save(w.active ? "Ward closed to new records" : "Ward reopened", { active: !w.active })}
      >
        {w.active ? "Close ward" : "Reopen ward"}
      </Button>
    </>
  );
}
