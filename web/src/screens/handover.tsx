// The hand-over: after a contact, or when a measure is due, the worker hands
// the tablet to the person. Large, plain words; "Prefer not to say" on every
// question and for the whole form; the person's own words kept only if they
// agree to share them anonymously. On CAMHS wards the children's version
// (child_text, child_label and faces drawn here in SVG). On submit the answer
// is queued (src/lib/answers.ts) and locked: the screen thanks the person and
// asks for the tablet back, and never shows the answers again.
import { useEffect, useState } from "preact/hooks";
import { api, call } from "../api/client";
import { BackLink, Button, ButtonLink, Textarea } from "../components/nhs";
import {
  enqueueAnswer,
  keepDefinitions,
  measureDefinition,
  sayOffer,
  type MeasureDefinition,
  type NewMeasureResponse,
} from "../lib/answers";
import { personLabelsOf } from "../lib/describe";
import { go } from "../lib/router";
import { session } from "../lib/session";
import { useStore } from "../lib/store";
import { openWard, ward as wardStore } from "../lib/ward";
import { RECORDING_ROLES } from "./ward";

type Face = "very_happy" | "happy" | "neutral" | "sad" | "very_sad" | "unsure";
const DECLINED = "declined";

function useLabels(wardId: string) {
  const me = useStore(session).me;
  const w = useStore(wardStore);
  useEffect(() => {
    if (me && me.wards.some((x) => x.id === wardId)) void openWard(me.id, wardId);
  }, [me?.id, wardId]);
  const people = w && w.wardId === wardId ? w.serviceUsers : [];
  const named = personLabelsOf(people);
  return (id: string) => named.get(id) ?? "the person";
}

/** On the ward screen after a contact: "Hand the tablet to A.K. for their
 * say", per person, or "Not now". */
export function YourSayOffer({ wardId }: { wardId: string }) {
  const offer = useStore(sayOffer);
  const me = useStore(session).me;
  const label = useLabels(wardId);
  useEffect(() => keepDefinitions(), []);
  if (!offer || offer.wardId !== wardId || offer.userId !== me?.id || !offer.people.length) return null;
  return (
    <section class="app-say-offer" aria-labelledby="say-offer">
      <h2 class="nhsuk-heading-m" id="say-offer">
        Would they like to have their say?
      </h2>
      <p>You can hand the tablet over so the person can say how the support was. It is up to them, and you will not see their answers.</p>
      <div class="app-quick-actions">
        {offer.people.map((p) => (
          <ButtonLink key={p} href={`#/ward/${wardId}/hand-over/your_say/${p}?activity=${offer.activityId}`}>
            Hand the tablet to {label(p)} for their say
          </ButtonLink>
        ))}
        <Button type="button" variant="secondary" onClick={() => sayOffer.set(null)}>
          Not now
        </Button>
      </div>
    </section>
  );
}

/** The person's screen: the measure's questions, then thanks. */
export function HandOverScreen({ wardId, measure, personId, query }: { wardId: string; measure: string; personId: string; query: string }) {
  const me = useStore(session).me;
  const info = me?.wards.find((w) => w.id === wardId);
  const child = info?.service_line === "camhs";
  const activity = new URLSearchParams(query).get("activity") || null;
  const [def, setDef] = useState<MeasureDefinition | null | undefined>(undefined);
  const [stage, setStage] = useState<"questions" | "done">("questions");
  useEffect(() => {
    measureDefinition(measure).then(setDef, () => setDef(null));
  }, [measure]);
  useEffect(() => {
    document.title = `${stage === "done" ? "Thank you" : "Your say"} – Peer support log – NHS`;
  }, [stage]);
  if (!me || !info || !RECORDING_ROLES.includes(me.role)) return null;
  if (stage === "done") {
    return (
      <div class="app-handover">
        <h1>Thank you</h1>
        <p class="nhsuk-lede-text">
          {child
            ? "Thanks for telling us. Your answers are saved."
            : "Your answers are saved. Nobody can change them, and your peer support worker will not see them."}
        </p>
        <p class="nhsuk-lede-text">Please hand the tablet back to {me.display_name}.</p>
        <Button type="button" variant="secondary" onClick={() => go(`#/ward/${wardId}`)}>
          I am {me.display_name}: back to the ward
        </Button>
      </div>
    );
  }
  if (def === undefined) return <p class="nhsuk-body">Opening…</p>;
  if (def === null) {
    return (
      <>
        <h1>This cannot be shown now</h1>
        <p>The questions have not been kept on this tablet yet. Try again when there is a connection.</p>
        <BackLink href={`#/ward/${wardId}`}>Back to the ward</BackLink>
      </>
    );
  }
  const submit = async (body: {
    declined: boolean;
    items: Record<string, number>;
    goals: { goal: number; rating: number }[];
    words: string;
    share: boolean;
  }) => {
    await enqueueAnswer(
      {
        id: crypto.randomUUID(),
        measure: def.code,
        version: def.version,
        service_user_id: personId,
        activity_id: activity,
        // The document's `Respondent` name is shared with the Buddy Scheme's
        // (a schema name clash in openapi.json), so the type is loosened here.
        respondent: "service_user" as unknown as NewMeasureResponse["respondent"],
        completed_at: new Date().toISOString(),
        declined: body.declined,
        answers: body.declined ? { items: {}, goals: [] } : { items: body.items, goals: body.goals },
        // Their words leave the tablet only with their consent.
        in_own_words: !body.declined && body.share && body.words.trim() ? body.words.trim() : null,
        share_quote: !body.declined && body.share && !!body.words.trim(),
      },
      me.id,
    );
    // This person has had their say: not offered again.
    sayOffer.set((o) => (o ? { ...o, people: o.people.filter((p) => p !== personId) } : o));
    setStage("done");
  };
  return <Questions def={def} child={child} onSubmit={submit} />;
}

