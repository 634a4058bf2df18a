import { useEffect, useState } from "preact/hooks";
import { api, asActivity, call, isOffline, type ActivityVersion } from "../api/client";
import { BackLink, Button, ButtonLink, ErrorSummary, NotificationBanner, SummaryList, Tag } from "../components/nhs";
import { changedLines, lines, workerName } from "../lib/describe";
import { flash } from "../lib/flash";
import { dayAndTime, humanise } from "../lib/labels";
import { outbox } from "../lib/outbox";
import { go } from "../lib/router";
import { session } from "../lib/session";
import { useStore } from "../lib/store";
import { openWard, remember, ward as wardStore } from "../lib/ward";
import { useActivity } from "../lib/activity";
import type { Activity, Me } from "../api/client";

export function canAmend(me: Me, a: Activity): boolean {
  if (a.status === "entered_in_error") return false;
  if (me.role === "peer_team_leader") return true;
  return me.role === "peer_support_worker" && a.recorded_by === me.id;
}

export function canConfirmLeave(me: Me, a: Activity): boolean {
  return me.role === "ward_staff" && a.kind === "escorted_leave" && !a.leave_confirmation && a.status !== "entered_in_error";
}

/** Whether the leave was authorised in peerlog before it started (planned,
 * authorised by a nurse, then recorded on return), rather than confirmed
 * by ward staff after the record was made. */
export function authorisedBeforehand(a: Activity): boolean {
  return !!a.leave_confirmation && Date.parse(a.leave_confirmation.confirmed_at) <= Date.parse(a.created_at);
}

/** The nurse who authorised or confirmed a leave, by name where the tablet knows it. */
function confirmerName(a: Activity, me: Me, workers: Parameters<typeof workerName>[2]): string {
  const c = a.leave_confirmation;
  if (!c) return "";
  if (c.confirmed_by === me.id || workers.some((w) => w.id === c.confirmed_by)) return workerName(c.confirmed_by, me, workers);
  if (authorisedBeforehand(a) && typeof a.details.authorised_by === "string") return a.details.authorised_by;
  return "a nurse on the ward";
}

/** How the history names a version: a leave's confirmation by ward staff
 * is not an amendment of what the worker recorded. */
function versionLabel(v: ActivityVersion, prev: ActivityVersion | undefined): string {
  if (v.change === "created") return "Recorded";
  if (v.change === "voided") return "Marked as entered in error";
  if (prev && !prev.snapshot.leave_confirmation && v.snapshot.leave_confirmation) return "Leave authorisation confirmed";
  return "Amended";
}

