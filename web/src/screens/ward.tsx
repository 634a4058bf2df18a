import { useEffect, useRef, useState } from "preact/hooks";
import type { Activity, ServiceUser } from "../api/client";
import { ButtonLink, NotificationBanner, Tag } from "../components/nhs";
import { people, workerName } from "../lib/describe";
import { flash } from "../lib/flash";
import { kindSpec } from "../lib/form";
import { dayAndTime, humanise, londonDate, minutesLabel, time } from "../lib/labels";
import { outbox, type OutboxItem } from "../lib/outbox";
import { session } from "../lib/session";
import { useStore } from "../lib/store";
import { loadOlder, openWard, RECENT_DAYS, ward as wardStore } from "../lib/ward";
import { MeasuresDue, YourSayOffer } from "./handover";
import { LeavePanel } from "./leave";
import { rememberWard } from "./wards";

/** The commonest kinds, offered as one-tap buttons. */
export const QUICK_KINDS = ["one_to_one", "group_session", "escorted_leave", "de_escalation"];

export const RECORDING_ROLES = ["peer_support_worker", "peer_team_leader"];

/** Rows the list shows at first, and how many more each "Show more" adds:
 * a busy ward's day can hold tens of thousands of records. */
export const LIST_PAGE = 25;

/** How many rows each ward's list showed, so coming back from an activity
 * finds the list as it was left (until the app is reloaded). */
const shownOn = new Map<string, number>();

