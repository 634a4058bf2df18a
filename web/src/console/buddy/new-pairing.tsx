// A new pairing: a student, a registered buddy with room, a cohort.
import { useState } from "preact/hooks";
import { api, call } from "../../api/client";
import { Button, ErrorSummary, Input, Radios, Select } from "../../components/nhs";
import { humanise } from "../../lib/labels";
import { go } from "../../lib/router";
import { Loading, Problem, problemText, useFormErrors, useLoad, useTitle } from "../common";
import { loadPairings, usePeople, registered } from "./shared";

export function NewPairingScreen() {
  useTitle("Pair a student with a buddy");
  const people = usePeople();
  const pairings = useLoad(loadPairings, []);
  const [studentId, setStudentId] = useState("");
  const [buddyId, setBuddyId] = useState("");
  const [planned, setPlanned] = useState("6");
  const errors = useFormErrors();
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
      <form
        noValidate
        onSubmit={async (e) => {
          e.preventDefault();
          const mine: { id: string; text: string }[] = [];
          if (!studentId) mine.push({ id: "student", text: "Choose a student" });
          if (!buddyId) mine.push({ id: "buddy", text: "Choose a buddy" });
          const n = Number(planned);
          if (!Number.isInteger(n) || n < 1 || n > 20)
            mine.push({ id: "planned", text: "Enter the number of meetings in the series, from 1 to 20" });
          if (errors.fail(mine)) return;
          try {
            await call(api.POST("/api/v1/buddy/pairings", { body: { student_id: studentId, buddy_id: buddyId, planned_meetings: n } }));
            go("#/console/buddy?paired=1");
          } catch (x) {
            // An unregistered buddy is the usual refusal: say so beside the buddy.
            errors.fail([
              chosen && !registered(chosen)
                ? {
                    id: "buddy",
                    text: `${chosen.full_name} is not yet a registered volunteer, so cannot be paired. Choose a registered buddy`,
                  }
                : { id: "student", text: problemText(x) },
            ]);
          }
        }}
      >
        <ErrorSummary errors={errors.items} attempt={errors.attempt} title="This pairing cannot be made" />
        <Select
          id="student"
          label="Student"
          hint="Students without a proposed or active pairing"
          value={studentId}
          onChange={setStudentId}
          error={errors.error("student")}
          options={[
            { value: "", text: "Choose a student" },
            ...unpaired.map((s) => ({ value: s.id, text: `${s.full_name} (${humanise(s.discipline)})` })),
          ]}
        />
        <Radios
          id="buddy"
          label="Buddy"
          hint="Only a registered volunteer, verified by the trust, can be paired."
          value={buddyId}
          onChange={setBuddyId}
          error={errors.error("buddy")}
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
        <Input
          id="planned"
          label="Meetings in the series"
          hint="From 1 to 20"
          value={planned}
          onInput={setPlanned}
          error={errors.error("planned")}
          width={2}
          inputMode="numeric"
        />
        <Button>Propose pairing</Button>
      </form>
    </>
  );
}
