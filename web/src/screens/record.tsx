import { useEffect, useState } from "preact/hooks";
import { ActivityForm } from "../components/activity-form";
import { BackLink, Button, NotificationBanner, SummaryList, Tag, WarningCallout } from "../components/nhs";
import { lines } from "../lib/describe";
import { flash } from "../lib/flash";
import { emptyValues, kindOrder, kindSpec, newBody, serverErrors, valuesFrom } from "../lib/form";
import { dayAndTime, humanise } from "../lib/labels";
import { discard, enqueue, outbox, resubmit, sendNow } from "../lib/outbox";
import { sayOffer } from "../lib/answers";
import { go } from "../lib/router";
import { session } from "../lib/session";
import { useStore } from "../lib/store";
import { openWard, vocabulary, ward as wardStore } from "../lib/ward";
import { RECORDING_ROLES } from "./ward";
import type { Activity } from "../api/client";
import type { Errors } from "../lib/form";

function useWard(wardId: string) {
  const me = useStore(session).me;
  const w = useStore(wardStore);
  useEffect(() => {
    if (me && me.wards.some((x) => x.id === wardId)) void openWard(me.id, wardId);
  }, [me?.id, wardId]);
  return w && w.wardId === wardId && w.userId === me?.id ? w : null;
}

export function ChooseKindScreen({ wardId }: { wardId: string }) {
  const me = useStore(session).me;
  const vocab = useStore(vocabulary);
  const info = me?.wards.find((w) => w.id === wardId);
  useEffect(() => {
    document.title = "Record an activity – Peer support log – NHS";
  }, []);
  const why = refusal(me, wardId);
  if (why || !me || !info) return <NotAllowed why={why ?? "signed_out"} />;
  return (
    <>
      <BackLink href={`#/ward/${wardId}`}>Back to {info.name}</BackLink>
      <span class="nhsuk-caption-l">{info.name}</span>
      <h1>Record an activity</h1>
      <p>What kind of activity was it?</p>
      <ul class="app-kind-list">
        {kindOrder(vocab).map((k) => (
          <li key={k}>
            <div class="nhsuk-card nhsuk-card--clickable">
              <div class="nhsuk-card__content">
                <h2 class="nhsuk-card__heading nhsuk-heading-s">
                  <a class="nhsuk-card__link" href={`#/ward/${wardId}/record/${k}`}>
                    {humanise(k)}
                  </a>
                </h2>
                <p class="nhsuk-card__description nhsuk-body-s">{kindSpec(k)?.description}</p>
              </div>
            </div>
          </li>
        ))}
      </ul>
    </>
  );
}

/** Why this person cannot record here: the reason that is true for them. */
type Refusal = "signed_out" | "role" | "not_your_ward" | "ward_closed" | "unknown_kind";

function refusal(
  me: { role: string; wards: { id: string; active?: boolean }[] } | null | undefined,
  wardId: string,
  kindKnown = true,
): Refusal | null {
  if (!me) return "signed_out";
  if (!RECORDING_ROLES.includes(me.role)) return "role";
  const ward = me.wards.find((w) => w.id === wardId);
  if (!ward) return "not_your_ward";
  if (ward.active === false) return "ward_closed";
  if (!kindKnown) return "unknown_kind";
  return null;
}

const REFUSALS: Record<Refusal, string> = {
  signed_out: "Sign in to record an activity.",
  role: "Only peer support workers and peer team leaders record activities.",
  not_your_ward: "This ward is not one of yours, so you cannot record activities on it. Ask an admin if you now work here.",
  ward_closed: "This ward is closed: its records are kept, but no new ones are taken.",
  unknown_kind: "There is no activity of that kind. Choose one from the list.",
};

function NotAllowed({ why }: { why: Refusal }) {
  return (
    <>
      <h1>You cannot record activities here</h1>
      <p>{REFUSALS[why]}</p>
      <p>
        <a href="#/">Go to your ward</a>
      </p>
    </>
  );
}

export function RecordScreen({ wardId, kind }: { wardId: string; kind: string }) {
  const me = useStore(session).me;
  const w = useWard(wardId);
  const spec = kindSpec(kind);
  const info = me?.wards.find((x) => x.id === wardId);
  const [busy, setBusy] = useState(false);
  // The server's refusal of this form's record, by field, and how many.
  const [refused, setRefused] = useState<{ errors: Errors; count: number }>({ errors: {}, count: 0 });
  useEffect(() => {
    document.title = `Record ${humanise(kind).toLowerCase()} – Peer support log – NHS`;
  }, [kind]);
  const why = refusal(me, wardId, !!spec);
  if (why || !me || !info || !spec) return <NotAllowed why={why ?? "signed_out"} />;
  return (
    <div class="nhsuk-grid-row">
      <div class="nhsuk-grid-column-two-thirds">
        <BackLink href={`#/ward/${wardId}/record`}>Choose another kind</BackLink>
        <span class="nhsuk-caption-l">{info.name}</span>
        <h1>{humanise(kind)}</h1>
        <p class="nhsuk-lede-text">{spec.description}</p>
        <ActivityForm
          key={kind}
          spec={spec}
          initial={emptyValues(kind)}
          serviceUsers={w?.serviceUsers ?? []}
          coWorkers={(w?.workers ?? []).filter((x) => x.id !== me.id)}
          submitLabel="Save"
          cancelHref={`#/ward/${wardId}`}
          busy={busy}
          serverErrors={refused.errors}
          serverAttempt={refused.count}
          onSubmit={async (values) => {
            // The form has already applied the server's declared rules.
            setBusy(true);
            setRefused((r) => ({ errors: {}, count: r.count }));
            // The record's id is chosen now, once, and kept on every retry.
            const body = newBody(values, spec, wardId, crypto.randomUUID());
            // Online, it goes straight to the server, and the worker sees
            // the answer here; only what could not be sent is queued.
            const sent = await sendNow(body, me.id);
            if (sent.outcome === "rejected") {
              setRefused((r) => ({ errors: serverErrors(sent.problem, spec), count: r.count + 1 }));
              setBusy(false);
              return;
            }
            if (sent.outcome === "stored") {
              flash.set({ success: true, heading: `${humanise(kind)} saved`, body: "It is on the ward's record." });
            } else {
              await enqueue(body, me.id);
              flash.set({
                success: true,
                heading: `${humanise(kind)} kept on this tablet`,
                body: "It could not be sent just now. It is kept on this tablet and will be sent when the connection returns.",
              });
            }
            // A contact with people: the ward offers them their say (optional).
            sayOffer.set(
              body.service_user_ids.length ? { userId: me.id, wardId, activityId: body.id, people: body.service_user_ids } : null,
            );
            go(`#/ward/${wardId}`);
          }}
        />
      </div>
    </div>
  );
}