export function WardScreen({ wardId }: { wardId: string }) {
  const me = useStore(session).me;
  const w = useStore(wardStore);
  const items = useStore(outbox);
  const message = useStore(flash);
  const info = me?.wards.find((x) => x.id === wardId);
  const [shown, setShownHere] = useState(() => shownOn.get(wardId) ?? LIST_PAGE);
  const setShown = (n: number) => {
    shownOn.set(wardId, n);
    setShownHere(n);
  };
  // After "Show more", focus moves to the first row it added.
  const focusRow = useRef<number | null>(null);

  useEffect(() => setShownHere(shownOn.get(wardId) ?? LIST_PAGE), [wardId]);

  useEffect(() => {
    if (!me || !info) return;
    rememberWard(wardId);
    void openWard(me.id, wardId);
  }, [me?.id, wardId]);

  useEffect(() => {
    document.title = `${info?.name ?? "Ward"} – Peer support log – NHS`;
    return () => flash.set(null);
  }, [info?.name]);

  if (!me) return null;
  if (!info) {
    return (
      <>
        <h1>Ward not found</h1>
        <p>This ward is not one of yours, or does not exist.</p>
        <p>
          <a href="#/wards">Choose one of your wards</a>
        </p>
      </>
    );
  }
  const data = w && w.wardId === wardId && w.userId === me.id ? w : null;
  const canRecord = RECORDING_ROLES.includes(me.role) && info.active;
  const mine = items.filter((i) => i.userId === me.id && i.wardId === wardId);
  const acts = Object.values(data?.activities ?? {})
    .filter((a) => a.status !== "entered_in_error")
    .filter((a) => !mine.some((i) => i.id === a.id))
    .sort((a, b) => b.started_at.localeCompare(a.started_at));
  const today = londonDate(new Date());
  const cutoff = Date.now() - RECENT_DAYS * 86_400_000;
  const recent = acts.filter((a) => Date.parse(a.started_at) >= cutoff);
  const visible = recent.slice(0, shown);
  const todays = visible.filter((a) => londonDate(a.started_at) === today);
  const earlier = visible.filter((a) => londonDate(a.started_at) !== today);
  // More to show: kept on the tablet already, or an older page to read.
  const moreKept = recent.length > shown;
  const moreToRead = !!data?.older;
  const allTodayShown = visible.length < recent.length ? earlier.length > 0 : !moreToRead || earlier.length > 0;

  useEffect(() => {
    // Shown more than is kept: read older pages until there is enough.
    if (data && recent.length < shown && data.older && !data.loadingOlder && !data.olderError) void loadOlder();
  });
  useEffect(() => {
    const index = focusRow.current;
    if (index === null) return;
    const link = document.querySelector<HTMLElement>(`[data-row="${index}"] a`);
    if (link) {
      focusRow.current = null;
      link.focus();
    }
  });
  const showMore = () => {
    focusRow.current = shown;
    setShown(shown + LIST_PAGE);
    // Also a retry after an older page could not be read.
    if (recent.length < shown + LIST_PAGE && data?.older) void loadOlder();
  };

  return (
    <>
      {message && (
        <NotificationBanner success={message.success} heading={message.heading} focus>
          {message.body && <p class="nhsuk-body">{message.body}</p>}
        </NotificationBanner>
      )}
      <span class="nhsuk-caption-l">{info.code}</span>
      <h1>{info.name}</h1>
      {canRecord && <YourSayOffer wardId={wardId} />}
      {me.wards.length > 1 && (
        <p>
          <a class="app-touch" href="#/wards">
            Change ward
          </a>
        </p>
      )}

      {/* A nurse's first task here is leave waiting for her; a worker's is
          recording, with leave just below it. */}
      {!canRecord && me.role === "ward_staff" && <LeavePanel wardId={wardId} me={me} canEscort={false} />}

      {canRecord && (
        <>
          <h2 class="nhsuk-heading-m">Record an activity</h2>
          <div class="app-quick-actions">
            {QUICK_KINDS.filter((k) => kindSpec(k)).map((k) => (
              <ButtonLink key={k} variant="secondary" href={`#/ward/${wardId}/record/${k}`}>
                {humanise(k)}
              </ButtonLink>
            ))}
          </div>
          <p>
            <a class="app-touch" href={`#/ward/${wardId}/record`}>
              Record another kind of activity
            </a>
          </p>
          <LeavePanel wardId={wardId} me={me} canEscort={canRecord} />
        </>
      )}

      {canRecord && <MeasuresDue wardId={wardId} />}

      {mine.length > 0 && (
        <>
          <h2 class="nhsuk-heading-m">Not sent yet</h2>
          <QueueTable items={mine} serviceUsers={data?.serviceUsers ?? []} />
        </>
      )}

      <h2 class="nhsuk-heading-m">Today</h2>
      <SyncLine />
      {todays.length ? (
        <ActivityTable caption="Today's activities on this ward, newest first" acts={todays} showDay={false} first={0} />
      ) : (
        <p>{data?.loaded ? "Nothing recorded on this ward today yet." : "Loading the ward's activities…"}</p>
      )}

      {allTodayShown && (
        <>
          <h2 class="nhsuk-heading-m">Last {RECENT_DAYS} days</h2>
          {earlier.length ? (
            <ActivityTable
              caption={`Activities on this ward in the last ${RECENT_DAYS} days, newest first`}
              acts={earlier}
              showDay
              first={todays.length}
            />
          ) : (
            <p>{data?.loaded ? `Nothing else recorded in the last ${RECENT_DAYS} days.` : ""}</p>
          )}
        </>
      )}

      {data?.loaded && (visible.length > 0 || moreToRead) && (
        <div>
          <p class="nhsuk-body-s app-muted" aria-live="polite">
            {moreKept || moreToRead
              ? `Showing the newest ${visible.length} activities.`
              : `Showing all ${visible.length} ${visible.length === 1 ? "activity" : "activities"} from the last ${RECENT_DAYS} days.`}
            {data.loadingOlder && " Loading older activities…"}
            {data.olderError === "offline" && " You're offline: older activities will show when you're back online."}
            {data.olderError === "server" && " Could not load older activities."}
          </p>
          {(moreKept || moreToRead) && (
            <button type="button" class="nhsuk-button nhsuk-button--secondary" onClick={showMore}>
              Show {LIST_PAGE} more activities
            </button>
          )}
        </div>
      )}
    </>
  );
}