function Questions({
  def,
  child,
  onSubmit,
}: {
  def: MeasureDefinition;
  child: boolean;
  onSubmit: (b: {
    declined: boolean;
    items: Record<string, number>;
    goals: { goal: number; rating: number }[];
    words: string;
    share: boolean;
  }) => Promise<void>;
}) {
  const [answers, setAnswers] = useState<Record<string, string>>({});
  const [words, setWords] = useState("");
  const [share, setShare] = useState("");
  const [busy, setBusy] = useState(false);
  const set = (k: string, v: string) => setAnswers((a) => ({ ...a, [k]: v }));
  const questions: { key: string; text: string; scale: string }[] = [
    ...(def.items ?? []).map((i) => ({ key: i.id, text: (child && i.child_text) || i.text, scale: i.scale })),
    ...Array.from({ length: def.goals?.max ?? 0 }, (_, n) => ({
      key: `goal:${n + 1}`,
      text: `Goal ${n + 1}: how close are you to it now? (Your goal's words stay on paper with you.)`,
      scale: def.goals?.scale ?? "",
    })),
  ];
  const send = async (declined: boolean) => {
    setBusy(true);
    const items: Record<string, number> = {};
    const goals: { goal: number; rating: number }[] = [];
    for (const [k, v] of Object.entries(answers)) {
      if (v === DECLINED || v === "") continue;
      if (k.startsWith("goal:")) goals.push({ goal: Number(k.slice(5)), rating: Number(v) });
      else items[k] = Number(v);
    }
    await onSubmit({ declined, items, goals, words, share: share === "yes" });
  };
  const free = def.free_text;
  return (
    <form
      class="app-handover"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void send(false);
      }}
    >
      <h1>{child ? "Tell us how it was" : def.code === "your_say" ? "Your say" : "A few questions for you"}</h1>
      <p class="nhsuk-lede-text">
        {child
          ? "These questions are for you. You can skip any of them. Your peer support worker will not see your answers."
          : "These questions are for you to answer. You can choose \u201cPrefer not to say\u201d for any of them. Your peer support worker will not see your answers, and nobody can change them."}
      </p>
      <p>
        <Button type="button" variant="secondary" disabled={busy} onClick={() => void send(true)}>
          Prefer not to say: skip all the questions
        </Button>
      </p>
      {questions.map((q) => {
        const scale = def.scales[q.scale];
        const choices: { value: string; label: string; face?: Face | null }[] =
          scale && "options" in scale
            ? scale.options.map((o) => ({
                value: String(o.value),
                label: (child && o.child_label) || o.label,
                face: child ? o.face : null,
              }))
            : scale
              ? Array.from({ length: scale.max - scale.min + 1 }, (_, n) => {
                  const v = scale.min + n;
                  return {
                    value: String(v),
                    label: v === scale.min ? `${v} (${scale.min_label})` : v === scale.max ? `${v} (${scale.max_label})` : String(v),
                  };
                })
              : [];
        const ranged = scale && !("options" in scale);
        return (
          <div class="nhsuk-form-group" key={q.key}>
            <fieldset class="nhsuk-fieldset">
              <legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--l">{q.text}</legend>
              <div class={`nhsuk-radios app-answer${ranged ? " app-answer--range" : ""}${child ? " app-answer--faces" : ""}`}>
                {[...choices, { value: DECLINED, label: child ? "I don't want to say" : "Prefer not to say", face: null }].map((c, i) => {
                  const id = `${q.key.replace(":", "-")}-${i}`;
                  return (
                    <div class="nhsuk-radios__item" key={c.value}>
                      <input
                        class="nhsuk-radios__input"
                        id={id}
                        name={q.key}
                        type="radio"
                        value={c.value}
                        checked={answers[q.key] === c.value}
                        onChange={() => set(q.key, c.value)}
                      />
                      <label class="nhsuk-label nhsuk-radios__label" for={id}>
                        {c.face && <FaceIcon face={c.face} />}
                        {c.label}
                      </label>
                    </div>
                  );
                })}
              </div>
            </fieldset>
          </div>
        );
      })}
      {free && (
        <>
          <Textarea
            id="in-own-words"
            size="m"
            optional
            label={(child && free.child_text) || free.text}
            value={words}
            onInput={setWords}
            maxLength={free.max_length}
          />
          <div class="nhsuk-form-group">
            <fieldset class="nhsuk-fieldset" aria-describedby="share-hint">
              <legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--m">May we share your words?</legend>
              <div class="nhsuk-hint" id="share-hint">
                If you say yes, your words may be quoted in reports about peer support, without your name. You can change your mind later by
                asking staff. If you say no, your words are not kept.
              </div>
              <div class="nhsuk-radios">
                {[
                  ["yes", "Yes, share my words without my name"],
                  ["no", "No, do not keep my words"],
                ].map(([v, l]) => (
                  <div class="nhsuk-radios__item" key={v}>
                    <input
                      class="nhsuk-radios__input"
                      id={`share-${v}`}
                      name="share"
                      type="radio"
                      value={v}
                      checked={share === v}
                      onChange={() => setShare(v)}
                    />
                    <label class="nhsuk-label nhsuk-radios__label" for={`share-${v}`}>
                      {l}
                    </label>
                  </div>
                ))}
              </div>
            </fieldset>
          </div>
        </>
      )}
      <Button disabled={busy}>Submit my answers</Button>
    </form>
  );
}

