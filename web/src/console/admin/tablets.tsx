// The ward tablets the trust knows (issue 22, item 7): the admin adds one
// (name and ward) and gets a one-time code to type on the tablet; the list
// shows each tablet's state and last sign-in; a lost tablet is revoked.
import { useEffect, useRef, useState } from "preact/hooks";
import { api, call, type Schemas } from "../../api/client";
import { Button, ErrorSummary, Input, NotificationBanner, Select, Table, Tag } from "../../components/nhs";
import { dayAndTime, time } from "../../lib/labels";
import { Loading, Problem, problemText, useFormErrors, useLoad, useTitle } from "../common";
import type { FieldWords } from "../form-errors";
import { allWards } from "./shared";

type Tablet = Schemas["Tablet"];
type Created = Schemas["CreatedTablet"];

const FIELDS: Record<string, FieldWords> = {
  name: { id: "tablet-name", label: "Name", say: () => "Enter a name of up to 100 characters, for example Ash ward tablet 2" },
  ward_id: { id: "tablet-ward", label: "Ward", say: () => "Choose a ward from the list" },
};

async function allTablets(): Promise<Tablet[]> {
  const out: Tablet[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < 20; i++) {
    const { data } = await call(api.GET("/api/v1/tablets", { params: { query: { limit: 200, cursor } } }));
    out.push(...data.items);
    cursor = data.next_cursor ?? undefined;
    if (!cursor) break;
  }
  return out;
}

const STATUS: Record<Tablet["status"], { text: string; colour: "green" | "grey" | "blue" | "red" }> = {
  awaiting_enrolment: { text: "Waiting for its code", colour: "blue" },
  code_expired: { text: "Code ran out", colour: "grey" },
  enrolled: { text: "Set up", colour: "green" },
  revoked: { text: "Revoked", colour: "red" },
};

