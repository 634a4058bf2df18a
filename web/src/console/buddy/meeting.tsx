// A meeting in a pairing's series, as the pairing screen shows it: where it
// is, its outcome, its reflection; and the pairing's feedback form.
import { useState } from "preact/hooks";
import { api, call, type Schemas } from "../../api/client";
import { Button, ErrorSummary, Input, Radios, Textarea, Select } from "../../components/nhs";
import { humanise } from "../../lib/labels";
import { problemText, useFormErrors, useLoad } from "../common";
import { type Meeting, type MeetingStatus, OUTCOMES } from "./shared";

export function ReflectionCell({ m, canWrite }: { m: Meeting; canWrite: boolean }) {
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

export function FeedbackForm({
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
  const errors = useFormErrors();
  const scale = ["1", "2", "3", "4", "5"].map((v) => ({ value: v, label: v }));
  return (
    <form
      noValidate
      onSubmit={async (e) => {
        e.preventDefault();
        const mine: { id: string; text: string }[] = [];
        if (!f.overall) mine.push({ id: "overall", text: "Select a score from 1 to 5 for the experience overall" });
        if (!f.support) mine.push({ id: "support", text: "Select a score from 1 to 5 for how well the scheme supported you" });
        if (errors.fail(mine)) return;
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
      <ErrorSummary errors={errors.items} attempt={errors.attempt} />
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
        error={errors.error("overall")}
        value={f.overall}
        onChange={(v) => setF({ ...f, overall: v })}
        choices={scale}
      />
      <Radios
        id="support"
        label="How well the scheme supported you, from 1 to 5"
        inline
        error={errors.error("support")}
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

export function MeetingWhere({ m }: { m: Meeting }) {
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

export function Outcome({ m, onDone }: { m: Meeting; onDone: (what: string, fn: () => Promise<unknown>) => void }) {
  const [status, setStatus] = useState<MeetingStatus>("held");
  // It lasted as long as planned, unless the coordinator says otherwise.
  const [minutes, setMinutes] = useState(String(m.length_minutes));
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
