// The form for one kind of activity, built from the kind's schema in the
// OpenAPI document (kinds.json) and the vocabulary: enum → radios,
// list of enum → checkboxes, boolean → Yes/No, date-time → date and time,
// integer → number, string → text. Errors (its own checks or the server's
// 422, by field path) show in the summary at the top and beside each field.
import type { ComponentChildren } from "preact";
import { useState } from "preact/hooks";
import type { ServiceUser } from "../api/client";
import { check, choices, involvement, toLocalInput, type Errors, type FieldSpec, type FormValues, type KindSpec } from "../lib/form";
import { fieldHint, fieldLabel, humanise } from "../lib/labels";
import { useStore } from "../lib/store";
import { vocabulary, type Worker } from "../lib/ward";
import { Button, Checkboxes, ErrorSummary, Input, InsetText, Radios, Textarea, WarningCallout, type Choice } from "./nhs";

/** The input id for an error key (`details.topics` → `d-topics`). */
export function inputId(key: string): string {
  if (key.startsWith("details.")) return `d-${key.slice(8)}`;
  if (key === "_form") return "started_at";
  return key;
}

const OFFSETS: [string, number][] = [
  ["Now", 0],
  ["15 min ago", 15],
  ["30 min ago", 30],
  ["1 hour ago", 60],
];

export interface ActivityFormProps {
  spec: KindSpec;
  initial: FormValues;
  serviceUsers: ServiceUser[];
  /** Peer workers on the ward other than the one recording. */
  coWorkers: Worker[] | null;
  submitLabel: string;
  /** Ask why (amendments). */
  askReason?: boolean;
  /** Errors from the server, by field key. */
  serverErrors?: Errors;
  onSubmit: (values: FormValues, reason: string) => void | Promise<void>;
  cancelHref: string;
  busy?: boolean;
  before?: ComponentChildren;
}

export function ActivityForm(props: ActivityFormProps) {
  const { spec, serviceUsers, coWorkers } = props;
  const vocab = useStore(vocabulary);
  const [v, setV] = useState<FormValues>(props.initial);
  const [reason, setReason] = useState("");
  const [own, setOwn] = useState<Errors>({});
  const errors: Errors = { ...(props.serverErrors ?? {}), ...own };
  const inv = involvement(spec);

  const set = (patch: Partial<FormValues>) => setV((x) => ({ ...x, ...patch }));
  const setDetail = (name: string, value: string | string[]) => setV((x) => ({ ...x, details: { ...x.details, [name]: value } }));

  function submit(e: Event) {
    e.preventDefault();
    const errs = check(v, spec);
    if (props.askReason && !reason.trim()) errs.reason = "Enter why you are changing this record";
    setOwn(errs);
    if (Object.keys(errs).length) return;
    void props.onSubmit(v, reason.trim());
  }

  // The summary lists errors in the order of the form.
  const order = [
    "_form",
    "service_user_ids",
    "started_at",
    "duration",
    ...spec.fields.map((f) => `details.${f.name}`),
    "co_worker_ids",
    "note",
    "reason",
  ];
  const keys = Object.keys(errors).sort((a, b) => {
    const ia = order.indexOf(a);
    const ib = order.indexOf(b);
    return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib);
  });
  const summary = keys.map((k) => ({ id: inputId(k), text: errors[k] }));

  const activeUsers = serviceUsers.filter((s) => !s.discharged_on || v.serviceUserIds.includes(s.id));
  const userChoices: Choice[] = activeUsers.map((s) => ({ value: s.id, label: s.display_label }));

  return (
    <form onSubmit={submit} noValidate>
      <ErrorSummary errors={summary} />
      {props.before}

      {spec.kind === "suicide_prevention" && (
        <WarningCallout heading="Escalate it before you save">
          <p>This record cannot be saved without who on the ward you escalated it to, and when.</p>
        </WarningCallout>
      )}

      {inv.show &&
        (userChoices.length ? (
          inv.max === 1 ? (
            <Radios
              id="service_user_ids"
              label={fieldLabel("service_user_ids")}
              size="m"
              hint="Shown by their initials on this ward's list"
              error={errors.service_user_ids}
              value={v.serviceUserIds[0] ?? ""}
              onChange={(id) => set({ serviceUserIds: [id] })}
              choices={userChoices}
            />
          ) : (
            <Checkboxes
              id="service_user_ids"
              label={spec.kind === "group_session" ? "Who attended? (named attendees)" : fieldLabel("service_user_ids")}
              size="m"
              hint={spec.kind === "group_session" ? "Select everyone you can name" : "Select everyone involved"}
              optional={inv.min === 0}
              error={errors.service_user_ids}
              values={v.serviceUserIds}
              onChange={(ids) => set({ serviceUserIds: ids })}
              choices={userChoices}
            />
          )
        ) : (
          <InsetText>
            <p id="service_user_ids" tabIndex={-1}>
              This tablet does not have the ward's list of service users yet. It is fetched when there is a connection.
            </p>
          </InsetText>
        ))}

      <Input
        id="started_at"
        label={fieldLabel("started_at")}
        size="m"
        type="datetime-local"
        value={v.startedAt}
        onInput={(x) => set({ startedAt: x })}
        error={errors.started_at}
        after={
          <div class="app-offsets" role="group" aria-label="Quick start times">
            {OFFSETS.map(([label, minutes]) => (
              <Button
                key={label}
                type="button"
                variant="secondary"
                small
                onClick={() => set({ startedAt: toLocalInput(new Date(Date.now() - minutes * 60_000)) })}
              >
                {label}
              </Button>
            ))}
          </div>
        }
      />

      <Radios
        id="duration"
        label={fieldLabel("duration_minutes")}
        size="m"
        error={errors.duration}
        value={v.lengthMode}
        onChange={(x) => set({ lengthMode: x as FormValues["lengthMode"] })}
        choices={[
          { value: "15", label: "15 minutes" },
          { value: "30", label: "30 minutes" },
          { value: "45", label: "45 minutes" },
          { value: "60", label: "1 hour" },
          {
            value: "other",
            label: "Another length",
            conditional: (
              <Input
                id="duration-other"
                label="Length in minutes"
                type="number"
                inputMode="numeric"
                width={4}
                min={1}
                max={spec.common.duration_minutes?.maximum ?? 1440}
                value={v.otherMinutes}
                onInput={(x) => set({ otherMinutes: x })}
              />
            ),
          },
          {
            value: "end",
            label: "Give the end time instead",
            conditional: (
              <Input
                id="ended_at"
                label={fieldLabel("ended_at")}
                type="datetime-local"
                value={v.endedAt}
                onInput={(x) => set({ endedAt: x })}
              />
            ),
          },
        ]}
      />

      {spec.fields.map((f) => (
        <DetailField
          key={f.name}
          f={f}
          value={v.details[f.name]}
          error={errors[`details.${f.name}`]}
          vocabChoices={choices(f, vocab)}
          startedAt={v.startedAt}
          onChange={(x) => setDetail(f.name, x)}
        />
      ))}

      {coWorkers && coWorkers.length > 0 && spec.common.co_worker_ids && (
        <Checkboxes
          id="co_worker_ids"
          label={spec.kind === "group_session" ? "Other facilitators" : fieldLabel("co_worker_ids")}
          size="m"
          optional
          error={errors.co_worker_ids}
          values={v.coWorkerIds}
          onChange={(ids) => set({ coWorkerIds: ids })}
          choices={coWorkers.map((w) => ({ value: w.id, label: w.display_name, hint: humanise(w.role) }))}
        />
      )}

      <Textarea
        id="note"
        label={fieldLabel("note")}
        size="m"
        optional
        hint="Keep it short and factual. Do not include anyone's full name, address or NHS number."
        maxLength={spec.common.note?.maxLength ?? 2000}
        value={v.note}
        onInput={(x) => set({ note: x })}
        error={errors.note}
      />

      {props.askReason && (
        <Textarea
          id="reason"
          label="Why are you changing this record?"
          size="m"
          hint="This is kept with the earlier version"
          maxLength={1000}
          rows={3}
          value={reason}
          onInput={setReason}
          error={errors.reason}
        />
      )}

      <div class="app-inline-buttons">
        <Button disabled={props.busy}>{props.submitLabel}</Button>
        <a class="nhsuk-link app-touch" href={props.cancelHref}>
          Cancel
        </a>
      </div>
    </form>
  );
}

