// The Buddy Scheme: the coordinator's board of pairings by status, a new
// pairing, a pairing's meeting series, cohorts / students / buddies and the
// cohort report; a student's or buddy's own pairing and calendar.
import { useState } from "preact/hooks";
import { api, call, type Schemas } from "../api/client";
import { Button, Input, NotificationBanner, Radios, SummaryList, Tag, Textarea, type TagColour } from "../components/nhs";
import { dayAndTime, fullDateTime, humanise } from "../lib/labels";
import { go } from "../lib/router";
import { session } from "../lib/session";
import { useStore } from "../lib/store";
import { DownloadLink, asJson, Loading, Problem, Select, Table, problemText, readQuery, useLoad, useTitle } from "./common";

type Pairing = Schemas["Pairing"];
type PairingStatus = Schemas["PairingStatus"];
type Meeting = Schemas["Meeting"];
type Buddy = Schemas["Buddy"];
type Student = Schemas["Student"];
type Cohort = Schemas["Cohort"];
type MeetingMode = Schemas["MeetingMode"];
type MeetingTopic = Schemas["MeetingTopic"];
type MeetingStatus = Schemas["MeetingStatus"];

const STATUSES: PairingStatus[] = ["proposed", "active", "completed", "withdrawn"];
const STATUS_COLOUR: Record<PairingStatus, TagColour> = { proposed: "yellow", active: "blue", completed: "green", withdrawn: "grey" };
const MODES: MeetingMode[] = ["online_video", "in_person", "telephone"];
const TOPICS: MeetingTopic[] = ["introductions", "living_with_mental_illness", "family", "work", "community", "reflection_and_ending", "other"];
const OUTCOMES: MeetingStatus[] = ["held", "cancelled_by_student", "cancelled_by_buddy", "cancelled_by_coordinator", "did_not_attend"];

/** Every page of a cursor-paged list. */
async function everything<T>(page: (cursor?: string) => Promise<{ items: T[]; next_cursor?: string | null }>): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < 20; i++) {
    const p = await page(cursor);
    out.push(...p.items);
    cursor = p.next_cursor ?? undefined;
    if (!cursor) break;
  }
  return out;
}

const loadPairings = () => everything((cursor) => call(api.GET("/api/v1/buddy/pairings", { params: { query: { limit: 200, cursor } } })).then((r) => r.data));
const loadStudents = () => everything((cursor) => call(api.GET("/api/v1/buddy/students", { params: { query: { limit: 200, cursor } } })).then((r) => r.data));
const loadBuddies = () => everything((cursor) => call(api.GET("/api/v1/buddy/buddies", { params: { query: { limit: 200, cursor } } })).then((r) => r.data));
const loadCohorts = () => everything((cursor) => call(api.GET("/api/v1/buddy/cohorts", { params: { query: { limit: 200, cursor } } })).then((r) => r.data));
const loadMeetings = (id: string) => everything((cursor) => call(api.GET("/api/v1/buddy/pairings/{id}/meetings", { params: { path: { id }, query: { limit: 200, cursor } } })).then((r) => r.data));

function usePeople() {
  return useLoad(async () => {
    const [students, buddies, cohorts] = await Promise.all([loadStudents(), loadBuddies(), loadCohorts()]);
    return { students, buddies, cohorts };
  }, []);
}

export function statusTag(s: PairingStatus) {
  return <Tag colour={STATUS_COLOUR[s]}>{humanise(s)}</Tag>;
}

function registered(b: Buddy) {
  return b.volunteer_status === "registered" && !!b.volunteer_verified_on;
}

