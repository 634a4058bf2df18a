import { useEffect } from "preact/hooks";
import { Button, InsetText } from "../components/nhs";
import { time } from "../lib/labels";
import { flush, othersWaiting, outbox, sendStatus } from "../lib/outbox";
import { session } from "../lib/session";
import { useStore } from "../lib/store";
import { ward } from "../lib/ward";
import { online } from "../lib/connection";
import { QueueTable } from "./ward";

export function WaitingScreen() {
  const me = useStore(session).me;
  const items = useStore(outbox);
  const status = useStore(sendStatus);
  const w = useStore(ward);
  const isOnline = useStore(online);
  useEffect(() => {
    document.title = "Not sent yet – Peer support log – NHS";
  }, []);
  if (!me) return null;
  const mine = items.filter((i) => i.userId === me.id);
  const others = othersWaiting(items, me.id);
  const last = status.last;
  return (
    <>
      <h1>Records not sent yet</h1>
      {mine.length ? (
        <>
          <p>
            These are saved on this tablet. Waiting records are sent by themselves when there is a connection. Records that need changes
            stay here until you change and send them, or discard them.
          </p>
          <QueueTable items={mine} serviceUsers={w?.serviceUsers ?? []} />
          {mine.some((i) => i.state === "waiting") && (
            <Button type="button" disabled={status.sending || !isOnline} onClick={() => void flush()}>
              {status.sending ? "Sending…" : "Send now"}
            </Button>
          )}
        </>
      ) : (
        <p>All your records have been sent.</p>
      )}
      {last && (
        <p class="nhsuk-body-s app-muted" role="status">
          {"error" in last
            ? last.error === "offline"
              ? `Last tried at ${time(last.at)}: no connection.`
              : last.error === "signed-out"
                ? `Last tried at ${time(last.at)}: you need to sign in again.`
                : `Last tried at ${time(last.at)}: the system had a problem. It will try again.`
            : `Last sent at ${time(last.at)}: ${last.created} sent${last.alreadyThere ? `, ${last.alreadyThere} already there` : ""}${last.rejected ? `, ${last.rejected} need changes` : ""}.`}
        </p>
      )}
      {others > 0 && (
        <InsetText>
          <p>
            {others} record{others === 1 ? "" : "s"} saved on this tablet by someone else {others === 1 ? "is" : "are"} waiting for them to
            sign in.
          </p>
        </InsetText>
      )}
    </>
  );
}
