// One pairing: its status, its meeting series (planned, held, cancelled),
// reflections and feedback, and its calendar.
import { useState } from "preact/hooks";
import { api, call, type Schemas } from "../../api/client";
import { Button, Input, NotificationBanner, Radios, SummaryList, Textarea, Select, Table } from "../../components/nhs";
import { dayAndTime, fullDateTime, humanise } from "../../lib/labels";
import { session } from "../../lib/session";
import { useStore } from "../../lib/store";
import { DownloadLink, Loading, Problem, problemText, useLoad, useTitle, actions } from "../common";
import {
  type Meeting,
  type Buddy,
  type Student,
  type MeetingMode,
  type MeetingTopic,
  type MeetingStatus,
  MODES,
  TOPICS,
  OUTCOMES,
  loadMeetings,
  statusTag,
} from "./shared";

function localInput(d: Date) {
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

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
  const [plan, setPlan] = useState({
    planned_at: localInput(new Date(Date.now() + 7 * 86400_000)),
    mode: "online_video" as MeetingMode,
    topic: "introductions" as MeetingTopic,
    link: "",
    place: "",
  });
  const [reason, setReason] = useState("");
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
            dayAndTime(m.planned_at),
            <MeetingWhere m={m} key="w" />,
            humanise(m.topic),
            `${humanise(m.status)}${m.duration_minutes ? ` (${m.duration_minutes} min)` : ""}`,
            m.status === "held" ? <ReflectionCell m={m} canWrite={me?.role === "buddy_student" || coordinator} key="r" /> : "",
            ...(coordinator && p.status === "active"
              ? [m.status === "planned" ? <Outcome m={m} key="o" onDone={(what, fn) => void act(what, fn)} /> : ""]
              : []),
          ])}
        />
      )}

      {coordinator && p.status === "active" && (
        <>
          <h2>Plan a meeting</h2>
          <form
            onSubmit={(e) => {
              e.preventDefault();
              void act("Meeting planned", () =>
                call(
                  api.POST("/api/v1/buddy/pairings/{id}/meetings", {
                    params: { path: { id } },
                    body: {
                      planned_at: new Date(plan.planned_at).toISOString(),
                      mode: plan.mode,
                      topic: plan.topic,
                      link: plan.mode === "online_video" && plan.link ? plan.link : undefined,
                      place: plan.mode === "in_person" && plan.place ? plan.place : undefined,
                    },
                  }),
                ),
              );
            }}
          >
            <Input
              id="planned_at"
              label="When"
              type="datetime-local"
              value={plan.planned_at}
              onInput={(v) => setPlan({ ...plan, planned_at: v })}
            />
            <Radios
              id="mode"
              label="How"
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
                      hint="https, on a host the trust allows"
                      value={plan.link}
                      onInput={(v) => setPlan({ ...plan, link: v })}
                      optional
                    />
                  ) : m === "in_person" ? (
                    <Input
                      id="place"
                      label="Place"
                      hint="For example Recovery College, room 2"
                      value={plan.place}
                      onInput={(v) => setPlan({ ...plan, place: v })}
                      optional
                    />
                  ) : undefined,
              }))}
            />
            <Select
              id="topic"
              label="Topic"
              value={plan.topic}
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

/** A held meeting's reflection: read, or written by the student (or the
 * coordinator for them). */
function ReflectionCell({ m, canWrite }: { m: Meeting; canWrite: boolean }) {
  const r = useLoad(
    () =>
      call(api.GET("/api/v1/buddy/meetings/{id}/reflection", { params: { path: { id: m.id } } })).then(
        (x) => x.data,
        () => null,
      ),
    [m.id],
  );
  const [body, setBody] = useState("");
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string>();
  if (r.loading) return <span>…</span>;
  if (r.data) return <span>{r.data.body}</span>;
  if (!canWrite) return <span>None yet</span>;
  if (!open) {
    return (
      <Button small variant="secondary" type="button" onClick={() => setOpen(true)}>
        Add reflection<span class="nhsuk-u-visually-hidden"> on meeting {m.sequence}</span>
      </Button>
    );
  }
  return (
    <form
      onSubmit={async (e) => {
        e.preventDefault();
        try {
          await call(api.POST("/api/v1/buddy/meetings/{id}/reflection", { params: { path: { id: m.id } }, body: { body } }));
          r.reload();
        } catch (x) {
          setError(problemText(x));
        }
      }}
    >
      <Textarea
        id={`reflection-${m.sequence}`}
        label={`Reflection on meeting ${m.sequence}`}
        value={body}
        onInput={setBody}
        maxLength={4000}
        rows={3}
        error={error}
      />
      <Button small variant="secondary">
        Save reflection
      </Button>
    </form>
  );
}