export function BoardScreen({ query }: { query: string }) {
  useTitle("Buddy Scheme pairings");
  const q = readQuery(query);
  const pairings = useLoad(loadPairings, []);
  const people = usePeople();
  const student = new Map((people.data?.students ?? []).map((s) => [s.id, s]));
  const buddy = new Map((people.data?.buddies ?? []).map((b) => [b.id, b]));
  const [error, setError] = useState<string>();
  const move = async (p: Pairing, status: PairingStatus) => {
    setError(undefined);
    try {
      await call(api.POST("/api/v1/buddy/pairings/{id}/status", { params: { path: { id: p.id } }, body: { status } }));
      pairings.reload();
    } catch (x) {
      setError(problemText(x));
    }
  };
  return (
    <>
      {q.paired && (
        <NotificationBanner success title="Success" heading="Pairing proposed">
          <p>Activate it when the student and buddy have agreed.</p>
        </NotificationBanner>
      )}
      <h1>Buddy Scheme pairings</h1>
      <p>
        <a class="nhsuk-button" href="#/console/buddy/new" draggable={false}>
          Pair a student with a buddy
        </a>
      </p>
      {error && <Problem text={error} />}
      {pairings.error && <Problem text={pairings.error} />}
      {!pairings.data || !people.data ? (
        <Loading what="pairings" />
      ) : (
        <div class="app-board">
          {STATUSES.map((s) => {
            const here = pairings.data?.filter((p) => p.status === s) ?? [];
            return (
              <section class="app-board__column" key={s} aria-labelledby={`col-${s}`}>
                <h2 class="nhsuk-heading-s" id={`col-${s}`}>
                  {humanise(s)} ({here.length})
                </h2>
                {here.map((p) => (
                  <div class="nhsuk-card" key={p.id}>
                    <div class="nhsuk-card__content">
                      <h3 class="nhsuk-card__heading nhsuk-heading-xs">
                        <a href={`#/console/buddy/pairing/${p.id}`}>
                          {student.get(p.student_id)?.full_name ?? "Student"} with {buddy.get(p.buddy_id)?.full_name ?? "buddy"}
                        </a>
                      </h3>
                      <p class="nhsuk-body-s">Series of {p.planned_meetings} meetings</p>
                      {s === "proposed" && (
                        <Button small variant="secondary" type="button" onClick={() => void move(p, "active")}>
                          Activate<span class="nhsuk-u-visually-hidden"> {student.get(p.student_id)?.full_name}'s pairing</span>
                        </Button>
                      )}
                    </div>
                  </div>
                ))}
              </section>
            );
          })}
        </div>
      )}
    </>
  );
}

export function NewPairingScreen() {
  useTitle("Pair a student with a buddy");
  const people = usePeople();
  const pairings = useLoad(loadPairings, []);
  const [studentId, setStudentId] = useState("");
  const [buddyId, setBuddyId] = useState("");
  const [planned, setPlanned] = useState("6");
  const [error, setError] = useState<string>();
  if (people.error) return <Problem text={people.error} />;
  if (!people.data || !pairings.data) return <Loading />;
  const open = pairings.data.filter((p) => p.status === "proposed" || p.status === "active");
  const unpaired = people.data.students.filter((s) => !open.some((p) => p.student_id === s.id));
  const chosen = people.data.buddies.find((b) => b.id === buddyId);
  return (
    <>
      <a class="nhsuk-back-link" href="#/console/buddy">
        Pairings
      </a>
      <h1>Pair a student with a buddy</h1>
      {error && (
        <div class="nhsuk-error-summary" role="alert" tabIndex={-1}>
          <h2 class="nhsuk-error-summary__title">This pairing cannot be made</h2>
          <div class="nhsuk-error-summary__body">
            <p>{error}</p>
          </div>
        </div>
      )}
      <form
        onSubmit={async (e) => {
          e.preventDefault();
          setError(undefined);
          if (!studentId || !buddyId) {
            setError("Choose a student and a buddy.");
            return;
          }
          try {
            await call(api.POST("/api/v1/buddy/pairings", { body: { student_id: studentId, buddy_id: buddyId, planned_meetings: Number(planned) || 6 } }));
            go("#/console/buddy?paired=1");
          } catch (x) {
            const why = problemText(x);
            setError(chosen && !registered(chosen) ? `${chosen.full_name} is not yet a registered volunteer, so cannot be paired. ${why}` : why);
          }
        }}
      >
        <Select id="student" label="Student" hint="Students without a proposed or active pairing" value={studentId} onChange={setStudentId} options={[{ value: "", text: "Choose a student" }, ...unpaired.map((s) => ({ value: s.id, text: `${s.full_name} (${humanise(s.discipline)})` }))]} />
        <Radios
          id="buddy"
          label="Buddy"
          hint="Only a registered volunteer, verified by the trust, can be paired."
          value={buddyId}
          onChange={setBuddyId}
          choices={people.data.buddies.map((b) => {
            const taken = open.filter((p) => p.buddy_id === b.id).length;
            return {
              value: b.id,
              label: b.full_name,
              hint: registered(b)
                ? `Registered volunteer (${humanise(b.buddy_type).toLowerCase()}); ${Math.max(0, b.capacity - taken)} of ${b.capacity} places free`
                : `Not yet a registered volunteer (${humanise(b.volunteer_status).toLowerCase()}): cannot be paired until registered`,
            };
          })}
        />
        <Input id="planned" label="Meetings in the series" hint="From 1 to 20" value={planned} onInput={setPlanned} width={2} inputMode="numeric" />
        <Button>Propose pairing</Button>
      </form>
    </>
  );
}

