import { useEffect, useState } from "preact/hooks";
import { api, ApiProblem, asActivity, call, isOffline, type Activity, type ActivityAmendment } from "../api/client";
import { ActivityForm } from "../components/activity-form";
import { BackLink, Button, NotificationBanner } from "../components/nhs";
import { etagOf, useActivity } from "../lib/activity";
import { lines } from "../lib/describe";
import { flash } from "../lib/flash";
import { amendmentOf, kindSpec, serverErrors, valuesFrom, type Errors } from "../lib/form";
import { dayAndTime, humanise } from "../lib/labels";
import { go } from "../lib/router";
import { session } from "../lib/session";
import { useStore } from "../lib/store";
import { openWard, remember, ward as wardStore } from "../lib/ward";
import { canAmend } from "./activity";

type Change = Omit<ActivityAmendment, "reason">;

/** The record as it would read with the amendment applied (for showing). */
function applied(base: Activity, change: Change): Activity {
  const out = { ...base } as Activity & Record<string, unknown>;
  const started = change.started_at ?? base.started_at;
  out.started_at = started;
  if (change.ended_at) {
    out.ended_at = change.ended_at;
    out.duration_minutes = Math.round((Date.parse(change.ended_at) - Date.parse(started)) / 60000);
  } else if (change.duration_minutes) {
    out.duration_minutes = change.duration_minutes;
    out.ended_at = new Date(Date.parse(started) + change.duration_minutes * 60000).toISOString();
  }
  if (change.service_user_ids) out.service_user_ids = change.service_user_ids;
  if (change.co_worker_ids) out.co_worker_ids = change.co_worker_ids;
  if (change.note !== undefined && change.note !== null) out.note = change.note || null;
  if (change.details) (out as Record<string, unknown>).details = change.details;
  return out as Activity;
}

interface Conflict {
  base: Activity;
  current: Activity;
  change: Change;
  reason: string;
}

