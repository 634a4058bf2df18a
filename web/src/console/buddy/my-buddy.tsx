// A student's or buddy's own pairings, meetings and calendar.
import { useState } from "preact/hooks";
import { api, call } from "../../api/client";
import { Button } from "../../components/nhs";
import { humanise } from "../../lib/labels";
import { Loading, Problem, problemText, useLoad, useTitle } from "../common";
import { loadPairings } from "./shared";

/** A student's or buddy's own pairing(s), and their calendar subscription. */
export function MyBuddyScreen() {
  useTitle("My Buddy Scheme pairing");
  const pairings = useLoad(loadPairings, []);
  const [sub, setSub] = useState<string | null>(null);
  const [error, setError] = useState<string>();
  return (
    <>
      <h1>My Buddy Scheme pairing</h1>
      {pairings.error && <Problem text={pairings.error} />}
      {!pairings.data ? (
        <Loading />
      ) : pairings.data.length === 0 ? (
        <p>You have not been paired yet. The Buddy Scheme coordinator will be in touch.</p>
      ) : (
        <ul class="nhsuk-list">
          {pairings.data.map((p) => (
            <li key={p.id}>
              <a href={`#/console/buddy/pairing/${p.id}`}>
                Your pairing: {humanise(p.status).toLowerCase()}, a series of {p.planned_meetings} meetings
              </a>
            </li>
          ))}
        </ul>
      )}
      <h2>Your calendar</h2>
      <p>Subscribe to your meetings in your own calendar app. Anyone with the address can read your meetings: keep it private.</p>
      {error && <Problem text={error} />}
      {sub && (
        <div class="nhsuk-inset-text">
          <span class="nhsuk-u-visually-hidden">Information: </span>
          <p>
            Your subscription address: <code>{location.origin + sub}</code>
          </p>
        </div>
      )}
      <Button
        type="button"
        variant="secondary"
        onClick={async () => {
          setError(undefined);
          try {
            setSub((await call(api.PUT("/api/v1/buddy/calendar-subscription"))).data.path);
          } catch (x) {
            setError(problemText(x));
          }
        }}
      >
        {sub ? "Get a new address" : "Get my calendar address"}
      </Button>{" "}
      <Button
        type="button"
        variant="secondary"
        onClick={async () => {
          setError(undefined);
          try {
            await call(api.DELETE("/api/v1/buddy/calendar-subscription"));
            setSub(null);
          } catch (x) {
            setError(problemText(x));
          }
        }}
      >
        Stop sharing my calendar
      </Button>
    </>
  );
}