function localInput(d: Date) {
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

export function PairingScreen({ id }: { id: string }) {
  const me = useStore(session).me;
  const coordinator = me?.role === "buddy_coordinator";
  const pairing = useLoad(async () => (await call(api.GET("/api/v1/buddy/pairings/{id}", { params: { path: { id } } }))).data, [id]);
  const meetings = useLoad(() => loadMeetings(id), [id]);
  const feedback = useLoad(async () => (await call(api.GET("/api/v1/buddy/pairings/{id}/feedback", { params: { path: { id } } }))).data.items, [id]);
  const people = useLoad(async () => {
    if (!pairing.data) return null;
    const [s, b] = await Promise.all([
      call(api.GET("/api/v1/buddy/students/{id}", { params: { path: { id: pairing.data.student_id } } })).then((r) => r.data, () => null),
      call(api.GET("/api/v1/buddy/buddies/{id}", { params: { path: { id: pairing.data.buddy_id } } })).then((r) => r.data, () => null),
    ]);
    return { student: s as Student | null, buddy: b as Buddy | null };
  }, [pairing.data?.id]);
  const [error, setError] = useState<string>();
  const [done, setDone] = useState<string>();
  const [plan, setPlan] = useState({ planned_at: localInput(new Date(Date.now() + 7 * 86400_000)), mode: "online_video" as MeetingMode, topic: "introductions" as MeetingTopic, link: "", place: "" });
  const [reason, setReason] = useState("");
  useTitle("Pairing");
  if (pairing.error) return <Problem text={pairing.error} />;
  if (!pairing.data) return <Loading what="the pairing" />;
  const p = pairing.data;
  const held = (meetings.data ?? []).filter((m) => m.status === "held").length;
  const act = async (what: string, fn: () => Promise<unknown>) => {
    setError(undefined);
    setDone(undefined);
    try {
      await fn();
      setDone(what);
      pairing.reload();
      meetings.reload();
    } catch (x) {
      setError(problemText(x));
    }
  };
  // A student or buddy may not read the other's record (the API answers
  // 403), so their own view is titled without names.
  const names =
    people.data?.student && people.data?.buddy ? `${people.data.student.full_name} with ${people.data.buddy.full_name}` : coordinator ? "Pairing" : "Your Buddy Scheme pairing";
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
        <Button type="button" onClick={() => void act("Pairing activated", () => call(api.POST("/api/v1/buddy/pairings/{id}/status", { params: { path: { id } }, body: { status: "active" } })))}>
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
            ...(coordinator && p.status === "active" ? [m.status === "planned" ? <Outcome m={m} key="o" onDone={(what, fn) => void act(what, fn)} /> : ""] : []),
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
            <Input id="planned_at" label="When" type="datetime-local" value={plan.planned_at} onInput={(v) => setPlan({ ...plan, planned_at: v })} />
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
                    <Input id="link" label="Join link" hint="https, on a host the trust allows" value={plan.link} onInput={(v) => setPlan({ ...plan, link: v })} optional />
                  ) : m === "in_person" ? (
                    <Input id="place" label="Place" hint="For example Recovery College, room 2" value={plan.place} onInput={(v) => setPlan({ ...plan, place: v })} optional />
                  ) : undefined,
              }))}
            />
            <Select id="topic" label="Topic" value={plan.topic} onChange={(v) => setPlan({ ...plan, topic: v as MeetingTopic })} options={TOPICS.map((t) => ({ value: t, text: humanise(t) }))} />
            <Button variant="secondary">Plan meeting</Button>
          </form>
          <h2>Withdraw the pairing</h2>
          <form
            onSubmit={(e) => {
              e.preventDefault();
              void act("Pairing withdrawn", () => call(api.POST("/api/v1/buddy/pairings/{id}/status", { params: { path: { id } }, body: { status: "withdrawn", reason } })));
            }}
          >
            <Textarea id="reason" label="Why is it being withdrawn?" value={reason} onInput={setReason} maxLength={1000} rows={3} />
            <Button variant="warning">Withdraw pairing</Button>
          </form>
        </>
      )}

      <h2>Feedback</h2>
      {feedback.data && feedback.data.length === 0 && <p>No feedback yet.</p>}
      {(p.status === "completed" || p.status === "withdrawn") && me && ["buddy_student", "buddy_volunteer", "buddy_coordinator"].includes(me.role) && (
        <FeedbackForm pairingId={id} coordinator={coordinator} onDone={() => { setDone("Feedback saved"); feedback.reload(); }} onError={setError} />
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
    () => call(api.GET("/api/v1/buddy/meetings/{id}/reflection", { params: { path: { id: m.id } } })).then((x) => x.data, () => null),
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
      <Textarea id={`reflection-${m.sequence}`} label={`Reflection on meeting ${m.sequence}`} value={body} onInput={setBody} maxLength={4000} rows={3} error={error} />
      <Button small variant="secondary">
        Save reflection
      </Button>
    </form>
  );
}

