// Setting up a ward tablet as one the trust knows (issue 22, item 7): the
// digital team creates the tablet in the console and gets a one-time code;
// typed here, it makes this browser an enrolled tablet (the server keeps a
// secret in an HttpOnly cookie that scripts, this app included, cannot read).
// On an enrolled tablet each person's sign-ins are slowed only by their own
// wrong passwords on it, never by others guessing from the same network.
import { useEffect, useState } from "preact/hooks";
import { api, ApiProblem, call, isOffline, type Schemas } from "../api/client";
import { Button, ErrorSummary, Input } from "../components/nhs";
import { store, useStore } from "../lib/store";

export type ThisTablet = Schemas["ThisTablet"];

/** Whether this browser is an enrolled tablet (null until asked). */
export const thisTablet = store<ThisTablet | null>(null);

/** Asks the server once per page load; offline, the answer stays unknown. */
export function useThisTablet(): ThisTablet | null {
  const t = useStore(thisTablet);
  useEffect(() => {
    if (thisTablet.get()) return;
    call(api.GET("/api/v1/auth/tablet"))
      .then(({ data }) => thisTablet.set(data))
      .catch(() => undefined);
  }, []);
  return t;
}

function enrolMessage(e: unknown): string {
  if (isOffline(e)) return "There is no connection. You need one to set up the tablet.";
  if (e instanceof ApiProblem && e.status === 422)
    return "That code is not right, or it has been used or has expired. Check it, or ask for a new code.";
  return "Sorry, there is a problem with the service. Try again later.";
}

export function EnrolTablet({ onDone, onCancel }: { onDone: (t: ThisTablet) => void; onCancel: () => void }) {
  const [code, setCode] = useState("");
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    document.title = "Set up this tablet – Peer support log – NHS";
  }, []);

  async function submit(e: Event) {
    e.preventDefault();
    if (!code.trim()) {
      setError("Enter the code from your digital team");
      return;
    }
    setBusy(true);
    try {
      const { data } = await call(api.POST("/api/v1/auth/tablet", { body: { code: code.trim() } }));
      onDone(data);
    } catch (x) {
      setError(enrolMessage(x));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div class="nhsuk-grid-row">
      <div class="nhsuk-grid-column-two-thirds">
        <ErrorSummary errors={error ? [{ id: "enrolment-code", text: error }] : []} />
        <h1>Set up this tablet for the ward</h1>
        <p>
          Your digital team gives you a code when they add this tablet in the console. Once it is set up, staff signing in here are not held
          up by wrong passwords typed on other devices on the trust's network.
        </p>
        <form onSubmit={submit} noValidate>
          <Input
            id="enrolment-code"
            label="Code"
            hint="10 letters and numbers, for example K7QM4-XPDR9. It works once, for 15 minutes."
            value={code}
            onInput={setCode}
            autoComplete="off"
            spellcheck={false}
            width={10}
            error={error}
          />
          <div class="app-inline-buttons">
            <Button disabled={busy}>Set up tablet</Button>
            <button type="button" class="nhsuk-link app-touch app-link-button" onClick={onCancel}>
              Back to sign in
            </button>
          </div>
        </form>
      </div>
    </div>
  );
}
