// One pairing: its status, its meeting series (planned, held, cancelled),
// reflections and feedback, and its calendar.
import { useState } from "preact/hooks";
import { api, call } from "../../api/client";
import {
  Button,
  DateInput,
  ErrorSummary,
  Input,
  NotificationBanner,
  Radios,
  SummaryList,
  Textarea,
  Select,
  Table,
} from "../../components/nhs";
import { datePartsOf, hoursMinutes, parseDateTime, type DateTimeParts } from "../../lib/dates";
import { dayAndTime, fullDateTime, humanise } from "../../lib/labels";
import { session } from "../../lib/session";
import { useStore } from "../../lib/store";
import { DownloadLink, Loading, Problem, useFormErrors, useLoad, useTitle, actions } from "../common";
import { meetingLinkMessage, type FieldWords } from "../form-errors";
import {
  type Buddy,
  type Meeting,
  type Student,
  type MeetingMode,
  type MeetingTopic,
  MODES,
  TOPICS,
  loadMeetings,
  statusTag,
} from "./shared";
import { FeedbackForm, MeetingWhere, Outcome, ReflectionCell } from "./meeting";
import { LENGTHS, lengthName, readLength } from "./length";
import { MoveMeeting } from "./move";

/** The meeting form's fields as the API names them, in the form's order. */
const MEETING_FIELDS: Record<string, FieldWords> = {
  planned_at: { id: "planned_at-day", label: "The date and time" },
  mode: { id: "mode", label: "How the meeting happens" },
  link: { id: "link", label: "The join link", say: meetingLinkMessage },
  place: { id: "place", label: "The place" },
  length_minutes: { id: "length_minutes", label: "The length of the meeting" },
  topic: { id: "topic", label: "The topic" },
  sequence: { id: "planned_at-day", label: "The meeting's number in the series" },
};