function DetailField({
  f,
  value,
  error,
  vocabChoices,
  startedAt,
  onChange,
}: {
  f: FieldSpec;
  value: string | string[] | undefined;
  error?: string;
  vocabChoices: string[];
  startedAt: string;
  onChange: (v: string | string[]) => void;
}) {
  const id = `d-${f.name}`;
  const label = fieldLabel(f.name);
  const hint = fieldHint(f.name, f.description);
  const optional = !f.required;
  switch (f.type) {
    case "enum":
      return (
        <Radios
          id={id}
          label={label}
          size="m"
          hint={hint}
          optional={optional}
          error={error}
          value={String(value ?? "")}
          onChange={onChange}
          choices={vocabChoices.map((c) => ({ value: c, label: humanise(c) }))}
        />
      );
    case "enum[]":
      return (
        <Checkboxes
          id={id}
          label={label}
          size="m"
          hint={hint ?? "Select all that apply"}
          optional={optional}
          error={error}
          values={Array.isArray(value) ? value : []}
          onChange={onChange}
          choices={vocabChoices.map((c) => ({ value: c, label: humanise(c) }))}
        />
      );
    case "boolean":
      return (
        <Radios
          id={id}
          label={label}
          size="m"
          hint={hint}
          optional={optional}
          inline
          error={error}
          value={String(value ?? "")}
          onChange={onChange}
          choices={[
            { value: "yes", label: "Yes" },
            { value: "no", label: "No" },
          ]}
        />
      );
    case "date-time":
      return (
        <Input
          id={id}
          label={label}
          size="m"
          hint={hint}
          optional={optional}
          type="datetime-local"
          error={error}
          value={String(value ?? "")}
          onInput={onChange}
          after={
            <div class="app-offsets" role="group" aria-label={`Quick times for: ${label}`}>
              <Button type="button" variant="secondary" small onClick={() => onChange(startedAt)}>
                Same as start time
              </Button>
              <Button type="button" variant="secondary" small onClick={() => onChange(toLocalInput(new Date()))}>
                Now
              </Button>
            </div>
          }
        />
      );
    case "integer":
      return (
        <Input
          id={id}
          label={label}
          size="m"
          hint={hint}
          optional={optional}
          type="number"
          inputMode="numeric"
          width={4}
          min={f.minimum}
          max={f.maximum}
          error={error}
          value={String(value ?? "")}
          onInput={onChange}
        />
      );
    default:
      return (
        <Input
          id={id}
          label={label}
          size="m"
          hint={hint}
          optional={optional}
          width={f.maxLength && f.maxLength <= 64 ? 20 : 30}
          error={error}
          value={String(value ?? "")}
          onInput={onChange}
        />
      );
  }
}
