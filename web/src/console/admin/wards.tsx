// The wards, and a new ward.
import { useState } from "preact/hooks";
import { api, call } from "../../api/client";
import { Button, ErrorSummary, Input, NotificationBanner, Tag, Select, Table } from "../../components/nhs";
import { humanise } from "../../lib/labels";
import { Loading, Problem, useFormErrors, useTitle } from "../common";
import { type ServiceLine, SERVICE_LINES, WARD_FIELDS, allWards, checkWard } from "./shared";

export function WardsAdminScreen() {
  useTitle("Wards");
  const wards = allWards();
  const [f, setF] = useState({ code: "", name: "", service_line: "adult" as ServiceLine });
  const errors = useFormErrors();
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
      <form
        noValidate
        onSubmit={async (e) => {
          e.preventDefault();
          setDone(undefined);
          if (errors.fail(checkWard(f))) return;
          try {
            await call(api.POST("/api/v1/wards", { body: { ...f, name: f.name.trim(), code: f.code.trim() } }));
            setDone(`${f.name} added`);
            setF({ code: "", name: "", service_line: f.service_line });
            wards.reload();
          } catch (x) {
            errors.fromError(x, WARD_FIELDS, "ward-name");
          }
        }}
      >
        <ErrorSummary errors={errors.items} attempt={errors.attempt} />
        <Input
          id="ward-name"
          label="Name"
          value={f.name}
          onInput={(v) => setF({ ...f, name: v })}
          width={30}
          error={errors.error("ward-name")}
        />
        <Input
          id="ward-code"
          label="Code"
          hint="Upper-case letters, digits and dashes, for example ADULT-ASH. It cannot change later."
          value={f.code}
          onInput={(v) => setF({ ...f, code: v })}
          width={20}
          spellcheck={false}
          error={errors.error("ward-code")}
        />
        <Select
          id="service-line"
          label="Service line"
          value={f.service_line}
          onChange={(v) => setF({ ...f, service_line: v as ServiceLine })}
          options={SERVICE_LINES.map((s) => ({ value: s, text: humanise(s) }))}
        />
        <Button>Add ward</Button>
      </form>
    </>
  );
}