export function PairingScreen({ id }: { id: string }) {
  const me = useStore(session).me;
  const coordinator = me?.role === "buddy_coordinator";
  const pairing = useLoad(async () => (await call(api.GET("/api/v1/buddy/pairings/{id}", { params: { path: { id } } }))).data, [id]);
  const meetings = useLoad(() => loadMeetings(id), [id]);
  const feedback = useLoad(
    async () => (await call(api.GET("/api/v1/buddy/pairings/{id}/feedback", { params: { path: { id } } }))).data.items,
    [id],
  );
  const people = useLoad(async () => {
    if (!pairing.data) return null;
    const [s, b] = await Promise.all([
      call(api.GET("/api/v1/buddy/students/{id}", { params: { path: { id: pairing.data.student_id } } })).then(
        (r) => r.data,
        () => null,
      ),
      call(api.GET("/api/v1/buddy/buddies/{id}", { params: { path: { id: pairing.data.buddy_id } } })).then(
        (r) => r.data,
        () => null,
      ),
    ]);
    return { student: s as Student | null, buddy: b as Buddy | null };
  }, [pairing.data?.id]);
  const [error, setError] = useState<string>();
  const [done, setDone] = useState<string>();
  const planErrors = useFormErrors();
  const [plan, setPlan] = useState({
    // A week from today; the time is the coordinator's to choose.
    planned_at: { ...datePartsOf(new Date(Date.now() + 7 * 86400_000)), time: "" } as DateTimeParts,
    mode: "online_video" as MeetingMode,
    topic: "introductions" as MeetingTopic,
    link: "",
    place: "",
    length: "60",
    lengthOther: "",
  });
  const [reason, setReason] = useState("");
  // The planned meeting being moved or changed, if any.
  const [moving, setMoving] = useState<string>();
  useTitle("Pairing");
  if (pairing.error) return <Problem text={pairing.error} />;
  if (!pairing.data) return <Loading what="the pairing" />;
  const p = pairing.data;
  const held = (meetings.data ?? []).filter((m) => m.status === "held").length;
  const act = actions(setError, setDone, () => {
    pairing.reload();
    meetings.reload();
  });
  // A student or buddy may not read the other's record (the API answers
  // 403), so their own view is titled without names.
  const names =
    people.data?.student && people.data?.buddy
      ? `${people.data.student.full_name} with ${people.data.buddy.full_name}`
      : coordinator
        ? "Pairing"
        : "Your Buddy Scheme pairing";
  return (
    <>
      {coordinator && (
        <a class="nhsuk-back-link" href="#/console/buddy">
          Pairings
        </a>
      )}
      {done && (
        <NotificationBanner success title="Success">
          <p class="nhsuk-notification-banner__heading">{done}</p>
        </NotificationBanner>
      )}
      {error && <Problem text={error} />}
      <h1>{names}</h1>
      <SummaryList
        rows={[
          { key: "Status", value: statusTag(p.status) },
          { key: "Meetings held", value: `${held} of ${p.planned_meetings}` },
          ...(p.activated_at ? [{ key: "Active since", value: fullDateTime(p.activated_at) }] : []),
          ...(p.ended_at ? [{ key: "Ended", value: fullDateTime(p.ended_at) }] : []),
          ...(p.withdrawn_reason ? [{ key: "Why it was withdrawn", value: p.withdrawn_reason }] : []),
        ]}
      />
      {coordinator && p.status === "proposed" && (
        <Button
          type="button"
          onClick={() =>
            void act("Pairing activated", () =>
              call(api.POST("/api/v1/buddy/pairings/{id}/status", { params: { path: { id } }, body: { status: "active" } })),
            )
          }
        >
          Activate pairing
        </Button>
      )}

      <h2>Meetings</h2>
      <DownloadLink path={`/api/v1/buddy/pairings/${id}/meetings.ics`} query={{}} filename="buddy-meetings.ics">
        Download calendar (.ics)
      </DownloadLink>
      {meetings.error && <Problem text={meetings.error} />}
      {meetings.data && (
        <Table
          caption="The meeting series"
          head={["Meeting", "When", "How", "Topic", "Status", "Reflection", ...(coordinator && p.status === "active" ? ["Outcome"] : [])]}
          rows={meetings.data.map((m) => [
            `Meeting ${m.sequence}`,
            <MeetingWhen m={m} key="t" />,
            <MeetingWhere m={m} key="w" />,
            humanise(m.topic),
            `${humanise(m.status)}${m.duration_minutes ? ` (${hoursMinutes(m.duration_minutes)})` : ""}`,
            m.status === "held" ? <ReflectionCell m={m} canWrite={me?.role === "buddy_student" || coordinator} key="r" /> : "",
            ...(coordinator && p.status === "active"
              ? [
                  m.status === "planned" ? (
                    <>
                      <Outcome m={m} key="o" onDone={(what, fn) => void act(what, fn)} />
                      <Button small variant="secondary" type="button" key="c" onClick={() => setMoving(m.id)}>
                        Change<span class="nhsuk-u-visually-hidden"> the time or length of meeting {m.sequence}</span>
                      </Button>
                    </>
                  ) : (
                    ""
                  ),
                ]
              : []),
          ])}
        />
      )}

      {coordinator &&
        p.status === "active" &&
        (() => {
          const m = meetings.data?.find((x) => x.id === moving && x.status === "planned");
          return (
            m && (
              <MoveMeeting
                key={m.id}
                m={m}
                onClose={() => setMoving(undefined)}
                onDone={(what) => {
                  setMoving(undefined);
                  setError(undefined);
                  setDone(what);
                  meetings.reload();
                  window.scrollTo(0, 0);
                }}
              />
            )
          );
        })()}
      {coordinator && p.status === "active" && (
        <>
          <h2>Plan a meeting</h2>
          <form
            noValidate
            onSubmit={async (e) => {
              e.preventDefault();
              // Checked here first: the date and time, and a link's form.
              const when = parseDateTime(plan.planned_at, "The date of the meeting", "The time of the meeting");
              const mine: { id: string; text: string }[] = [];
              if (!when.ok)
                mine.push({ id: `planned_at-${when.part}`, text: when.empty ? "Enter the date and time of the meeting" : when.error });
              const link = plan.link.trim();
              if (plan.mode === "online_video" && link && !/^https:\/\//i.test(link))
                mine.push({ id: "link", text: "Enter a join link that starts with https://" });
              const length = readLength(plan.length, plan.lengthOther);
              if ("error" in length) mine.push({ id: plan.length === "other" ? "length-other" : "length_minutes", text: length.error });
              if (planErrors.fail(mine) || !when.ok || "error" in length) return;
              setError(undefined);
              setDone(undefined);
              try {
                await call(
                  api.POST("/api/v1/buddy/pairings/{id}/meetings", {
                    params: { path: { id } },
                    body: {
                      planned_at: when.at.toISOString(),
                      mode: plan.mode,
                      topic: plan.topic,
                      link: plan.mode === "online_video" && link ? link : undefined,
                      place: plan.mode === "in_person" && plan.place.trim() ? plan.place.trim() : undefined,
                      length_minutes: length.minutes,
                    },
                  }),
                );
                setDone("Meeting planned");
                setPlan({ ...plan, link: "", place: "" });
                pairing.reload();
                meetings.reload();
              } catch (x) {
                planErrors.fromError(x, MEETING_FIELDS, "planned_at-day");
              }
            }}
          >
            <ErrorSummary errors={planErrors.items} attempt={planErrors.attempt} />
            <DateInput
              id="planned_at"
              label="When"
              hint="For example, 27 3 2026 and 14:30 (24-hour clock)"
              value={plan.planned_at}
              onChange={(d) => setPlan({ ...plan, planned_at: { ...plan.planned_at, ...d } })}
              time={plan.planned_at.time}
              onTime={(t) => setPlan({ ...plan, planned_at: { ...plan.planned_at, time: t } })}
              error={planErrors.error("planned_at")}
              errorPart={planErrors.items.find((i) => i.id.startsWith("planned_at-"))?.id.slice("planned_at-".length)}
            />
            <Radios
              id="mode"
              label="How"
              error={planErrors.error("mode")}
              value={plan.mode}
              onChange={(v) => setPlan({ ...plan, mode: v as MeetingMode })}
              choices={MODES.map((m) => ({
                value: m,
                label: humanise(m),
                conditional:
                  m === "online_video" ? (
                    <Input
                      id="link"
                      label="Join link"
                      hint="The meeting's full web address, starting with https://, on a host the trust allows (such as Microsoft Teams)"
                      value={plan.link}
                      onInput={(v) => setPlan({ ...plan, link: v })}
                      error={planErrors.error("link")}
                      spellcheck={false}
                      optional
                    />
                  ) : m === "in_person" ? (
                    <Input
                      id="place"
                      label="Place"
                      hint="For example Recovery College, room 2"
                      value={plan.place}
                      onInput={(v) => setPlan({ ...plan, place: v })}
                      error={planErrors.error("place")}
                      optional
                    />
                  ) : undefined,
              }))}
            />
            <Radios
              id="length_minutes"
              label="How long"
              hint="From 15 minutes to 4 hours. Calendars show the meeting ending this long after it starts."
              error={planErrors.error("length_minutes")}
              value={plan.length}
              onChange={(v) => setPlan({ ...plan, length: v })}
              choices={[
                ...LENGTHS,
                {
                  value: "other",
                  label: "Another length",
                  conditional: (
                    <Input
                      id="length-other"
                      label="Length in minutes"
                      hint="From 15 to 240"
                      value={plan.lengthOther}
                      onInput={(v) => setPlan({ ...plan, lengthOther: v })}
                      error={planErrors.error("length-other")}
                      width={3}
                      inputMode="numeric"
                    />
                  ),
                },
              ]}
            />
            <Select
              id="topic"
              label="Topic"
              value={plan.topic}
              error={planErrors.error("topic")}
              onChange={(v) => setPlan({ ...plan, topic: v as MeetingTopic })}
              options={TOPICS.map((t) => ({ value: t, text: humanise(t) }))}
            />
            <Button variant="secondary">Plan meeting</Button>
          </form>
          <h2>Withdraw the pairing</h2>
          <form
            onSubmit={(e) => {
              e.preventDefault();
              void act("Pairing withdrawn", () =>
                call(api.POST("/api/v1/buddy/pairings/{id}/status", { params: { path: { id } }, body: { status: "withdrawn", reason } })),
              );
            }}
          >
            <Textarea id="reason" label="Why is it being withdrawn?" value={reason} onInput={setReason} maxLength={1000} rows={3} />
            <Button variant="warning">Withdraw pairing</Button>
          </form>
        </>
      )}

      <h2>Feedback</h2>
      {feedback.data && feedback.data.length === 0 && <p>No feedback yet.</p>}
      {(p.status === "completed" || p.status === "withdrawn") &&
        me &&
        ["buddy_student", "buddy_volunteer", "buddy_coordinator"].includes(me.role) && (
          <FeedbackForm
            pairingId={id}
            coordinator={coordinator}
            onDone={() => {
              setDone("Feedback saved");
              feedback.reload();
            }}
            onError={setError}
          />
        )}
      {feedback.data && feedback.data.length > 0 && (
        <Table
          caption="End-of-pairing feedback"
          head={["From", "Overall (1 to 5)", "Support (1 to 5)", "Comments"]}
          rows={feedback.data.map((f) => [humanise(f.respondent), f.overall_rating, f.support_rating, f.comments ?? ""])}
        />
      )}
    </>
  );
}

/** When a meeting is, for how long, and its own calendar file: an
 * invitation while planned, a cancellation once cancelled. */
function MeetingWhen({ m }: { m: Meeting }) {
  const cancelled = m.status.startsWith("cancelled");
  return (
    <>
      {dayAndTime(m.planned_at)}
      <br />
      <span class="nhsuk-body-s">for {lengthName(m.length_minutes)}</span>
      {(m.status === "planned" || cancelled) && (
        <DownloadLink path={`/api/v1/buddy/meetings/${m.id}/calendar.ics`} query={{}} filename={`buddy-meeting-${m.sequence}.ics`}>
          {cancelled ? "Cancellation" : "Add to calendar"}
          <span class="nhsuk-u-visually-hidden"> for meeting {m.sequence} (.ics)</span>
        </DownloadLink>
      )}
    </>
  );
}

/** A held meeting's reflection: read, or written by the student (or the
 * coordinator for them). */