export function AmendScreen({ id }: { id: string }) {
  const me = useStore(session).me;
  const [loaded] = useActivity(id);
  const w = useStore(wardStore);
  const [errors, setErrors] = useState<Errors>({});
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const [busy, setBusy] = useState(false);
  const a = loaded.activity;
  useEffect(() => {
    document.title = "Amend a record – Peer support log – NHS";
  }, []);
  useEffect(() => {
    if (me && a && (!w || w.wardId !== a.ward_id)) void openWard(me.id, a.ward_id);
  }, [a?.ward_id]);

  if (!me) return null;
  if (loaded.state === "loading") return <p>Loading…</p>;
  const spec = a ? kindSpec(a.kind) : undefined;
  if (!a || !spec || loaded.stale || !canAmend(me, a)) {
    return (
      <>
        <h1>You cannot amend this record</h1>
        <p>
          {loaded.stale || loaded.state === "offline"
            ? "You need a connection to amend a record."
            : "It is not yours to amend, or it was marked as entered in error."}
        </p>
        <p>
          <a href={`#/activity/${id}`}>Back to the record</a>
        </p>
      </>
    );
  }
  const sus = w?.wardId === a.ward_id ? w.serviceUsers : [];
  const workers = w?.wardId === a.ward_id ? w.workers : [];

  async function send(change: Change, reason: string, etag: string, base: Activity) {
    setBusy(true);
    try {
      const { data } = await call(
        api.PATCH("/api/v1/activities/{id}", {
          params: { path: { id }, header: { "If-Match": etag } },
          body: { ...change, reason },
        }),
      );
      await remember(asActivity(data));
      flash.set({ success: true, heading: "Changes saved", body: `This is now version ${data.version} of the record.` });
      go(`#/activity/${id}`);
    } catch (e) {
      setBusy(false);
      if (e instanceof ApiProblem && e.status === 412 && e.problem.current) {
        // The problem's `current` is the record as the server holds it now.
        const current = e.problem.current as unknown as Activity;
        void remember(current);
        setConflict({ base, current, change, reason });
      } else if (e instanceof ApiProblem && e.status === 422) {
        setConflict(null);
        setErrors(serverErrors(e.problem, spec));
      } else {
        setErrors({
          _form: isOffline(e)
            ? "There is no connection. Your changes are not saved: try again when the connection returns."
            : "Your changes could not be saved. Try again later.",
        });
      }
    }
  }

  if (conflict) {
    const { base, current, change, reason } = conflict;
    const mine = applied(base, change);
    const lb = lines(base, sus, me, workers);
    const lc = lines(current, sus, me, workers);
    const lm = lines(mine, sus, me, workers);
    const rows = lb
      .map((l, i) => ({ label: l.label, before: l.value, theirs: lc[i]?.value ?? "—", mine: lm[i]?.value ?? "—" }))
      .filter((r) => r.before !== r.theirs || r.before !== r.mine);
    return (
      <div class="nhsuk-grid-row">
        <div class="nhsuk-grid-column-full">
          <NotificationBanner title="Important" heading="Someone else changed this record while you were amending it" focus>
            <p class="nhsuk-body">
              It was changed at {dayAndTime(current.updated_at)} and is now version {current.version}. Your changes are not saved yet.
            </p>
          </NotificationBanner>
          <h1>Check what changed</h1>
          <table class="nhsuk-table app-diff">
            <caption class="nhsuk-table__caption">Changes to {humanise(a.kind).toLowerCase()}</caption>
            <thead class="nhsuk-table__head">
              <tr class="nhsuk-table__row">
                <th scope="col" class="nhsuk-table__header">
                  Question
                </th>
                <th scope="col" class="nhsuk-table__header">
                  When you opened it
                </th>
                <th scope="col" class="nhsuk-table__header">
                  Now saved (changed by someone else)
                </th>
                <th scope="col" class="nhsuk-table__header">
                  Your change
                </th>
              </tr>
            </thead>
            <tbody class="nhsuk-table__body">
              {rows.map((r) => (
                <tr class="nhsuk-table__row" key={r.label}>
                  <th scope="row" class="nhsuk-table__header">
                    {r.label}
                  </th>
                  <td class="nhsuk-table__cell">{r.before}</td>
                  <td class="nhsuk-table__cell">
                    {r.theirs !== r.before ? <ins>{r.theirs}</ins> : <span class="app-muted">Not changed</span>}
                  </td>
                  <td class="nhsuk-table__cell">
                    {r.mine !== r.before ? <ins>{r.mine}</ins> : <span class="app-muted">Not changed</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <p>
            If you apply your changes, the answers you changed replace what is saved now. Everything else stays as the other person left it.
          </p>
          <div class="app-inline-buttons">
            <Button type="button" disabled={busy} onClick={() => void send(change, reason, etagOf(current), current)}>
              Apply my changes to the latest version
            </Button>
            <Button
              type="button"
              variant="secondary"
              onClick={() => {
                flash.set({ success: true, heading: "Your changes were discarded", body: "The record is as the other person saved it." });
                go(`#/activity/${id}`);
              }}
            >
              Discard my changes
            </Button>
          </div>
        </div>
      </div>
    );
  }

  const base = a;
  const etag = loaded.etag ?? etagOf(a);
  return (
    <div class="nhsuk-grid-row">
      <div class="nhsuk-grid-column-two-thirds">
        <BackLink href={`#/activity/${id}`}>Back to the record</BackLink>
        <span class="nhsuk-caption-l">Amend a record</span>
        <h1>{humanise(a.kind)}</h1>
        <p>The earlier version is kept in the record's history, with your reason.</p>
        <ActivityForm
          spec={spec}
          initial={valuesFrom(a)}
          serviceUsers={sus}
          coWorkers={workers.filter((x) => x.id !== a.recorded_by)}
          submitLabel="Save changes"
          askReason
          serverErrors={errors}
          busy={busy}
          cancelHref={`#/activity/${id}`}
          onSubmit={(values, reason) => {
            const change = amendmentOf(base, values, spec);
            if (!change) {
              setErrors({ _form: "You have not changed anything. Change an answer, or cancel." });
              return;
            }
            setErrors({});
            return send(change, reason, etag, base);
          }}
        />
      </div>
    </div>
  );
}
