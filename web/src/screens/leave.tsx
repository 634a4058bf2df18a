// Escorted leave as it happens: on the ward screen, a nurse's list of leave
// waiting for authorisation, a worker's planned and authorised leave with
// the next step as one button, and who is out now; the plan form; and
// cancelling a leave with a reason.
import { useEffect, useState } from "preact/hooks";
import { ApiProblem, api, call, isOffline, type Me, type Schemas } from "../api/client";
import { BackLink, Button, ButtonLink, Checkboxes, ErrorSummary, Input, Radios, Tag, Textarea, type SummaryError } from "../components/nhs";
import { datePartsOf, parseDateTime } from "../lib/dates";
import { flash } from "../lib/flash";
import { humanise, time } from "../lib/labels";
import { expectedLabel, loadLeave, move, wardLeave, type Leave, type LeaveVerb } from "../lib/leave";
import { go } from "../lib/router";
import { session } from "../lib/session";
import { useStore } from "../lib/store";
import { openWard, ward as wardStore } from "../lib/ward";

const REFRESH_MS = 20_000;

const DESTINATIONS: Schemas["DestinationCategory"][] = [
  "hospital_grounds",
  "local_community",
  "shops",
  "park_or_outdoors",
  "cafe",
  "home_visit",
  "appointment",
  "other",
];
const AUTHORISATIONS: Schemas["LeaveAuthorisation"][] = ["section_17", "informal", "other"];
const LENGTHS = [30, 60, 120, 180, 240];

function lengthLabel(m: number) {
  return m < 60 ? `${m} minutes` : `${m / 60} hour${m === 60 ? "" : "s"}`;
}

/** What a move's failure means to the person who tapped. */
function failure(e: unknown): string {
  if (isOffline(e)) return "There is no connection. Leave needs a connection: try again when it returns.";
  if (e instanceof ApiProblem) {
    if (e.status === 409 || e.status === 412) return "This leave changed on another tablet. Check it below and try again.";
    const first = e.problem.errors?.[0];
    if (e.status === 422 && first)
      return `${first.field === "departed_at" || first.field === "returned_at" ? "The time" : "This"} ${first.message}.`;
  }
  return "Sorry, the leave could not be changed. Try again.";
}

/** The time typed in "at another time?", today, as an instant; undefined when empty. */
function otherTime(text: string): { at?: string; error?: string } {
  if (!text.trim()) return {};
  const r = parseDateTime({ ...datePartsOf(new Date()), time: text }, "The date", "The time");
  if (!r.ok) return { error: r.error };
  return { at: r.at.toISOString() };
}

/** The ward screen's leave: for a nurse, what waits for them; for a worker,
 * their next step; for everyone, who is out now. */
