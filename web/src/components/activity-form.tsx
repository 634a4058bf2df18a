// The form for one kind of activity, built from the kind's schema in the
// OpenAPI document (kinds.json) and the vocabulary: enum → radios,
// list of enum → checkboxes, boolean → Yes/No, date-time → the NHS.UK date
// input plus a 24-hour time, integer → number, string → text. The record's
// time is asked as when it ended ("Just now" unless told otherwise) and how
// long it lasted, so the start is worked out and the quickest answer is one
// tap. Errors (its own checks or the server's 422, by field path) show in
// the summary at the top and beside each field.
import type { ComponentChildren } from "preact";
import { useState } from "preact/hooks";
import type { ServiceUser } from "../api/client";
import { appConfig } from "../lib/config";
import { personLabelsOf } from "../lib/describe";
import { dateTimePartsOf, EMPTY_DATE_TIME, type DateTimeParts } from "../lib/dates";
import {
  asks,
  check,
  choices,
  END_OFFSETS,
  errorFor,
  involvement,
  isDateTimeParts,
  timesOf,
  type DetailValue,
  type Errors,
  type FieldSpec,
  type FormValues,
  type KindSpec,
  SPAN_DETAILS,
} from "../lib/form";
import { fieldHint, fieldLabel, humanise } from "../lib/labels";
import { useStore } from "../lib/store";
import { vocabulary, type Worker } from "../lib/ward";
import { Button, Checkboxes, DateInput, ErrorSummary, Input, InsetText, Radios, Textarea, WarningCallout, type Choice } from "./nhs";

/** The input id for an error key (`details.topics` → `d-topics`; a box of
 * a date and time after `@`: `ended_at@time` → `ended_at-time`). */
export function inputId(key: string, spec?: KindSpec): string {
  const [base, part] = key.split("@");
  const id = base.startsWith("details.") ? `d-${base.slice(8)}` : base === "_form" ? "when" : base;
  if (part) return `${id}-${part}`;
  // A server message about a date-time detail lands on its day box.
  const f = base.startsWith("details.") ? spec?.fields.find((x) => x.name === base.slice(8)) : undefined;
  return f?.type === "date-time" ? `${id}-day` : id;
}

const TIME_HINT = "For example, 27 3 2026 and 14:30 (24-hour clock)";

const clock = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", hour12: false });
const dayFmt = new Intl.DateTimeFormat("en-GB", { weekday: "long", day: "numeric", month: "long" });