/** A record saved on this tablet and not yet acknowledged: waiting, or
 * rejected by the server with what to fix. */
export function WaitingItemScreen({ id }: { id: string }) {
  const me = useStore(session).me;
  const items = useStore(outbox);
  const item = items.find((i) => i.id === id && i.userId === me?.id);
  const w = useWard(item?.wardId ?? "");
  const [confirmDiscard, setConfirmDiscard] = useState(false);
  useEffect(() => {
    document.title = "Not sent yet – Peer support log – NHS";
  }, []);
  if (!me) return null;
  if (!item) {
    return (
      <>
        <h1>This record is not waiting any more</h1>
        <p>It has been sent, or discarded.</p>
        <p>
          <a href={`#/activity/${id}`}>See the record</a> or <a href="#/">go to your ward</a>.
        </p>
      </>
    );
  }
  const spec = kindSpec(item.body.kind);
  const backHref = `#/ward/${item.wardId}`;
  if (item.state === "waiting" || !spec) {
    const asActivity = {
      ...item.body,
      ended_at: item.body.ended_at ?? new Date(Date.parse(item.body.started_at) + (item.body.duration_minutes ?? 0) * 60_000).toISOString(),
      duration_minutes:
        item.body.duration_minutes ??
        Math.round((Date.parse(item.body.ended_at ?? item.body.started_at) - Date.parse(item.body.started_at)) / 60000),
    } as unknown as Activity;
    return (
      <div class="nhsuk-grid-row">
        <div class="nhsuk-grid-column-two-thirds">
          <BackLink href={backHref}>Back to the ward</BackLink>
          <h1>
            {humanise(item.body.kind)} <Tag colour="blue">Waiting to send</Tag>
          </h1>
          <p>
            Saved on this tablet at {dayAndTime(item.savedAt)}. It will be sent when there is a connection
            {item.attempts > 0 && item.lastTriedAt ? ` (last tried at ${dayAndTime(item.lastTriedAt)})` : ""}.
          </p>
          <SummaryList
            rows={lines(asActivity, w?.serviceUsers ?? [], me, w?.workers ?? []).map((l) => ({ key: l.label, value: l.value }))}
          />
        </div>
      </div>
    );
  }
  const errs = serverErrors(item.problem ?? { type: "", title: "Rejected", status: 422, code: "rejected" }, spec);
  const conflict = item.problem?.status === 409 || item.problem?.code === "conflict";
  return (
    <div class="nhsuk-grid-row">
      <div class="nhsuk-grid-column-two-thirds">
        <BackLink href={backHref}>Back to the ward</BackLink>
        <span class="nhsuk-caption-l">Not sent: needs changes</span>
        <h1>{humanise(item.body.kind)}</h1>
        <NotificationBanner title="Important" heading="The system did not accept this record">
          <p class="nhsuk-body">
            {conflict
              ? "A different record with the same id is already stored. Discard this copy."
              : "Check the answers marked below, then send it again. It stays on this tablet until it is sent or you discard it."}
          </p>
        </NotificationBanner>
        {!conflict && (
          <ActivityForm
            spec={spec}
            initial={valuesFrom({ ...item.body, note: item.body.note ?? null } as unknown as Activity)}
            serviceUsers={w?.serviceUsers ?? []}
            coWorkers={(w?.workers ?? []).filter((x) => x.id !== me.id)}
            serverErrors={errs}
            submitLabel="Send again"
            cancelHref={backHref}
            onSubmit={async (values) => {
              await resubmit(item, newBody(values, spec, item.wardId, item.id));
              flash.set({ success: true, heading: `${humanise(item.body.kind)} saved`, body: "It is being sent again." });
              go(backHref);
            }}
          />
        )}
        <h2 class="nhsuk-heading-m">Discard this record</h2>
        {!confirmDiscard ? (
          <p>
            <Button type="button" variant="secondary" onClick={() => setConfirmDiscard(true)}>
              Discard this record
            </Button>
          </p>
        ) : (
          <WarningCallout heading="Are you sure?">
            <p>It will be removed from this tablet and never sent. This cannot be undone.</p>
            <div class="app-inline-buttons">
              <Button
                type="button"
                variant="warning"
                onClick={async () => {
                  await discard(item.id);
                  flash.set({ success: true, heading: "Record discarded" });
                  go(backHref);
                }}
              >
                Yes, discard it
              </Button>
              <Button type="button" variant="secondary" onClick={() => setConfirmDiscard(false)}>
                No, keep it
              </Button>
            </div>
          </WarningCallout>
        )}
      </div>
    </div>
  );
}
