// Moving a planned meeting or changing its length. The calendars follow:
// the meeting keeps its UID and its SEQUENCE rises, so a calendar that
// imported the invitation replaces its copy with the new one.
import { useEffect, useRef, useState } from "preact/hooks";
import { api, call } from "../../api/client";
import { Button, DateInput, ErrorSummary, Input, Radios } from "../../components/nhs";
import { dateTimePartsOf, parseDateTime, type DateTimeParts } from "../../lib/dates";
import { useFormErrors } from "../common";
import { type FieldWords } from "../form-errors";
import { LENGTHS, readLength } from "./length";
import { type Meeting } from "./shared";

const FIELDS: Record<string, FieldWords> = {
  planned_at: { id: "move-at-day", label: "The date and time" },
  length_minutes: { id: "move-length", label: "The length of the meeting" },
};

export function MoveMeeting({ m, onDone, onClose }: { m: Meeting; onDone: (what: string) => void; onClose: () => void }) {
  const quick = LENGTHS.some((l) => l.value === String(m.length_minutes));
  const [at, setAt] = useState<DateTimeParts>(dateTimePartsOf(new Date(m.planned_at)));
  const [length, setLength] = useState(quick ? String(m.length_minutes) : "other");
  const [other, setOther] = useState(quick ? "" : String(m.length_minutes));
  const errors = useFormErrors();
  // The form opens below the series: take the reader there.
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <form
      noValidate
      class="app-move-meeting"
      onSubmit={async (e) => {
        e.preventDefault();
        const when = parseDateTime(at, "The date of the meeting", "The time of the meeting");
        const len = readLength(length, other);
        const mine: { id: string; text: string }[] = [];
        if (!when.ok) mine.push({ id: `move-at-${when.part}`, text: when.empty ? "Enter the date and time of the meeting" : when.error });
        if ("error" in len) mine.push({ id: length === "other" ? "move-other-length" : "move-length", text: len.error });
        if (errors.fail(mine) || !when.ok || "error" in len) return;
        try {
          await call(
            api.PATCH("/api/v1/buddy/meetings/{id}", {
              params: { path: { id: m.id } },
              body: { planned_at: when.at.toISOString(), length_minutes: len.minutes },
            }),
          );
          onDone(`Meeting ${m.sequence} changed. Its calendar invitation is updated: the same event, replaced in calendars that have it`);
        } catch (x) {
          errors.fromError(x, FIELDS, "move-at-day");
        }
      }}
    >
      <h3 ref={heading} tabIndex={-1}>
        Change meeting {m.sequence}
      </h3>
      <ErrorSummary errors={errors.items} attempt={errors.attempt} />
      <DateInput
        id="move-at"
        label="When"
        hint="For example, 27 3 2026 and 14:30 (24-hour clock)"
        value={at}
        onChange={(d) => setAt({ ...at, ...d })}
        time={at.time}
        onTime={(t) => setAt({ ...at, time: t })}
        error={errors.error("move-at")}
        errorPart={errors.items.find((i) => i.id.startsWith("move-at-"))?.id.slice("move-at-".length)}
      />
      <Radios
        id="move-length"
        label="How long"
        hint="From 15 minutes to 4 hours"
        error={errors.error("move-length")}
        value={length}
        onChange={setLength}
        choices={[
          ...LENGTHS,
          {
            value: "other",
            label: "Another length",
            conditional: (
              <Input
                id="move-other-length"
                label="Length in minutes"
                hint="From 15 to 240"
                value={other}
                onInput={setOther}
                error={errors.error("move-other-length")}
                width={3}
                inputMode="numeric"
              />
            ),
          },
        ]}
      />
      <div class="nhsuk-button-group">
        <Button variant="secondary">Save changes to meeting {m.sequence}</Button>
        <Button variant="secondary" type="button" onClick={onClose}>
          Keep it as it is
        </Button>
      </div>
    </form>
  );
}