function FeedbackForm({
  pairingId,
  coordinator,
  onDone,
  onError,
}: {
  pairingId: string;
  coordinator: boolean;
  onDone: () => void;
  onError: (e: string) => void;
}) {
  const [f, setF] = useState({ respondent: "student", overall: "", support: "", comments: "" });
  const scale = ["1", "2", "3", "4", "5"].map((v) => ({ value: v, label: v }));
  return (
    <form
      onSubmit={async (e) => {
        e.preventDefault();
        try {
          await call(
            api.POST("/api/v1/buddy/pairings/{id}/feedback", {
              params: { path: { id: pairingId } },
              body: {
                respondent: coordinator ? (f.respondent as Schemas["Respondent"]) : undefined,
                overall_rating: Number(f.overall),
                support_rating: Number(f.support),
                comments: f.comments || undefined,
              },
            }),
          );
          onDone();
        } catch (x) {
          onError(problemText(x));
        }
      }}
    >
      <h3>Give feedback</h3>
      {coordinator && (
        <Radios
          id="respondent"
          label="Whose feedback is it?"
          inline
          value={f.respondent}
          onChange={(v) => setF({ ...f, respondent: v })}
          choices={[
            { value: "student", label: "The student's" },
            { value: "buddy", label: "The buddy's" },
          ]}
        />
      )}
      <Radios
        id="overall"
        label="The experience overall, from 1 (poor) to 5 (excellent)"
        inline
        value={f.overall}
        onChange={(v) => setF({ ...f, overall: v })}
        choices={scale}
      />
      <Radios
        id="support"
        label="How well the scheme supported you, from 1 to 5"
        inline
        value={f.support}
        onChange={(v) => setF({ ...f, support: v })}
        choices={scale}
      />
      <Textarea
        id="comments"
        label="Comments"
        optional
        value={f.comments}
        onInput={(v) => setF({ ...f, comments: v })}
        maxLength={4000}
        rows={3}
      />
      <Button variant="secondary">Save feedback</Button>
    </form>
  );
}

function MeetingWhere({ m }: { m: Meeting }) {
  return (
    <>
      {humanise(m.mode)}
      {m.link && (
        <>
          {": "}
          <a href={m.link} rel="noopener noreferrer" target="_blank">
            join link<span class="nhsuk-u-visually-hidden"> for meeting {m.sequence} (opens in a new tab)</span>
          </a>
        </>
      )}
      {m.place && `: ${m.place}`}
    </>
  );
}

function Outcome({ m, onDone }: { m: Meeting; onDone: (what: string, fn: () => Promise<unknown>) => void }) {
  const [status, setStatus] = useState<MeetingStatus>("held");
  const [minutes, setMinutes] = useState("60");
  const id = `outcome-${m.sequence}`;
  return (
    <form
      class="app-outcome"
      onSubmit={(e) => {
        e.preventDefault();
        onDone(`Meeting ${m.sequence}: ${humanise(status).toLowerCase()}`, () =>
          call(
            api.PATCH("/api/v1/buddy/meetings/{id}", {
              params: { path: { id: m.id } },
              body: status === "held" ? { status, duration_minutes: Number(minutes) } : { status },
            }),
          ),
        );
      }}
    >
      <Select
        id={id}
        label={<span>Outcome of meeting {m.sequence}</span>}
        value={status}
        onChange={(v) => setStatus(v as MeetingStatus)}
        options={OUTCOMES.map((o) => ({ value: o, text: humanise(o) }))}
      />
      {status === "held" && (
        <Input
          id={`${id}-minutes`}
          label={`Minutes (meeting ${m.sequence})`}
          value={minutes}
          onInput={setMinutes}
          width={3}
          inputMode="numeric"
        />
      )}
      <Button small variant="secondary">
        Record<span class="nhsuk-u-visually-hidden"> meeting {m.sequence}</span>
      </Button>
    </form>
  );
}