/** A face drawn in SVG (no emoji font, nothing fetched): the mouth curves
 * from a frown to a big smile; "unsure" is a wavy line. */
function FaceIcon({ face }: { face: Face }) {
  const mouth: Record<Face, string> = {
    very_happy: "M14 27 Q24 38 34 27",
    happy: "M15 29 Q24 35 33 29",
    neutral: "M15 31 L33 31",
    sad: "M15 33 Q24 27 33 33",
    very_sad: "M14 35 Q24 24 34 35",
    unsure: "M15 31 Q19 28 24 31 Q29 34 33 31",
  };
  return (
    <svg class="app-face" viewBox="0 0 48 48" width="48" height="48" aria-hidden="true" focusable="false">
      <circle cx="24" cy="24" r="22" fill="#ffeb3b" stroke="#425563" stroke-width="2" />
      <circle cx="17" cy="19" r="3" fill="#212b32" />
      <circle cx="31" cy="19" r="3" fill="#212b32" />
      <path d={mouth[face]} fill="none" stroke="#212b32" stroke-width="3" stroke-linecap="round" />
    </svg>
  );
}

/** On the ward screen: the people with a measure due, each with a link to
 * hand the tablet over. Online only (the server works out what is due). */
export function MeasuresDue({ wardId }: { wardId: string }) {
  const [due, setDue] = useState<{ service_user_id: string; display_label: string; measure: string; title: string; reason: string }[]>([]);
  useEffect(() => {
    let live = true;
    call(api.GET("/api/v1/wards/{id}/measures-due", { params: { path: { id: wardId } } })).then(
      ({ data }) => live && setDue(data),
      () => undefined,
    );
    keepDefinitions();
    return () => {
      live = false;
    };
  }, [wardId]);
  const w = useStore(wardStore);
  const named = personLabelsOf(w && w.wardId === wardId ? w.serviceUsers : []);
  if (!due.length) return null;
  const reason: Record<string, string> = { first_contact: "first contact", review: "review", before_discharge: "before discharge" };
  return (
    <>
      <h2 class="nhsuk-heading-m">Measures due</h2>
      <ul class="nhsuk-list app-due">
        {due.slice(0, 12).map((d) => (
          <li key={`${d.service_user_id}:${d.measure}`}>
            <a class="app-touch" href={`#/ward/${wardId}/hand-over/${d.measure}/${d.service_user_id}`}>
              {named.get(d.service_user_id) ?? d.display_label}: {d.title} ({reason[d.reason] ?? d.reason}){" "}
              <span class="nhsuk-u-visually-hidden">: hand the tablet over</span>
            </a>
          </li>
        ))}
      </ul>
    </>
  );
}