export function TabletsScreen() {
  useTitle("Ward tablets");
  const tablets = useLoad(allTablets, []);
  const wards = allWards();
  const wardName = new Map((wards.data ?? []).map((w) => [w.id, w.name]));
  const [f, setF] = useState({ name: "", ward_id: "" });
  const errors = useFormErrors();
  const [created, setCreated] = useState<Created>();
  const [confirming, setConfirming] = useState<Tablet>();
  const [editing, setEditing] = useState<{ tablet: Tablet; name: string; ward_id: string }>();
  const editErrors = useFormErrors();
  const [done, setDone] = useState<string>();
  const [error, setError] = useState<string>();
  // A new code appears at the top of the screen: take the admin there.
  const codeCard = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (created) codeCard.current?.focus();
  }, [created]);

  const revoke = async (t: Tablet) => {
    setError(undefined);
    try {
      await call(api.POST("/api/v1/tablets/{id}/revoke", { params: { path: { id: t.id } } }));
      setDone(`${t.name} is revoked. Sign-ins on it are now slowed like on any unknown device.`);
      setConfirming(undefined);
      tablets.reload();
    } catch (x) {
      setError(problemText(x));
    }
  };

  const wardOptions = [
    { value: "", text: "Not one ward" },
    ...(wards.data ?? []).filter((w) => w.active).map((w) => ({ value: w.id, text: w.name })),
  ];

  const saveLabel = async (e: Event) => {
    e.preventDefault();
    if (!editing) return;
    const name = editing.name.trim();
    if (editErrors.fail(name ? [] : [{ id: "edit-tablet-name", text: "Enter a name for the tablet" }])) return;
    try {
      await call(
        api.PATCH("/api/v1/tablets/{id}", {
          params: { path: { id: editing.tablet.id } },
          body: { name, ward_id: editing.ward_id || null },
        }),
      );
      setDone(`${name} saved`);
      setEditing(undefined);
      tablets.reload();
    } catch (x) {
      editErrors.fromError(
        x,
        { name: { ...FIELDS.name, id: "edit-tablet-name" }, ward_id: { ...FIELDS.ward_id, id: "edit-tablet-ward" } },
        "edit-tablet-name",
      );
    }
  };

  return (
    <>
      {done && (
        <NotificationBanner success title="Success">
          <p class="nhsuk-notification-banner__heading">{done}</p>
        </NotificationBanner>
      )}
      {error && <Problem text={error} />}
      <h1>Ward tablets</h1>
      <p>
        Set up each ward tablet once. On a tablet that is set up, a person's sign-ins are slowed only by wrong passwords typed for them on
        that tablet, not by anyone else guessing from the trust's network.
      </p>
      {created && (
        <div class="nhsuk-card app-enrolment-code" tabIndex={-1} ref={codeCard}>
          <div class="nhsuk-card__content">
            <h2 class="nhsuk-card__heading">Code for {created.name}</h2>
            <p class="app-code" id="enrolment-code">
              {created.enrolment_code}
            </p>
            <p>
              On the tablet's sign-in screen, choose "Set up this tablet for the ward" and type this code. It works once, until{" "}
              {created.code_expires_at ? time(created.code_expires_at) : "15 minutes from now"}. It is not shown again.
            </p>
          </div>
        </div>
      )}
      {confirming && (
        <div class="nhsuk-warning-callout">
          <h2 class="nhsuk-warning-callout__label">
            <span>
              <span class="nhsuk-u-visually-hidden">Important: </span>Revoke {confirming.name}?
            </span>
          </h2>
          <p>Do this if the tablet is lost or leaves the trust. Staff can still sign in on it, but like on any unknown device.</p>
          <div class="app-inline-buttons">
            <Button type="button" variant="warning" onClick={() => void revoke(confirming)}>
              Yes, revoke {confirming.name}
            </Button>
            <button type="button" class="nhsuk-link app-touch app-link-button" onClick={() => setConfirming(undefined)}>
              Cancel
            </button>
          </div>
        </div>
      )}
      {editing && (
        <form noValidate onSubmit={saveLabel} class="nhsuk-card">
          <div class="nhsuk-card__content">
            <ErrorSummary errors={editErrors.items} attempt={editErrors.attempt} />
            <h2 class="nhsuk-card__heading">Change {editing.tablet.name}</h2>
            <Input
              id="edit-tablet-name"
              label="Name"
              value={editing.name}
              onInput={(v) => setEditing({ ...editing, name: v })}
              width={30}
              error={editErrors.error("edit-tablet-name")}
            />
            <Select
              id="edit-tablet-ward"
              label="Ward"
              value={editing.ward_id}
              onChange={(v) => setEditing({ ...editing, ward_id: v })}
              options={wardOptions}
              error={editErrors.error("edit-tablet-ward")}
            />
            <div class="app-inline-buttons">
              <Button>Save changes</Button>
              <button type="button" class="nhsuk-link app-touch app-link-button" onClick={() => setEditing(undefined)}>
                Cancel
              </button>
            </div>
          </div>
        </form>
      )}
      {tablets.error && <Problem text={tablets.error} />}
      {!tablets.data ? (
        <Loading what="tablets" />
      ) : (
        <Table
          caption="Tablets"
          head={["Name", "Ward", "Status", "Last sign-in", "Action"]}
          rows={tablets.data.map((t) => [
            t.name,
            t.ward_id ? (wardName.get(t.ward_id) ?? "") : "None",
            <Tag key="s" colour={STATUS[t.status].colour}>
              {STATUS[t.status].text}
            </Tag>,
            t.last_sign_in_at ? dayAndTime(t.last_sign_in_at) : "Never",
            t.status === "revoked" ? (
              ""
            ) : (
              <div class="app-inline-buttons" key="a">
                <button
                  type="button"
                  class="nhsuk-link app-touch app-link-button"
                  onClick={() => {
                    setDone(undefined);
                    setConfirming(undefined);
                    editErrors.clear();
                    setEditing({ tablet: t, name: t.name, ward_id: t.ward_id ?? "" });
                  }}
                >
                  Change<span class="nhsuk-u-visually-hidden"> {t.name}</span>
                </button>
                <button
                  type="button"
                  class="nhsuk-link app-touch app-link-button"
                  onClick={() => {
                    setDone(undefined);
                    setEditing(undefined);
                    setConfirming(t);
                  }}
                >
                  Revoke<span class="nhsuk-u-visually-hidden"> {t.name}</span>
                </button>
              </div>
            ),
          ])}
        />
      )}
      <h2>Add a tablet</h2>
      <form
        noValidate
        onSubmit={async (e) => {
          e.preventDefault();
          setDone(undefined);
          const name = f.name.trim();
          if (errors.fail(name ? [] : [{ id: "tablet-name", text: "Enter a name for the tablet, for example Ash ward tablet 2" }])) return;
          try {
            const { data } = await call(api.POST("/api/v1/tablets", { body: { name, ward_id: f.ward_id || null } }));
            setCreated(data);
            setF({ name: "", ward_id: f.ward_id });
            errors.clear();
            tablets.reload();
          } catch (x) {
            errors.fromError(x, FIELDS, "tablet-name");
          }
        }}
      >
        <ErrorSummary errors={errors.items} attempt={errors.attempt} />
        <Input
          id="tablet-name"
          label="Name"
          hint="What the ward calls it, for example Ash ward tablet 2. Staff see it on the tablet's sign-in screen."
          value={f.name}
          onInput={(v) => setF({ ...f, name: v })}
          width={30}
          error={errors.error("tablet-name")}
        />
        <Select
          id="tablet-ward"
          label="Ward"
          hint="Where it lives. Anyone can still sign in on it."
          value={f.ward_id}
          onChange={(v) => setF({ ...f, ward_id: v })}
          options={wardOptions}
          error={errors.error("tablet-ward")}
        />
        <p class="nhsuk-body-s app-muted">
          A code works once, for 15 minutes, and is shown only once. If it runs out, add the tablet again.
        </p>
        <Button>Create a code</Button>
      </form>
    </>
  );
}