function FeedbackForm({ pairingId, coordinator, onDone, onError }: { pairingId: string; coordinator: boolean; onDone: () => void; onError: (e: string) => void }) {
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
        <Radios id="respondent" label="Whose feedback is it?" inline value={f.respondent} onChange={(v) => setF({ ...f, respondent: v })} choices={[{ value: "student", label: "The student's" }, { value: "buddy", label: "The buddy's" }]} />
      )}
      <Radios id="overall" label="The experience overall, from 1 (poor) to 5 (excellent)" inline value={f.overall} onChange={(v) => setF({ ...f, overall: v })} choices={scale} />
      <Radios id="support" label="How well the scheme supported you, from 1 to 5" inline value={f.support} onChange={(v) => setF({ ...f, support: v })} choices={scale} />
      <Textarea id="comments" label="Comments" optional value={f.comments} onInput={(v) => setF({ ...f, comments: v })} maxLength={4000} rows={3} />
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
          call(api.PATCH("/api/v1/buddy/meetings/{id}", { params: { path: { id: m.id } }, body: status === "held" ? { status, duration_minutes: Number(minutes) } : { status } })),
        );
      }}
    >
      <Select id={id} label={<span>Outcome of meeting {m.sequence}</span>} value={status} onChange={(v) => setStatus(v as MeetingStatus)} options={OUTCOMES.map((o) => ({ value: o, text: humanise(o) }))} />
      {status === "held" && <Input id={`${id}-minutes`} label={`Minutes (meeting ${m.sequence})`} value={minutes} onInput={setMinutes} width={3} inputMode="numeric" />}
      <Button small variant="secondary">
        Record<span class="nhsuk-u-visually-hidden"> meeting {m.sequence}</span>
      </Button>
    </form>
  );
}