function SyncLine() {
  const w = useStore(wardStore);
  if (!w) return null;
  let text = "";
  if (w.syncing) text = "Checking for new records…";
  else if (w.error === "offline") text = `You're offline. Showing what this tablet last saw${w.syncedAt ? ` at ${time(w.syncedAt)}` : ""}.`;
  else if (w.error) text = "Could not check for new records. Showing what this tablet last saw.";
  else if (w.syncedAt) text = `Up to date at ${time(w.syncedAt)}.`;
  return (
    <p class="nhsuk-body-s app-muted" aria-live="polite">
      {text}
    </p>
  );
}

/** A table of activities; `first` is the first row's place in the whole
 * list (rows are marked with it, for focus after "Show more"). */
function ActivityTable({ caption, acts, showDay, first }: { caption: string; acts: Activity[]; showDay: boolean; first: number }) {
  const me = useStore(session).me;
  const w = useStore(wardStore);
  const sus = w?.serviceUsers ?? [];
  const workers = w?.workers ?? [];
  return (
    <table class="nhsuk-table">
      <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">{caption}</caption>
      <thead class="nhsuk-table__head">
        <tr class="nhsuk-table__row">
          <th scope="col" class="nhsuk-table__header">
            {showDay ? "When" : "Time"}
          </th>
          <th scope="col" class="nhsuk-table__header">
            Activity
          </th>
          <th scope="col" class="nhsuk-table__header">
            People
          </th>
          <th scope="col" class="nhsuk-table__header">
            Length
          </th>
          <th scope="col" class="nhsuk-table__header">
            Recorded by
          </th>
        </tr>
      </thead>
      <tbody class="nhsuk-table__body">
        {acts.map((a, i) => (
          <tr class="nhsuk-table__row" key={a.id} data-row={first + i}>
            <td class="nhsuk-table__cell app-nowrap">{showDay ? dayAndTime(a.started_at) : time(a.started_at)}</td>
            <td class="nhsuk-table__cell">
              <a class="app-row-link" href={`#/activity/${a.id}`}>
                {humanise(a.kind)}
              </a>{" "}
              {a.status === "amended" && <Tag colour="grey">Amended</Tag>}
            </td>
            <td class="nhsuk-table__cell">{people(a.service_user_ids, sus)}</td>
            <td class="nhsuk-table__cell app-nowrap">{minutesLabel(a.duration_minutes)}</td>
            <td class="nhsuk-table__cell">{workerName(a.recorded_by, me, workers)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function QueueTable({ items, serviceUsers }: { items: OutboxItem[]; serviceUsers: ServiceUser[] }) {
  return (
    <table class="nhsuk-table">
      <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">Records saved on this tablet and not sent yet</caption>
      <thead class="nhsuk-table__head">
        <tr class="nhsuk-table__row">
          <th scope="col" class="nhsuk-table__header">
            When
          </th>
          <th scope="col" class="nhsuk-table__header">
            Activity
          </th>
          <th scope="col" class="nhsuk-table__header">
            People
          </th>
          <th scope="col" class="nhsuk-table__header">
            Status
          </th>
        </tr>
      </thead>
      <tbody class="nhsuk-table__body">
        {items.map((i) => (
          <tr class="nhsuk-table__row" key={i.id}>
            <td class="nhsuk-table__cell app-nowrap">{dayAndTime(i.body.started_at)}</td>
            <td class="nhsuk-table__cell">
              <a class="app-row-link" href={`#/waiting/${i.id}`}>
                {humanise(i.body.kind)}
              </a>
            </td>
            <td class="nhsuk-table__cell">{people(i.body.service_user_ids, serviceUsers)}</td>
            <td class="nhsuk-table__cell">
              {i.state === "waiting" ? <Tag colour="blue">Waiting to send</Tag> : <Tag colour="red">Not sent: needs changes</Tag>}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