/** "From 13:50 to 14:20 today", as the answers so far make it. */
function spanText(start: Date, end: Date, now: Date): string {
  const sameDay = start.toDateString() === end.toDateString();
  const day = end.toDateString() === now.toDateString() ? "today" : `on ${dayFmt.format(end)}`;
  return sameDay
    ? `From ${clock.format(start)} to ${clock.format(end)} ${day}`
    : `From ${clock.format(start)} on ${dayFmt.format(start)} to ${clock.format(end)} ${day}`;
}

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
  /** Counts the server's refusals, so each moves focus to the summary. */
  serverAttempt?: number;
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
  const [attempt, setAttempt] = useState(0);
  // The server names `started_at`: on this form that is the "when" question,
  // unless the start time itself was given.
  const server: Errors = {};
  for (const [k, text] of Object.entries(props.serverErrors ?? {})) {
    server[k === "started_at" ? (v.lengthMode === "start" ? "started_at@day" : "when") : k] = text;
  }
  const errors: Errors = { ...server, ...own };
  const inv = involvement(spec);

  const set = (patch: Partial<FormValues>) => setV((x) => ({ ...x, ...patch }));
  const setDetail = (name: string, value: DetailValue) => setV((x) => ({ ...x, details: { ...x.details, [name]: value } }));

  function submit(e: Event) {
    e.preventDefault();
    const errs = check(v, spec);
    if (props.askReason && !reason.trim()) errs.reason = "Enter why you are changing this record";
    setOwn(errs);
    if (Object.keys(errs).length) {
      setAttempt((n) => n + 1);
      return;
    }
    void props.onSubmit(v, reason.trim());
  }

  // The summary lists errors in the order of the form.
  const order = [
    "_form",
    "service_user_ids",
    "when",
    "ended_at",
    "duration",
    "started_at",
    ...spec.fields.map((f) => `details.${f.name}`),
    "co_worker_ids",
    "note",
    "reason",
  ];
  const rank = (k: string) => {
    const i = order.indexOf(k.split("@")[0]);
    return i < 0 ? 99 : i;
  };
  const keys = Object.keys(errors).sort((a, b) => rank(a) - rank(b));
  const summary = keys.map((k) => ({ id: inputId(k, spec), text: errors[k] }));
  const now = new Date();
  const times = timesOf(v, spec, now);
  const endError = errorFor(errors, "ended_at");
  const startError = errorFor(errors, "started_at");
  const setParts = (key: "endedAt" | "startedAt") => ({
    onChange: (d: { day: string; month: string; year: string }) => setV((x) => ({ ...x, [key]: { ...x[key], ...d } })),
    onTime: (t: string) => setV((x) => ({ ...x, [key]: { ...x[key], time: t } })),
  });

  // Escorted leave asks one pair of times, leaving and getting back (or
  // not back yet): they are the activity's start and end, and its details'.
  const leave = !!SPAN_DETAILS[spec.kind];
  const whenLabel = leave ? "When did you get back to the ward?" : fieldLabel("ended_at");
  const lengthLabel = !leave
    ? fieldLabel("duration_minutes")
    : v.notBack
      ? "How long ago did you leave the ward?"
      : "How long were you off the ward?";

  const activeUsers = serviceUsers.filter((s) => !s.discharged_on || v.serviceUserIds.includes(s.id));
  // Labelled among everyone on the ward, so two people with the same
  // initials are told apart even when one has been discharged.
  const named = personLabelsOf(serviceUsers);
  const userChoices: Choice[] = activeUsers.map((s) => ({ value: s.id, label: named.get(s.id) ?? s.display_label }));
  const clash = activeUsers.some((s) => named.get(s.id) !== s.display_label);
  const told = clash
    ? `; people who share initials also by ${
        appConfig.get()?.person_disambiguator === "bed_or_bay" ? "their bed or bay" : "the end of their reference"
      }`
    : "";

  return (
    <form onSubmit={submit} noValidate>
      <ErrorSummary errors={summary} attempt={attempt + (props.serverAttempt ?? 0)} />
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
              hint={`Shown by their initials on this ward's list${told}`}
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
              hint={`${spec.kind === "group_session" ? "Select everyone you can name" : "Select everyone involved"}${told}`}
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

      <Radios
        id="when"
        label={whenLabel}
        size="m"
        error={errors.when}
        value={v.notBack ? "not_back" : v.endMode}
        onChange={(x) =>
          x === "not_back" ? set({ notBack: true, endMode: "now" }) : set({ endMode: x as FormValues["endMode"], notBack: false })
        }
        choices={[
          ...END_OFFSETS.map(([mode, label]) => ({ value: mode, label })),
          {
            value: "other",
            label: "Another time",
            conditional: (
              <DateInput
                id="ended_at"
                label={leave ? "Date and time you got back" : "Date and time it ended"}
                hint={TIME_HINT}
                error={endError?.text}
                errorPart={endError?.part}
                value={v.endedAt}
                time={v.endedAt.time}
                {...setParts("endedAt")}
              />
            ),
          },
          ...(leave
            ? [
                {
                  value: "not_back",
                  label: "Not back yet",
                  hint: "They have not come back to the ward with you",
                },
              ]
            : []),
        ]}
      />

      <Radios
        id="duration"
        label={lengthLabel}
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
            value: "start",
            label: leave ? "Give the time you left instead" : "Give the start time instead",
            conditional: (
              <DateInput
                id="started_at"
                label={leave ? "Date and time you left the ward" : "Date and time it started"}
                hint={TIME_HINT}
                error={startError?.text}
                errorPart={startError?.part}
                value={v.startedAt}
                time={v.startedAt.time}
                {...setParts("startedAt")}
              />
            ),
          },
        ]}
      />
      {times.start && times.end && (
        <p class="nhsuk-body app-times" aria-live="polite">
          {leave && v.notBack
            ? `Left the ward at ${clock.format(times.start)}${times.start.toDateString() === now.toDateString() ? " today" : ` on ${dayFmt.format(times.start)}`}`
            : spanText(times.start, times.end, now)}
        </p>
      )}

      {spec.fields
        .filter((f) => asks(spec, v, f.name))
        .map((f) => (
          <DetailField
            key={f.name}
            f={f}
            value={v.details[f.name]}
            error={errorFor(errors, `details.${f.name}`)}
            vocabChoices={choices(f, vocab)}
            start={times.start ?? times.end}
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
  start,
  onChange,
}: {
  f: FieldSpec;
  value: DetailValue | undefined;
  error?: { text: string; part?: string };
  vocabChoices: string[];
  /** The record's start, as the answers so far make it. */
  start: Date | null;
  onChange: (v: DetailValue) => void;
}) {
  const id = `d-${f.name}`;
  const label = fieldLabel(f.name);
  const hint = fieldHint(f.name, f.description);
  const optional = !f.required;
  const str = typeof value === "string" ? value : "";
  const list = Array.isArray(value) ? value : [];
  switch (f.type) {
    case "enum":
      return (
        <Radios
          id={id}
          label={label}
          size="m"
          hint={hint}
          optional={optional}
          error={error?.text}
          value={str}
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
          error={error?.text}
          values={list}
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
          error={error?.text}
          value={str}
          onChange={onChange}
          choices={[
            { value: "yes", label: "Yes" },
            { value: "no", label: "No" },
          ]}
        />
      );
    case "date-time": {
      const parts: DateTimeParts = isDateTimeParts(value) ? value : EMPTY_DATE_TIME;
      return (
        <DateInput
          id={id}
          label={label}
          size="m"
          hint={hint ? `${hint.replace(/\.$/, "")}. ${TIME_HINT}` : TIME_HINT}
          optional={optional}
          error={error?.text}
          errorPart={error?.part}
          value={parts}
          onChange={(d) => onChange({ ...parts, ...d })}
          time={parts.time}
          onTime={(t) => onChange({ ...parts, time: t })}
          after={
            <div class="app-offsets" role="group" aria-label={`Quick times for: ${label}`}>
              <Button type="button" variant="secondary" small disabled={!start} onClick={() => start && onChange(dateTimePartsOf(start))}>
                Same as start time
              </Button>
              <Button type="button" variant="secondary" small onClick={() => onChange(dateTimePartsOf(new Date()))}>
                Now
              </Button>
            </div>
          }
        />
      );
    }
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
          error={error?.text}
          value={str}
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
          error={error?.text}
          value={str}
          onInput={onChange}
        />
      );
  }
}
