import { useEffect, useState } from "preact/hooks";
import { api, ApiProblem, asActivity, call, isOffline } from "../api/client";
import { BackLink, Button, ErrorSummary, SummaryList, Textarea, WarningCallout } from "../components/nhs";
import { useActivity } from "../lib/activity";
import { flash } from "../lib/flash";
import { dayAndTime, humanise } from "../lib/labels";
import { go } from "../lib/router";
import { session } from "../lib/session";
import { useStore } from "../lib/store";
import { remember } from "../lib/ward";
import { canAmend } from "./activity";

export function VoidScreen({ id }: { id: string }) {
  const me = useStore(session).me;
  const [loaded] = useActivity(id);
  const [reason, setReason] = useState("");
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const a = loaded.activity;
  useEffect(() => {
    document.title = "Mark as entered in error – Peer support log – NHS";
  }, []);
  if (!me) return null;
  if (loaded.state === "loading") return <p>Loading…</p>;
  if (!a || loaded.stale || !canAmend(me, a)) {
    return (
      <>
        <h1>You cannot change this record</h1>
        <p>
          {loaded.stale || loaded.state === "offline"
            ? "You need a connection to do this."
            : "It is not yours to change, or it is already marked as entered in error."}
        </p>
        <p>
          <a href={`#/activity/${id}`}>Back to the record</a>
        </p>
      </>
    );
  }

  async function submit(e: Event) {
    e.preventDefault();
    if (!reason.trim()) {
      setError("Enter why this record was entered in error");
      return;
    }
    setBusy(true);
    try {
      const { data } = await call(
        api.POST("/api/v1/activities/{id}/entered-in-error", { params: { path: { id } }, body: { reason: reason.trim() } }),
      );
      await remember(asActivity(data));
      flash.set({
        success: true,
        heading: `${humanise(data.kind)} marked as entered in error`,
        body: "It no longer shows in the ward's list. Its history is kept.",
      });
      go(`#/ward/${data.ward_id}`);
    } catch (err) {
      setBusy(false);
      if (isOffline(err)) setError("There is no connection. Try again when the connection returns.");
      else if (err instanceof ApiProblem && err.problem.errors?.length) setError(err.problem.errors[0].message);
      else setError("The record could not be marked as entered in error. Try again later.");
    }
  }

  return (
    <div class="nhsuk-grid-row">
      <div class="nhsuk-grid-column-two-thirds">
        <BackLink href={`#/activity/${id}`}>Back to the record</BackLink>
        <ErrorSummary errors={error ? [{ id: "void-reason", text: error }] : []} />
        <h1>Mark as entered in error</h1>
        <SummaryList
          rows={[
            { key: "Activity", value: humanise(a.kind) },
            { key: "Started", value: dayAndTime(a.started_at) },
          ]}
        />
        <WarningCallout heading="Records are never deleted">
          <p>The record will leave the ward's list and reports, but it stays readable with its history and your reason.</p>
        </WarningCallout>
        <form onSubmit={submit} noValidate>
          <Textarea
            id="void-reason"
            label="Why was this record entered in error?"
            size="m"
            hint="For example, recorded on the wrong ward or for the wrong person"
            maxLength={1000}
            rows={3}
            value={reason}
            onInput={setReason}
            error={error}
          />
          <div class="app-inline-buttons">
            <Button variant="warning" disabled={busy}>
              Mark as entered in error
            </Button>
            <a class="nhsuk-link app-touch" href={`#/activity/${id}`}>
              Cancel
            </a>
          </div>
        </form>
      </div>
    </div>
  );
}