export function ActivityScreen({ id }: { id: string }) {
  const me = useStore(session).me;
  const items = useStore(outbox);
  const [loaded, reload] = useActivity(id);
  const w = useStore(wardStore);
  const message = useStore(flash);
  const [history, setHistory] = useState<ActivityVersion[] | null>(null);
  const [confirmError, setConfirmError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const a = loaded.activity;

  const queued = items.find((i) => i.id === id && i.userId === me?.id);
  useEffect(() => {
    if (queued) go(`#/waiting/${id}`, true);
  }, [queued?.id]);

  useEffect(() => {
    if (me && a && (!w || w.wardId !== a.ward_id)) void openWard(me.id, a.ward_id);
  }, [a?.ward_id]);

  useEffect(() => {
    document.title = `${a ? humanise(a.kind) : "Activity"} – Peer support log – NHS`;
    if (!a || loaded.stale) return;
    call(api.GET("/api/v1/activities/{id}/history", { params: { path: { id } } }))
      .then(({ data }) => setHistory(data.items))
      .catch(() => setHistory(null));
  }, [a?.version, loaded.stale]);

  useEffect(() => () => flash.set(null), []);

  if (!me) return null;
  if (loaded.state === "loading") return <p>Loading…</p>;
  if (!a) {
    return (
      <>
        <h1>
          {loaded.state === "offline" ? "You're offline" : loaded.state === "not-found" ? "Record not found" : "Sorry, there is a problem"}
        </h1>
        <p>
          {loaded.state === "offline"
            ? "This record is not on this tablet. Try again when there is a connection."
            : loaded.state === "not-found"
              ? "There is no such record on your wards."
              : "The record could not be read. Try again later."}
        </p>
        <p>
          <a href="#/">Go to your ward</a>
        </p>
      </>
    );
  }
  const sus = w?.wardId === a.ward_id ? w.serviceUsers : [];
  const workers = w?.wardId === a.ward_id ? w.workers : [];
  const wardInfo = me.wards.find((x) => x.id === a.ward_id);

  async function confirmLeave() {
    if (!a) return;
    setBusy(true);
    setConfirmError(undefined);
    try {
      const { data, response } = await call(
        api.POST("/api/v1/activities/{id}/leave-confirmation", {
          params: { path: { id: a.id }, header: { "If-Match": loaded.etag ?? `"v${a.version}"` } },
        }),
      );
      const updated = asActivity(data);
      void remember(updated);
      reload({ activity: updated, etag: response.headers.get("ETag") ?? `"v${data.version}"` });
      flash.set({ success: true, heading: "Leave authorisation confirmed" });
    } catch (e) {
      setConfirmError(
        isOffline(e)
          ? "There is no connection. Confirm the leave when the connection returns."
          : "The record changed since you opened it, or could not be confirmed. Check it and try again.",
      );
      reload();
    } finally {
      setBusy(false);
    }
  }

  return (
    <div class="nhsuk-grid-row">
      <div class="nhsuk-grid-column-two-thirds">
        <BackLink href={`#/ward/${a.ward_id}`}>Back to {wardInfo?.name ?? "the ward"}</BackLink>
        {message && (
          <NotificationBanner success={message.success} heading={message.heading} focus>
            {message.body && <p class="nhsuk-body">{message.body}</p>}
          </NotificationBanner>
        )}
        <ErrorSummary errors={confirmError ? [{ id: "confirm-leave", text: confirmError }] : []} />
        <span class="nhsuk-caption-l">{wardInfo?.name}</span>
        <h1>{humanise(a.kind)}</h1>
        <p>
          {a.status === "entered_in_error" && <Tag colour="red">Entered in error</Tag>}
          {a.status === "amended" && <Tag colour="grey">Amended</Tag>}
          {a.status === "recorded" && <Tag colour="green">Recorded</Tag>} Recorded by {workerName(a.recorded_by, me, workers)} at{" "}
          {dayAndTime(a.created_at)}.
        </p>
        {loaded.stale && <p class="app-muted">You're offline: this is the copy on this tablet.</p>}
        {a.status === "entered_in_error" && (
          <NotificationBanner title="Important" heading="This record was marked as entered in error">
            <p class="nhsuk-body">Reason: {a.void_reason ?? "not given"}</p>
          </NotificationBanner>
        )}
        <SummaryList rows={lines(a, sus, me, workers).map((l) => ({ key: l.label, value: l.value }))} />

        {a.kind === "escorted_leave" && (
          <>
            <h2 class="nhsuk-heading-m">Leave authorisation</h2>
            {a.leave_confirmation ? (
              <p>
                {authorisedBeforehand(a) ? "Authorised before the leave by" : "Confirmed by"} {confirmerName(a, me, workers)} at{" "}
                {dayAndTime(a.leave_confirmation.confirmed_at)}.
              </p>
            ) : (
              <p>Not yet confirmed by ward staff.</p>
            )}
            {canConfirmLeave(me, a) && !loaded.stale && (
              <Button type="button" id="confirm-leave" disabled={busy} onClick={() => void confirmLeave()}>
                Confirm the leave was authorised
              </Button>
            )}
          </>
        )}

        {canAmend(me, a) && !loaded.stale && (
          <div class="app-inline-buttons nhsuk-u-margin-bottom-5">
            <ButtonLink href={`#/activity/${a.id}/amend`} variant="secondary">
              Amend this record
            </ButtonLink>
            <a class="nhsuk-link app-touch" href={`#/activity/${a.id}/entered-in-error`}>
              Mark as entered in error
            </a>
          </div>
        )}

        <h2 class="nhsuk-heading-m">History</h2>
        {history ? (
          <ol class="nhsuk-list nhsuk-list--number">
            {history.map((v, i) => {
              const prev = history[i - 1];
              const changes = prev ? changedLines(asActivity(prev.snapshot), asActivity(v.snapshot), sus, me, workers) : [];
              return (
                <li key={v.version}>
                  <strong>{versionLabel(v, prev)}</strong> by{" "}
                  {versionLabel(v, prev) === "Leave authorisation confirmed"
                    ? confirmerName(asActivity(v.snapshot), me, workers)
                    : workerName(v.changed_by, me, workers)}
                  , {dayAndTime(v.changed_at)}.
                  {versionLabel(v, prev) !== "Leave authorisation confirmed" && v.reason && <> Reason: {v.reason}.</>}
                  {v.change === "created" && authorisedBeforehand(asActivity(v.snapshot)) && (
                    <>
                      {" "}
                      Leave authorised by {confirmerName(asActivity(v.snapshot), me, workers)},{" "}
                      {dayAndTime(asActivity(v.snapshot).leave_confirmation?.confirmed_at ?? "")}.
                    </>
                  )}
                  {changes.length > 0 && (
                    <ul class="nhsuk-list nhsuk-list--bullet nhsuk-body-s">
                      {changes.map((c) => (
                        <li key={c.key}>
                          {c.label}: {c.before} → {c.after}
                        </li>
                      ))}
                    </ul>
                  )}
                </li>
              );
            })}
          </ol>
        ) : (
          <p class="app-muted">{loaded.stale ? "The history is shown when there is a connection." : "Loading the history…"}</p>
        )}
      </div>
    </div>
  );
}