export function LeavePanel({ wardId, me, canEscort }: { wardId: string; me: Me; canEscort: boolean }) {
  const state = useStore(wardLeave);
  useEffect(() => {
    void loadLeave(wardId);
    const t = window.setInterval(() => void loadLeave(wardId), REFRESH_MS);
    return () => window.clearInterval(t);
  }, [wardId, me.id]);
  const items = state?.wardId === wardId ? state.items : [];
  const loaded = state?.wardId === wardId && state.loaded;
  const nurse = me.role === "ward_staff";
  const waiting = items.filter((l) => l.state === "planned");
  const authorised = items.filter((l) => l.state === "authorised");
  const out = items.filter((l) => l.state === "out");
  const offline = state?.wardId === wardId && state.error === "offline";

  return (
    <section aria-labelledby="leave-heading" class="app-leave">
      <h2 class="nhsuk-heading-m" id="leave-heading">
        Escorted leave
      </h2>
      {offline && <p class="app-muted">You're offline. Leave is shown and changed when there is a connection.</p>}
      {canEscort && (
        <p>
          <ButtonLink href={`#/ward/${wardId}/leave/plan`}>Plan escorted leave</ButtonLink>
        </p>
      )}
      {nurse && (
        <>
          <h3 class="nhsuk-heading-s">Waiting for your authorisation</h3>
          {waiting.length ? (
            <LeaveList items={waiting} me={me} canEscort={canEscort} label="Leave waiting for authorisation" />
          ) : (
            <p>{loaded ? "No leave is waiting for authorisation." : "Loading the ward's leave…"}</p>
          )}
        </>
      )}
      {!nurse && (waiting.length > 0 || authorised.length > 0) && (
        <>
          <h3 class="nhsuk-heading-s">Planned</h3>
          <LeaveList items={[...waiting, ...authorised]} me={me} canEscort={canEscort} label="Planned leave" />
        </>
      )}
      {nurse && authorised.length > 0 && (
        <>
          <h3 class="nhsuk-heading-s">Authorised, not left yet</h3>
          <LeaveList items={authorised} me={me} canEscort={canEscort} label="Authorised leave" />
        </>
      )}
      <h3 class="nhsuk-heading-s">Out now</h3>
      {out.length ? (
        <LeaveList items={out} me={me} canEscort={canEscort} label="People out on leave now" />
      ) : (
        <p>{loaded ? "Nobody from this ward is out on escorted leave." : ""}</p>
      )}
    </section>
  );
}

function LeaveList({ items, me, canEscort, label }: { items: Leave[]; me: Me; canEscort: boolean; label: string }) {
  return (
    <ul class="nhsuk-list app-leave-list" aria-label={label}>
      {items.map((l) => (
        <LeaveItem key={l.id} l={l} me={me} canEscort={canEscort} />
      ))}
    </ul>
  );
}

function LeaveItem({ l, me, canEscort }: { l: Leave; me: Me; canEscort: boolean }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [at, setAt] = useState("");
  const [notAsPlanned, setNotAsPlanned] = useState(false);
  const [incident, setIncident] = useState(false);
  const who = l.service_user_label;
  const nurse = me.role === "ward_staff";
  const planner = l.planned_by === me.id ? "you" : l.planned_by_name;
  const backBy = l.departed_at ? new Date(Date.parse(l.departed_at) + l.expected_minutes * 60_000).toISOString() : null;

  async function act(verb: LeaveVerb) {
    setBusy(true);
    setError(undefined);
    const when = otherTime(at);
    if (when.error) {
      setError(when.error);
      setBusy(false);
      return;
    }
    try {
      const body =
        verb === "depart"
          ? { departed_at: when.at }
          : verb === "return"
            ? { returned_at: when.at, returned_as_planned: !notAsPlanned, incident }
            : {};
      const done = await move(l, verb, body);
      flash.set(
        verb === "authorise"
          ? { success: true, heading: `Leave authorised for ${who}` }
          : verb === "depart"
            ? { success: true, heading: `${who} is out on leave`, body: `Left at ${time(done.departed_at ?? "")}.` }
            : { success: true, heading: `${who} is back`, body: `Escorted leave recorded: back at ${time(done.returned_at ?? "")}.` },
      );
    } catch (e) {
      setError(failure(e));
      void loadLeave(l.ward_id);
    } finally {
      setBusy(false);
    }
  }

  const next: { verb: LeaveVerb; text: string; timeLabel?: string } | null =
    nurse && l.state === "planned" && l.planned_by !== me.id
      ? { verb: "authorise", text: `Authorise leave for ${who}` }
      : canEscort && l.state === "authorised"
        ? { verb: "depart", text: `${who} has left with me`, timeLabel: "Time they left" }
        : canEscort && l.state === "out"
          ? { verb: "return", text: `${who} is back`, timeLabel: "Time they got back" }
          : null;
  const cancellable = (l.state === "planned" || l.state === "authorised") && (canEscort || nurse);
  const errorId = `leave-${l.id}-error`;

  return (
    <li class="app-leave-item">
      <p class="nhsuk-body nhsuk-u-margin-bottom-2">
        <strong>{who}</strong> · {humanise(l.destination)} · {expectedLabel(l.expected_minutes)}
        {l.purpose && <> · {l.purpose}</>}
      </p>
      <p class="nhsuk-body-s nhsuk-u-margin-bottom-2">
        {l.state === "planned" && (
          <>
            <Tag colour="yellow">Waiting for a nurse</Tag> Planned by {planner} for {time(l.planned_out_at)}. {humanise(l.authorisation)}.
          </>
        )}
        {l.state === "authorised" && (
          <>
            <Tag colour="blue">Authorised</Tag> by {l.authorised_by === me.id ? "you" : l.authorised_by_name} at{" "}
            {time(l.authorised_at ?? "")}. Planned by {planner} for {time(l.planned_out_at)}.
          </>
        )}
        {l.state === "out" && (
          <>
            <Tag colour="orange">Out</Tag> since {time(l.departed_at ?? "")}, expected back about {time(backBy ?? "")}. Escort planned by{" "}
            {planner}.
          </>
        )}
      </p>
      {error && (
        <p class="nhsuk-error-message" id={errorId} role="alert">
          <span class="nhsuk-u-visually-hidden">Error:</span> {error}
        </p>
      )}
      {next && (
        <div class="app-inline-buttons">
          <Button type="button" disabled={busy} onClick={() => void act(next.verb)} aria-describedby={error ? errorId : undefined}>
            {next.text}
          </Button>
          {cancellable && (
            <a class="nhsuk-link app-touch" href={`#/leave/${l.id}/cancel`}>
              {nurse ? "Do not authorise" : "Cancel this leave"}
              <span class="nhsuk-u-visually-hidden"> for {who}</span>
            </a>
          )}
        </div>
      )}
      {!next && cancellable && (
        <p>
          <a class="nhsuk-link app-touch" href={`#/leave/${l.id}/cancel`}>
            Cancel this leave<span class="nhsuk-u-visually-hidden"> for {who}</span>
          </a>
        </p>
      )}
      {next?.timeLabel && (
        <details class="nhsuk-details nhsuk-u-margin-bottom-2">
          <summary class="nhsuk-details__summary">
            <span class="nhsuk-details__summary-text">
              {next.verb === "return" ? "Not just now, or not as planned?" : "Not just now?"}
              <span class="nhsuk-u-visually-hidden"> {who}</span>
            </span>
          </summary>
          <div class="nhsuk-details__text">
            <Input
              id={`leave-${l.id}-time`}
              label={`${next.timeLabel}, today`}
              hint="24-hour clock, for example 14:30. Then tap the button above."
              width={5}
              inputMode="numeric"
              value={at}
              onInput={(v) => {
                setAt(v);
                setError(undefined);
              }}
            />
            {next.verb === "return" && (
              <Checkboxes
                id={`leave-${l.id}-how`}
                label="How did it go?"
                hint="Leave these empty if it went as planned. Add an incident reference later by amending the record."
                values={[notAsPlanned ? "not_as_planned" : "", incident ? "incident" : ""].filter(Boolean)}
                onChange={(v) => {
                  setNotAsPlanned(v.includes("not_as_planned"));
                  setIncident(v.includes("incident"));
                }}
                choices={[
                  { value: "not_as_planned", label: "They did not return as planned" },
                  { value: "incident", label: "There was an incident" },
                ]}
              />
            )}
          </div>
        </details>
      )}
    </li>
  );
}

interface PlanForm {
  person: string;
  minutes: string;
  authorisation: string;
  destination: string;
  when: "now" | "later";
  at: string;
  purpose: string;
}

/** Planning a leave: who, how long, on what authority, where, when. */
export function PlanLeaveScreen({ wardId }: { wardId: string }) {
  const me = useStore(session).me;
  const w = useStore(wardStore);
  const [f, setF] = useState<PlanForm>({ person: "", minutes: "", authorisation: "", destination: "", when: "now", at: "", purpose: "" });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [attempt, setAttempt] = useState(0);
  const [busy, setBusy] = useState(false);
  const [id] = useState(() => crypto.randomUUID());
  const info = me?.wards.find((x) => x.id === wardId);

  useEffect(() => {
    document.title = "Plan escorted leave – Peer support log – NHS";
    if (me && info) void openWard(me.id, wardId);
  }, [me?.id, wardId]);

  if (!me) return null;
  if (!info) {
    return (
      <>
        <h1>Ward not found</h1>
        <p>
          <a href="#/wards">Choose one of your wards</a>
        </p>
      </>
    );
  }
  const people = w && w.wardId === wardId ? w.serviceUsers : [];
  const set = (k: keyof PlanForm) => (v: string) => setF({ ...f, [k]: v });

  async function submit(e: Event) {
    e.preventDefault();
    const errs: Record<string, string> = {};
    if (!f.person) errs["plan-person"] = "Select who is going on leave";
    if (!f.minutes) errs["plan-minutes"] = "Select how long they expect to be out";
    if (!f.authorisation) errs["plan-authorisation"] = "Select the leave's authorisation";
    if (!f.destination) errs["plan-destination"] = "Select where they are going";
    let planned: string | undefined;
    if (f.when === "later") {
      const t = otherTime(f.at);
      if (!f.at.trim()) errs["plan-at"] = "Enter the time they will leave, for example 14:30";
      else if (t.error) errs["plan-at"] = t.error;
      else planned = t.at;
    }
    if (f.purpose.trim().length > 200) errs["plan-purpose"] = "What the leave is for must be 200 characters or fewer";
    setErrors(errs);
    setAttempt((n) => n + 1);
    if (Object.keys(errs).length) return;
    setBusy(true);
    try {
      await call(
        api.POST("/api/v1/leaves", {
          body: {
            id,
            ward_id: wardId,
            service_user_id: f.person,
            expected_minutes: Number(f.minutes),
            authorisation: f.authorisation as Schemas["LeaveAuthorisation"],
            destination: f.destination as Schemas["DestinationCategory"],
            planned_out_at: planned,
            purpose: f.purpose.trim() || undefined,
          },
        }),
      );
      const who = people.find((p) => p.id === f.person)?.display_label ?? "The person";
      flash.set({ success: true, heading: `Leave planned for ${who}`, body: "A nurse on the ward authorises it before you leave." });
      go(`#/ward/${wardId}`);
    } catch (err) {
      const map: Record<string, string> = {
        service_user_id: "plan-person",
        expected_minutes: "plan-minutes",
        planned_out_at: "plan-at",
        purpose: "plan-purpose",
        ward_id: "plan-person",
      };
      if (err instanceof ApiProblem && err.problem.errors?.length) {
        const out: Record<string, string> = {};
        for (const x of err.problem.errors) out[map[x.field] ?? "plan-person"] = `${humanise(x.field)} ${x.message}`;
        setErrors(out);
      } else {
        setErrors({
          "plan-person": isOffline(err)
            ? "There is no connection. Plan the leave when it returns."
            : "The leave could not be planned. Try again.",
        });
      }
      setAttempt((n) => n + 1);
    } finally {
      setBusy(false);
    }
  }

  const summary: SummaryError[] = Object.entries(errors).map(([id, text]) => ({ id, text }));
  return (
    <div class="nhsuk-grid-row">
      <div class="nhsuk-grid-column-two-thirds">
        <BackLink href={`#/ward/${wardId}`}>Back to {info.name}</BackLink>
        <ErrorSummary errors={summary} attempt={attempt} />
        <span class="nhsuk-caption-l">{info.name}</span>
        <h1>Plan escorted leave</h1>
        <p>A nurse on the ward authorises the leave before you go. You record leaving and coming back with one tap each.</p>
        <form noValidate onSubmit={(e) => void submit(e)}>
          <Radios
            id="plan-person"
            label="Who is going on leave?"
            size="m"
            error={errors["plan-person"]}
            value={f.person}
            onChange={set("person")}
            choices={people.map((p) => ({ value: p.id, label: p.display_label }))}
          />
          <Radios
            id="plan-minutes"
            label="How long will they be out?"
            size="m"
            inline
            error={errors["plan-minutes"]}
            value={f.minutes}
            onChange={set("minutes")}
            choices={LENGTHS.map((m) => ({ value: String(m), label: lengthLabel(m) }))}
          />
          <Radios
            id="plan-destination"
            label="Where are they going?"
            size="m"
            error={errors["plan-destination"]}
            value={f.destination}
            onChange={set("destination")}
            choices={DESTINATIONS.map((d) => ({ value: d, label: humanise(d) }))}
          />
          <Radios
            id="plan-authorisation"
            label="Leave authorisation"
            size="m"
            error={errors["plan-authorisation"]}
            value={f.authorisation}
            onChange={set("authorisation")}
            choices={AUTHORISATIONS.map((a) => ({ value: a, label: humanise(a) }))}
          />
          <Radios
            id="plan-when"
            label="When are they going?"
            size="m"
            value={f.when}
            onChange={(v) => setF({ ...f, when: v as "now" | "later" })}
            choices={[
              { value: "now", label: "As soon as a nurse authorises it" },
              {
                value: "later",
                label: "Later today",
                conditional: (
                  <Input
                    id="plan-at"
                    label="Time"
                    hint="24-hour clock, for example 14:30"
                    width={5}
                    inputMode="numeric"
                    error={errors["plan-at"]}
                    value={f.at}
                    onInput={set("at")}
                  />
                ),
              },
            ]}
          />
          <Input
            id="plan-purpose"
            label="What is the leave for?"
            optional
            hint="A few words, for example to buy toiletries. No addresses."
            error={errors["plan-purpose"]}
            value={f.purpose}
            onInput={set("purpose")}
          />
          <Button disabled={busy}>Ask a nurse to authorise</Button>
        </form>
      </div>
    </div>
  );
}

/** Cancelling a leave before anyone leaves (or a nurse not authorising it), with a reason. */
export function CancelLeaveScreen({ id }: { id: string }) {
  const me = useStore(session).me;
  const [l, setL] = useState<Leave | null>(null);
  const [state, setState] = useState<"loading" | "ready" | "missing">("loading");
  const [reason, setReason] = useState("");
  const [error, setError] = useState<string>();
  const [attempt, setAttempt] = useState(0);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    document.title = "Cancel escorted leave – Peer support log – NHS";
    call(api.GET("/api/v1/leaves/{id}", { params: { path: { id } } }))
      .then(({ data }) => {
        setL(data);
        setState("ready");
      })
      .catch(() => setState("missing"));
  }, [id]);

  if (!me) return null;
  if (state === "loading") return <p>Loading…</p>;
  if (!l) {
    return (
      <>
        <h1>Leave not found</h1>
        <p>There is no such leave on your wards, or there is no connection.</p>
        <p>
          <a href="#/">Go to your ward</a>
        </p>
      </>
    );
  }
  const nurse = me.role === "ward_staff" && l.state === "planned";
  const heading = nurse ? `Do not authorise leave for ${l.service_user_label}` : `Cancel leave for ${l.service_user_label}`;

  async function submit(e: Event) {
    e.preventDefault();
    if (!l) return;
    setAttempt((n) => n + 1);
    if (!reason.trim()) {
      setError("Enter why the leave is cancelled");
      return;
    }
    setBusy(true);
    try {
      await move(l, "cancel", { reason: reason.trim() });
      flash.set({ success: true, heading: `Leave for ${l.service_user_label} cancelled` });
      go(`#/ward/${l.ward_id}`);
    } catch (err) {
      setError(failure(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div class="nhsuk-grid-row">
      <div class="nhsuk-grid-column-two-thirds">
        <BackLink href={`#/ward/${l.ward_id}`}>Back to the ward</BackLink>
        <ErrorSummary errors={error ? [{ id: "cancel-reason", text: error }] : []} attempt={attempt} />
        <h1>{heading}</h1>
        {l.state !== "planned" && l.state !== "authorised" ? (
          <p>This leave is {l.state === "out" ? "under way" : l.state}: it can no longer be cancelled.</p>
        ) : (
          <form noValidate onSubmit={(e) => void submit(e)}>
            <p>
              {humanise(l.destination)}, {expectedLabel(l.expected_minutes)}, planned by{" "}
              {l.planned_by === me.id ? "you" : l.planned_by_name}.
            </p>
            <Textarea
              id="cancel-reason"
              label="Why is the leave cancelled?"
              hint="For example: not well enough today, or the ward is too busy."
              error={error}
              value={reason}
              onInput={setReason}
              maxLength={1000}
              rows={3}
            />
            <Button variant="warning" disabled={busy}>
              {nurse ? "Do not authorise" : "Cancel this leave"}
            </Button>
          </form>
        )}
      </div>
    </div>
  );
}
