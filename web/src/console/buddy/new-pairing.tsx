// A new pairing: a student, a registered buddy with room, a cohort.
import { useState } from "preact/hooks";
import { api, call } from "../../api/client";
import { Button, Input, Radios, Select } from "../../components/nhs";
import { humanise } from "../../lib/labels";
import { go } from "../../lib/router";
import { Loading, Problem, problemText, useLoad, useTitle } from "../common";
import { loadPairings, usePeople, registered } from "./shared";

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
            await call(
              api.POST("/api/v1/buddy/pairings", {
                body: { student_id: studentId, buddy_id: buddyId, planned_meetings: Number(planned) || 6 },
              }),
            );
            go("#/console/buddy?paired=1");
          } catch (x) {
            const why = problemText(x);
            setError(
              chosen && !registered(chosen) ? `${chosen.full_name} is not yet a registered volunteer, so cannot be paired. ${why}` : why,
            );
          }
        }}
      >
        <Select
          id="student"
          label="Student"
          hint="Students without a proposed or active pairing"
          value={studentId}
          onChange={setStudentId}
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
          width={2}
          inputMode="numeric"
        />
        <Button>Propose pairing</Button>
      </form>
    </>
  );
}