export function PeopleScreen() {
  useTitle("Cohorts, students and buddies");
  const me = useStore(session).me;
  const coordinator = me?.role === "buddy_coordinator";
  const people = usePeople();
  const [error, setError] = useState<string>();
  const [done, setDone] = useState<string>();
  const [st, setSt] = useState({ cohort_id: "", full_name: "", email: "" });
  const [bd, setBd] = useState({ full_name: "", buddy_type: "service_user" as Schemas["BuddyType"], capacity: "1" });
  if (people.error) return <Problem text={people.error} />;
  if (!people.data) return <Loading />;
  const cohort = new Map(people.data.cohorts.map((c: Cohort) => [c.id, c.name]));
  const act = async (what: string, fn: () => Promise<unknown>) => {
    setError(undefined);
    setDone(undefined);
    try {
      await fn();
      setDone(what);
      people.reload();
    } catch (x) {
      setError(problemText(x));
    }
  };
  const today = new Date().toLocaleDateString("en-CA", { timeZone: "Europe/London" });
  return (
    <>
      {done && (
        <NotificationBanner success title="Success">
          <p class="nhsuk-notification-banner__heading">{done}</p>
        </NotificationBanner>
      )}
      {error && <Problem text={error} />}
      <h1>Cohorts, students and buddies</h1>
      <Table caption="Cohorts" head={["Cohort", "Institution", "Discipline", "Runs"]} rows={people.data.cohorts.map((c) => [c.name, c.institution, humanise(c.discipline), `${c.starts_on} to ${c.ends_on}`])} />
      <Table caption="Students" head={["Student", "Cohort", "Discipline", "Institution"]} rows={people.data.students.map((s) => [s.full_name, cohort.get(s.cohort_id) ?? "", humanise(s.discipline), s.institution])} />
      <Table
        caption="Buddies"
        head={["Buddy", "Lived experience", "Volunteer registration", "Places", ...(coordinator ? [""] : [])]}
        rows={people.data.buddies.map((b) => [
          b.full_name,
          humanise(b.buddy_type),
          registered(b) ? <Tag colour="green">Registered</Tag> : <Tag colour="orange">{`${humanise(b.volunteer_status)}: cannot be paired yet`}</Tag>,
          b.capacity,
          ...(coordinator
            ? [
                registered(b) ? (
                  ""
                ) : (
                  <Button
                    key="r"
                    small
                    variant="secondary"
                    type="button"
                    onClick={() => void act(`${b.full_name} is now a registered volunteer`, () => call(api.PATCH("/api/v1/buddy/buddies/{id}", { params: { path: { id: b.id } }, body: { volunteer_status: "registered", volunteer_verified_on: today } })))}
                  >
                    Registration verified today<span class="nhsuk-u-visually-hidden"> for {b.full_name}</span>
                  </Button>
                ),
              ]
            : []),
        ])}
      />
      {coordinator && (
        <div class="nhsuk-grid-row">
          <div class="nhsuk-grid-column-one-half">
            <h2>Add a student</h2>
            <form
              onSubmit={(e) => {
                e.preventDefault();
                void act(`${st.full_name} added`, () => call(api.POST("/api/v1/buddy/students", { body: st })).then(() => setSt({ ...st, full_name: "", email: "" })));
              }}
            >
              <Select id="student-cohort" label="Cohort" value={st.cohort_id} onChange={(v) => setSt({ ...st, cohort_id: v })} options={[{ value: "", text: "Choose a cohort" }, ...people.data.cohorts.map((c) => ({ value: c.id, text: c.name }))]} />
              <Input id="student-name" label="Student's full name" value={st.full_name} onInput={(v) => setSt({ ...st, full_name: v })} />
              <Input id="student-email" label="Student's email" value={st.email} onInput={(v) => setSt({ ...st, email: v })} spellcheck={false} />
              <Button variant="secondary">Add student</Button>
            </form>
          </div>
          <div class="nhsuk-grid-column-one-half">
            <h2>Add a buddy</h2>
            <p>A new buddy waits for their volunteer registration to be verified before they can be paired.</p>
            <form
              onSubmit={(e) => {
                e.preventDefault();
                void act(`${bd.full_name} added`, () =>
                  call(api.POST("/api/v1/buddy/buddies", { body: { full_name: bd.full_name, buddy_type: bd.buddy_type, capacity: Number(bd.capacity) || 1 } })).then(() => setBd({ ...bd, full_name: "" })),
                );
              }}
            >
              <Input id="buddy-name" label="Buddy's full name" value={bd.full_name} onInput={(v) => setBd({ ...bd, full_name: v })} />
              <Select id="buddy-type" label="Lived experience" value={bd.buddy_type} onChange={(v) => setBd({ ...bd, buddy_type: v as Schemas["BuddyType"] })} options={(["service_user", "carer"] as const).map((t) => ({ value: t, text: humanise(t) }))} />
              <Input id="buddy-capacity" label="Students at once" hint="From 1 to 10" value={bd.capacity} onInput={(v) => setBd({ ...bd, capacity: v })} width={2} inputMode="numeric" />
              <Button variant="secondary">Add buddy</Button>
            </form>
          </div>
        </div>
      )}
    </>
  );
}

export function CohortReportScreen() {
  useTitle("Cohort report");
  const report = useLoad(async () => asJson((await call(api.GET("/api/v1/buddy/reports/cohorts", { params: { query: {} } }))).data), []);
  if (report.error) return <Problem text={report.error} />;
  if (!report.data) return <Loading />;
  return (
    <>
      <h1>Cohort report</h1>
      <Table
        caption="Pairings and meetings by cohort and discipline"
        head={["Cohort", "Discipline", "Students", "Pairings", "Active", "Completed", "Withdrawn", "Meetings held", "Completion rate"]}
        numeric={[2, 3, 4, 5, 6, 7, 8]}
        rows={report.data.rows.map((r) => [
          r.cohort_name,
          humanise(r.discipline),
          r.students,
          r.pairings,
          r.active,
          r.completed,
          r.withdrawn,
          r.meetings_held,
          r.completion_rate == null ? "Not yet" : `${Math.round(r.completion_rate * 100)}%`,
        ])}
      />
      <DownloadLink path="/api/v1/buddy/reports/cohorts" query={{ format: "csv" }} filename="buddy-cohorts.csv">
        Download CSV<span class="nhsuk-u-visually-hidden"> of the cohort report</span>
      </DownloadLink>
    </>
  );
}

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
              <a href={`#/console/buddy/pairing/${p.id}`}>Your pairing: {humanise(p.status).toLowerCase()}, a series of {p.planned_meetings} meetings</a>
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
